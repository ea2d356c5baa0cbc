/// A builtin function value: `builtin("softmax") { arguments in ... }`.
public func builtin(_ name: String, _ body: @escaping (Arguments) throws -> Value) -> Value {
    .object(BuiltinFunction(name, body))
}

/// A native function or bound method: `print`, `len`, `tokenizer.decode`, `torch.softmax`, ...
public final class BuiltinFunction: CallableObject {
    public let name: String
    let body: (Arguments, Interpreter) throws -> Value

    public init(_ name: String, _ body: @escaping (Arguments) throws -> Value) {
        self.name = name
        self.body = { arguments, _ in try body(arguments) }
    }

    /// A builtin that calls back into the program (`functools.reduce`'s function).
    public init(_ name: String, calling body: @escaping (Arguments, Interpreter) throws -> Value) {
        self.name = name
        self.body = body
    }

    /// Functions reached through this one, as a class's are (`itertools.chain.from_iterable`).
    var members: [String: Value] = [:]
    /// Whether a class holding it binds it to the instance as a method (the methods a dataclass generates); a
    /// builtin is not bound otherwise, as in Python.
    public var isMethod = false

    public var typeName: String { "builtin_function_or_method" }
    public var repr: String { "<built-in function \(name)>" }
    public var attributeNames: [String] { members.keys.sorted() + ["__name__", "__qualname__"] }
    public func attribute(_ name: String, _ interpreter: Interpreter) throws -> Value? {
        members[name] ?? (["__name__", "__qualname__"].contains(name) ? .str(self.name) : nil)
    }
    public func call(_ arguments: Arguments, _ interpreter: Interpreter) throws -> Value? { try body(arguments, interpreter) }
}

/// A function defined with `def` or `lambda`.
final class UserFunction: CallableObject, AttributeSettable {
    struct Parameter {
        public let name: String
        let defaultValue: Value?
        let kind: Parameter.Kind
        typealias Kind = Language.Parameter.Kind
    }

    enum Body {
        /// A `def`'s block; a generator function's call gives a generator that runs it.
        case statements([Stmt], isGenerator: Bool)
        /// A lambda's expression.
        case expression(Expr)
    }

    public let name: String
    let parameters: [Parameter]
    let body: Body
    let closure: Environment

    /// The names the body binds, local in all of it (`LocalNames`).
    let localNames: Set<String>
    /// The class whose body defined it, for `super()` in it.
    weak var definingClass: ClassObject?
    /// The parameters positional arguments fill, and those keywords may name.
    private let positionalParameters: [Parameter], namedParameters: [Parameter]
    /// Whether every parameter is a plain positional one (`def f(a, b)`), which a call with as many positional
    /// arguments binds in order, the common case.
    private let takesPlainArguments: Bool

    init(name: String, parameters: [Parameter], body: Body, closure: Environment) {
        self.name = name
        self.parameters = parameters
        self.body = body
        self.closure = closure
        if case .statements(let statements, _) = body { localNames = LocalNames.of(statements) } else { localNames = [] }
        positionalParameters = parameters.filter { $0.kind == .normal }
        namedParameters = parameters.filter { $0.kind == .normal || $0.kind == .keywordOnly }
        takesPlainArguments = positionalParameters.count == parameters.count
    }

    /// The attributes the program set on it (`f.calls = 0`, or what `functools.wraps` copies onto a wrapper).
    private var assigned: [String: Value] = [:]

    var typeName: String { "function" }
    var repr: String { "<function \(assigned["__qualname__"]?.str ?? qualifiedName)>" }
    /// `Class.method` for a method, else its name.
    private var qualifiedName: String { definingClass.map { "\($0.name).\(name)" } ?? name }
    var attributeNames: [String] { ["__name__", "__qualname__", "__doc__", "__module__", "__defaults__", "__dict__"] + assigned.keys.sorted() }

