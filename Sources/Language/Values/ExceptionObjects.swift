import PythonText

/// A Python exception class (`ValueError`, ...): calling it makes an exception, `except` and `isinstance` test
/// against it and its subclasses.
public final class ExceptionType: CallableObject, Sendable {
    let kind: ExceptionKind

    /// The class of `kind`'s exceptions (a module's own, such as `re.error`, or a builtin).
    public init(_ kind: ExceptionKind) { self.kind = kind }

    public var typeName: String { "type" }
    public var repr: String { "<class '\(kind.rawValue)'>" }
    public var attributeNames: [String] { ["__name__"] }

    public func attribute(_ name: String, _ interpreter: Interpreter) throws -> Value? {
        name == "__name__" ? .str(kind.name) : nil
    }

    public func call(_ arguments: Arguments, _ interpreter: Interpreter) throws -> Value? {
        try arguments.expectKeywordsNone(kind.rawValue)
        return .object(ExceptionObject(kind, arguments.positional))
    }

    /// Every builtin exception class.
    static let builtins = ExceptionKind.allCases.filter(\.isBuiltin).map(ExceptionType.init)

    /// The builtin class of `kind`'s exceptions (the one the builtins name).
    static func of(_ kind: ExceptionKind) -> ExceptionType {
        builtins.first { $0.kind == kind } ?? ExceptionType(kind)
    }
}

/// An exception as a value: what `raise` takes and `except ... as e` binds.
public final class ExceptionObject: PyObject {
    let kind: ExceptionKind
    let arguments: [Value]
    /// The instance of the program's exception class it stands for (`raise MyError(...)`).
    let instance: InstanceObject?

    init(_ kind: ExceptionKind, _ arguments: [Value], instance: InstanceObject? = nil) {
        self.kind = kind
        self.arguments = arguments
        self.instance = instance
    }

    /// The exception a caught error stands for: the one raised, or one whose only argument is the message.
    static func caught(_ error: PyError) -> PyObject {
        if let exception = error.exception { return exception.instance ?? exception }
        return ExceptionObject(error.kind, error.message.isEmpty ? [] : [.str(error.message)])
    }

    public var typeName: String { instance?.typeName ?? kind.name }
    public var qualifiedTypeName: String? { instance == nil && kind.name != kind.rawValue ? kind.rawValue : nil }
    /// `ValueError('bad value')`.
    public var repr: String { kind.name + "(" + arguments.map(\.repr).joined(separator: ", ") + ")" }
    /// `str(e)`: the one argument's str (a KeyError's key as its repr), the arguments' tuple when there are several.
    public var str: String {
        guard arguments.count == 1 else { return arguments.isEmpty ? "" : Value.tuple(arguments).repr }
        return kind == .keyError ? arguments[0].repr : arguments[0].str
    }
    public var attributeNames: [String] { kind == .stopIteration ? ["args", "value"] : ["args"] }

    /// `e.args`; a `StopIteration`'s `value` (what the generator returned).
    public func attribute(_ name: String, _ interpreter: Interpreter) throws -> Value? {
        switch name {
        case "args": return .tuple(arguments)
        case "value" where kind == .stopIteration: return arguments.first ?? Value.none
        default: return nil
        }
    }

    /// The error `raise` throws for it.
    var error: PyError {
        var error = PyError(kind, instance?.str ?? str)
        error.exception = self
        return error
    }
}

extension PyError {
    /// `exit(code)` / `quit(code)`: leaves the script or the shell.
    static func systemExit(_ code: Value) -> PyError {
        if case .none = code { return ExceptionObject(.systemExit, []).error }
        return ExceptionObject(.systemExit, [code]).error
    }

    /// The exit status a `SystemExit` asks for, as Python gives it: none or None is 0, an int is itself, anything
    /// else is printed (returned as `message`) with status 1; an int beyond 64 bits is 255, as CPython's.
    public var exitStatus: (status: Int32, message: String?) {
        guard let code = exception?.arguments.first else { return (0, nil) }
        if case .none = code { return (0, nil) }
        if case .bigInt = code { return (255, nil) }  // beyond a C long: CPython's -1
        if let status = code.exactInteger { return (Int32(truncatingIfNeeded: status & 0xFF), nil) }
        return (1, code.str)
    }
}
