import Foundation

/// `tqdm` (and `tqdm.auto`, `tqdm.notebook`): a progress bar around an iterable, or updated by hand, drawn on stderr
/// (a notebook cell's stderr) as tqdm draws it without a terminal: `desc: 40%|████      | 4/10 [00:01<00:01,
/// 3.98it/s]`, redrawn at most ten times a second after a `\r`, and once more when it ends.
enum TqdmModule {
    static func make(_ name: String) -> () -> PythonModule {
        {
            // in a script, tqdm.auto's class is tqdm.asyncio's, which calls iter() on the iterable once when made
            let iteratesWhenMade = name == "tqdm.auto"
            return PythonModule(name, [
                "tqdm": .object(BuiltinFunction("tqdm", calling: { args, interpreter in
                    .object(try TqdmBar(args, interpreter, iteratesWhenMade: iteratesWhenMade))
                })),
                "trange": .object(BuiltinFunction("trange", calling: { args, interpreter in  // tqdm(range(*args), **kwargs)
                    let range = try interpreter.call(interpreter.builtins.lookup("range")!, Arguments(args.positional))
                    return .object(try TqdmBar(Arguments([range], keywords: args.keywords), interpreter, iteratesWhenMade: iteratesWhenMade))
                })),
            ], planned: ["tqdm_notebook", "TqdmWarning"])
        }
    }
}

/// One bar: `tqdm(iterable=None, desc=None, total=None, leave=True, ..., disable=False, unit='it', ...)`.
final class TqdmBar: PythonIterator, MemberTableObject, ContextManager {
    /// The iterable, iterated from the bar's first item on (a DataLoader draws its seeds then, as under tqdm).
    private let iterable: Value?
    private var iterator: PythonIterator?
    /// Where the bar is drawn: the interpreter's stderr (not kept alive by a bar kept in a global).
    private let write: (String) -> Void
    private(set) var count = 0
    private var total: Int?
    private var description: String
    private var postfix = ""
    private let unit: String, disabled: Bool, leaves: Bool
    private let began = Date()
    private var lastDraw = Date.distantPast, closed = false

    init(_ args: Arguments, _ interpreter: Interpreter, iteratesWhenMade: Bool) throws {
        let a = try args.bind("tqdm", ["iterable", "desc", "total", "leave", "file", "ncols", "mininterval", "maxinterval",
                                       "miniters", "ascii", "disable", "unit", "unit_scale", "dynamic_ncols", "smoothing",
                                       "bar_format", "initial", "position", "postfix", "unit_divisor", "colour", "delay"])
        let iterable = a[0].given
        self.iterable = iterable
        if iteratesWhenMade, let iterable { _ = try Iteration.iterator(iterable) }
        // the length of a sized iterable (an iterator has none: asking would take its items)
        total = try a[2].given.flatMap { value in  // a float total too, as tqdm takes it
            let number = try value.asDouble("total")
            return number.isFinite && abs(number) < 1e15 ? Int(number) : nil
        } ?? iterable.flatMap { value in
            if case .object(_ as PythonIterator) = value { return nil }
            return try? Iteration.length(value)
        }
        description = try a[1].given?.asString("desc") ?? ""
        leaves = try a[3]?.isTruthy() ?? true
        disabled = try a[10]?.isTruthy() ?? false
        unit = try a[11].given?.asString("unit") ?? "it"
        count = try a[16].given?.asIndex() ?? 0
        write = { [weak interpreter] in interpreter?.writeError($0) }
        draw(force: true)
    }

    var typeName: String { "tqdm" }
    var repr: String { line }