    func attribute(_ attribute: String, _ interpreter: Interpreter) throws -> Value? {
        if let value = assigned[attribute] { return value }
        switch attribute {
        case "__name__": return .str(name)
        case "__qualname__": return .str(qualifiedName)
        case "__module__": return .str("__main__")
        case "__doc__": return docstring.map(Value.str) ?? Value.none
        case "__dict__": return .dict(try PyDict(assigned.filter { !$0.key.hasPrefix("__") }.map { (.str($0.key), $0.value) }))
        case "__defaults__":
            let defaults = parameters.filter { $0.kind == .normal }.compactMap(\.defaultValue)
            return defaults.isEmpty ? Value.none : .tuple(defaults)
        default: return nil
        }
    }

    func setAttribute(_ name: String, _ value: Value) throws -> Bool {
        assigned[name] = value
        return true
    }

    /// The string literal its body starts with, if any.
    private var docstring: String? {
        guard case .statements(let statements, _) = body, case .expression(let first)? = statements.first?.kind,
              case .string(let text) = first.kind else { return nil }
        return text
    }

    func call(_ arguments: Arguments, _ interpreter: Interpreter) throws -> Value? {
        let env = Environment(parent: closure)
        env.localNames = localNames
        env.isFunctionBody = true
        if let definingClass, let first = parameters.first { env.method = (definingClass, first.name) }
        try bind(arguments, into: env)
        if case .statements(_, isGenerator: true) = body {
            return .object(GeneratorObject(name, GeneratorThread(interpreter) { generator in
                env.generator = generator
                return try self.run(in: env, interpreter)
            }))
        }
        return try run(in: env, interpreter)
    }

    /// Runs the body in the call's scope, one level deeper, within the recursion limit.
    private func run(in env: Environment, _ interpreter: Interpreter) throws -> Value {
        guard interpreter.depth < interpreter.recursionLimit else {
            throw PyError(.recursionError, "maximum recursion depth exceeded")
        }
        interpreter.depth += 1
        defer { interpreter.depth -= 1 }
        switch body {
        case .expression(let e): return try interpreter.evaluate(e, env)
        case .statements(let statements, _):
            if case .returned(let value) = try interpreter.execute(statements, env) { return value }
            return Value.none
        }
    }

    private func bind(_ arguments: Arguments, into env: Environment) throws {
        if takesPlainArguments && arguments.keywords.isEmpty && arguments.positional.count == parameters.count {
            for (p, value) in zip(parameters, arguments.positional) { env.define(p.name, value) }
            return
        }
        let (normal, named) = (positionalParameters, namedParameters)
        var positional = arguments.positional[...]
        for p in normal where !positional.isEmpty { env.define(p.name, positional.removeFirst()) }
        if let varArgs = parameters.first(where: { $0.kind == .varArgs }) {
            env.define(varArgs.name, .tuple(Array(positional)))
        } else if !positional.isEmpty {
            throw PyError.type("\(name)() takes \(normal.count) positional argument\(normal.count == 1 ? "" : "s") but \(arguments.positional.count) were given")
        }
        let extra = PyDict()
        for (key, value) in arguments.keywords {
            if named.contains(where: { $0.name == key }) {
                guard env.values[key] == nil else { throw PyError.type("\(name)() got multiple values for argument '\(key)'") }
                env.define(key, value)
            } else if parameters.contains(where: { $0.kind == .varKeywords }) {
                try extra.set(.str(key), value)
            } else {
                throw PyError.type("\(name)() got an unexpected keyword argument '\(key)'")
            }
        }
        if let varKeywords = parameters.first(where: { $0.kind == .varKeywords }) { env.define(varKeywords.name, .dict(extra)) }
        let missing = named.filter { env.values[$0.name] == nil && $0.defaultValue == nil }
        if let first = missing.first {
            let kind = first.kind == .keywordOnly ? "keyword-only" : "positional"
            throw PyError.type("\(name)() missing \(missing.count) required \(kind) argument\(missing.count == 1 ? "" : "s"): \(missing.map { "'\($0.name)'" }.joined(separator: " and "))")
        }
        for p in named where env.values[p.name] == nil { env.define(p.name, p.defaultValue ?? .none) }
    }
}

/// An object `with` can enter (`with torch.no_grad():`): `enter` gives the `as` target's value, `exit` runs when the
/// block ends, however it ends.
public protocol ContextManager: PyObject {
    func enter() throws -> Value
    func exit()
}
