import PythonText
import Synchronization

/// Python's warning filters: which warnings (`warnings.warn` in a program, the UserWarnings sbpl's pipelines give
/// as transformers' do) are shown. `warnings.filterwarnings("ignore")` at the top of a notebook silences them all.
public enum WarningFilters {
    /// What a filter does with the warnings of its category.
    enum Action: String {
        case ignore, `default`, always, once, module, error
    }

    /// The filters, the newest first; the first whose category the warning's is (a subclass of) decides. The
    /// default ones are CPython's that matter here: PendingDeprecationWarning ignored.
    private static let filters = Mutex<[(action: Action, category: ExceptionKind)]>([(.ignore, .pendingDeprecationWarning)])

    /// What the filters do with a warning of `category`: `.default` when none matches.
    static func action(for category: ExceptionKind) -> Action {
        filters.withLock { $0.first { category.isSubclass(of: $0.category) }?.action ?? .default }
    }

    /// Whether a warning of `category` is shown.
    public static func shows(_ category: ExceptionKind) -> Bool { action(for: category) != .ignore }

    /// Adds a filter, before the others (or after them: `append`).
    static func add(_ action: Action, _ category: ExceptionKind, append: Bool) {
        filters.withLock { append ? $0.append((action, category)) : $0.insert((action, category), at: 0) }
    }

    /// The warnings shown once already, by category and message.
    private static let shown = Mutex<Set<String>>([])

    /// Whether the warning `category: message` is shown for the first time (and so is shown).
    static func firstTime(_ category: String, _ message: String) -> Bool {
        shown.withLock { $0.insert("\(category): \(message)").inserted }
    }

    /// The filters as they are, and putting them back (what `catch_warnings` saves and restores).
    static var saved: [(action: Action, category: ExceptionKind)] {
        get { filters.withLock { $0 } }
        set { filters.withLock { $0 = newValue } }
    }
}

/// `warnings`: `warn`, `filterwarnings` / `simplefilter` (by action and category; a message or module pattern is
/// not supported), `resetwarnings`, and `catch_warnings()` to change them for a `with` block.
enum WarningsModule {
    static func make() -> PythonModule {
        PythonModule("warnings", [
            "warn": .object(BuiltinFunction("warn", calling: { args, interpreter in
                let a = try args.bind("warn", ["message", "category", "stacklevel", "source"], required: 1)
                let (category, name) = try a[1].given.map(self.category) ?? (.userWarning, "UserWarning")
                let message = try a[0]!.checkedStr()
                switch WarningFilters.action(for: category) {
                case .ignore: break
                case .error: throw PyError(category, message)
                case .always: interpreter.writeError("\(name): \(message)\n")
                default:  // once per category and message (CPython's "default" is once per place in the code)
                    if WarningFilters.firstTime(name, message) { interpreter.writeError("\(name): \(message)\n") }
                }
                return .none
            })),
            "filterwarnings": builtin("filterwarnings") { args in
                let a = try args.bind("filterwarnings", ["action", "message", "category", "module", "lineno", "append"], required: 1)
                try add(a[0]!, category: a[2], append: a[5], patterns: [a[1], a[3]])
                return .none
            },
            "simplefilter": builtin("simplefilter") { args in
                let a = try args.bind("simplefilter", ["action", "category", "lineno", "append"], required: 1)
                try add(a[0]!, category: a[1], append: a[3], patterns: [])
                return .none
            },
            "resetwarnings": builtin("resetwarnings") { args in
                try args.expectNone("resetwarnings")
                WarningFilters.saved = []  // CPython's defaults go too
                return .none
            },
            "catch_warnings": builtin("catch_warnings") { args in
                let a = try args.bind("catch_warnings", ["record", "module"])
                if try a[0]?.isTruthy() == true { throw PyError.notImplemented("catch_warnings(record=True)") }
                return .object(CatchWarnings())
            },
        ], planned: ["showwarning", "formatwarning", "warn_explicit"])
    }

    /// A filter from `filterwarnings`' or `simplefilter`'s arguments.
    private static func add(_ action: Value, category: Value?, append: Value?, patterns: [Value?]) throws {
        let name = try action.asString("action")
        guard let parsed = WarningFilters.Action(rawValue: name) else { throw PyError.value("invalid action: \(Value.quoted(name))") }
        for pattern in patterns {
            if let text = pattern.given, try !text.asString("pattern").isEmpty {
                throw PyError.notImplemented("warnings filters by message or module (filter by category instead)")
            }
        }
        WarningFilters.add(parsed, try category.given.map { try self.category($0).kind } ?? .warning, append: try append?.isTruthy() ?? false)
    }

    /// A warning category given as a class (`FutureWarning`, or a program's subclass of one): the builtin class
    /// the filters match it by, and its name.
    private static func category(_ value: Value) throws -> (kind: ExceptionKind, name: String) {
        switch value {
        case .object(let type as ExceptionType) where type.kind.isSubclass(of: .warning): return (type.kind, type.kind.name)
        case .object(let cls as ClassObject) where cls.exceptionKind?.isSubclass(of: .warning) == true: return (cls.exceptionKind!, cls.name)
        default: throw PyError.type("category must be a Warning subclass, not '\(value.typeName)'")
        }
    }
}

/// `with warnings.catch_warnings():`: the filters the block changes are put back when it ends.
final class CatchWarnings: ContextManager {
    private var saved: [(action: WarningFilters.Action, category: ExceptionKind)] = []

    var typeName: String { "catch_warnings" }
    var repr: String { "catch_warnings()" }

    func enter() throws -> Value {
        saved = WarningFilters.saved
        return .none
    }

    func exit() { WarningFilters.saved = saved }
}