    static let members = MemberTable<TqdmBar>("tqdm", [
        .method("update", "n=1", "advances the bar by n") { bar, call in
            let (count, overflow) = bar.count.addingReportingOverflow(try call[0].map { try $0.asIndex() } ?? 1)
            guard !overflow else { throw PyError(.overflowError, "Python int too large to convert to C ssize_t") }
            bar.count = count
            bar.draw()
            return .none
        },
        .method("set_description", "desc=None, refresh=True", "sets the text before the bar") { bar, call in
            bar.description = try call[0].given.map { try $0.asString("desc") + ": " } ?? ""  // as tqdm keeps it
            bar.draw()
            return .none
        },
        .method("set_postfix", "**kwargs", "sets the text after the bar: name=value, ... (numbers in 3 significant digits)") { bar, call in
            let pairs = try (call.arguments.positional.first.given.map(Iteration.mappingItems) ?? [])
                + call.arguments.keywords.filter { $0.name != "refresh" }.map { (Value.str($0.name), $0.value) }
            bar.postfix = try pairs.map { "\($0.0.str)=\(try formatted($0.1))" }.joined(separator: ", ")
            bar.draw()
            return .none
        },
        .method("close", "", "draws the bar a last time and ends its line") { bar, _ in
            bar.close()
            return .none
        },
        .attribute("n", "how far the bar has gone") { .int($0.count) },
        .attribute("total", "where the bar ends (None when unknown)") { $0.total.map(Value.int) ?? .none },
        .attribute("desc", "the text before the bar") { .str($0.description) },
    ])

    func next() throws -> Value? {
        if iterator == nil, let iterable { iterator = try Iteration.iterator(iterable) }
        guard let item = try iterator?.next() else {
            close()
            return nil
        }
        defer { count += 1; draw() }
        return item
    }

    func enter() throws -> Value { .object(self) }
    func exit() { close() }

    private func close() {
        guard !closed else { return }
        closed = true
        draw(force: true)
        if !disabled { write(leaves ? "\n" : "\r") }
    }

    /// Redraws the line, at most ten times a second unless `force`.
    private func draw(force: Bool = false) {
        let now = Date()
        guard !disabled, force || now.timeIntervalSince(lastDraw) >= 0.1 else { return }
        lastDraw = now
        write("\r" + line)
    }

    /// The bar as tqdm formats it with no terminal width: a ten-cell bar in eighths of a cell.
    private var line: String {
        let elapsed = Date().timeIntervalSince(began), rate = elapsed > 0 ? Double(count) / elapsed : 0
        let prefix = description.isEmpty || description.hasSuffix(": ") ? description : description + ": "
        let speed = rate == 0 ? "?\(unit)/s" : rate >= 1 || count == 0 ? String(format: "%.2f\(unit)/s", rate) : String(format: "%.2fs/\(unit)", 1 / rate)
        let extra = postfix.isEmpty ? "" : ", " + postfix
        guard let total, total > 0 else { return "\(prefix)\(count)\(unit) [\(Self.clock(elapsed)), \(speed)\(extra)]" }
        let fraction = Swift.min(1, Swift.max(0, Double(count) / Double(total))), eighths = Int(fraction * 80)
        let partial = eighths % 8 == 0 || eighths >= 80 ? "" : String(Array(" ▏▎▍▌▋▊▉")[eighths % 8])
        let bar = String(repeating: "█", count: eighths / 8) + partial
        let remaining = rate > 0 ? Self.clock(Double(total - count) / rate) : "?"
        return "\(prefix)\(String(format: "%3d", Int(fraction * 100)))%|\(bar.padding(toLength: 10, withPad: " ", startingAt: 0))| "
            + "\(count)/\(total) [\(Self.clock(elapsed))<\(remaining), \(speed)\(extra)]"
    }

    /// A postfix value as tqdm's `format_num` writes a number (`{:.3g}` when that is shorter), else as `str`.
    private static func formatted(_ value: Value) throws -> String {
        let text = try value.checkedStr()
        switch value {
        case .int, .float, .bigInt:
            let short = try FormatSpec.format(value, ".3g").replacingOccurrences(of: "+0", with: "+").replacingOccurrences(of: "-0", with: "-")
            return short.count < text.count ? short : text
        default: return text
        }
    }

    /// `mm:ss`, or `h:mm:ss` past an hour.
    static func clock(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds < 1e12 else { return "?" }
        let s = Int(seconds.rounded(.down))
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%02d:%02d", s / 60, s % 60)
    }
}
