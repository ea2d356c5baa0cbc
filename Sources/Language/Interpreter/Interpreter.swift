import Diagnostics
import Foundation
import Logging
import PythonText
import TensorCore

/// The tree-walking evaluator: executes statements and evaluates expressions over a global environment whose
/// parent holds the builtins. Output goes through `write`, so scripts, the REPL and tests can each direct it.
public final class Interpreter {
    /// The user's variables (the typed value store).
    public let globals: Environment
    let builtins: Environment
    /// Writes program output (stdout).
    public var write: (String) -> Void
    /// Writes what the program sends to `sys.stderr` (the process's stderr; a notebook cell's stderr stream).
    public var writeError: (String) -> Void = { StandardStreams.write($0, to: .error) }
    /// What `input(prompt)` reads: a line of the shell's or the notebook's input, set by the front end; nil for a
    /// script, which writes the prompt and reads standard input.
    public var readInput: ((String) -> String?)?

    /// Writes program output (`print`, `sys.stdout.write`), raising Python's `OSError` (`BrokenPipeError` for a
    /// pipe whose reader has gone) when writing to the process's standard output failed.
    func writeOutput(_ text: String) throws {
        write(text)
        guard let code = StandardStreams.takeFailure(of: .output) else { return }
        throw PyError(code == EPIPE ? .brokenPipeError : .osError, "[Errno \(code)] \(String(cString: strerror(code)))")
    }

    /// `input(prompt)`'s line, without its newline; nil at the end of the input.
    func readLine(prompt: String) -> String? {
        if let readInput { return readInput(prompt) }
        write(prompt)
        return Swift.readLine(strippingNewline: true)
    }
    /// Where warnings and error reports go: transformers' logger, through swift-log. sbpl's CLI bootstraps
    /// `MessageLogHandler` (the bare message on stderr, as transformers prints it); a test points it at a `LogBuffer`.
    public var logger: Logger
    /// Warnings given once per session (transformers' `logger.warning_once`).
    private var warned = Set<String>()

    /// Logs `message` as a warning (transformers' `logger.warning`).
    public func warn(_ message: String) {
        logger.warning("\(message)")
    }

    /// Logs `message` as a warning unless it was logged before.
    public func warnOnce(_ message: String) {
        if warned.insert(message).inserted { warn(message) }
    }
    /// The value of a lazy builtin (see `lazyBuiltins`), made on first use and kept as a builtin.
    func lazyBuiltin(_ name: String) throws -> Value? {
        guard let make = lazyBuiltins[name] else { return nil }
        let value = try make(self)
        builtins.define(name, value)
        return value
    }

    /// The exceptions being handled, innermost last: what a bare `raise` raises again.
    var handling = [PyError]()
    /// Python's default recursion limit.
    public var recursionLimit = 1000
    var depth = 0
    /// The generator bodies running on threads of their own (`GeneratorThread`).
    let generatorThreads = GeneratorThreads()
    /// The modules `import` can load; the bindings register theirs here.
    public let modules: ModuleRegistry
    /// The texts run with a name, for errors raised in them later.
    public let sources = SourceTable()
    /// Names that create their value on first use (the short forms `tokenizer` and `model`), registered by the
    /// bindings; `lazyBuiltin` defines the value as a builtin once made.
    public var lazyBuiltins: [String: (Interpreter) throws -> Value] = [:]
    /// `sys.argv`.
    public var arguments: [String] = [""]
    /// Whether a person types the cells (the shell, a notebook) rather than a script running: the short forms load
    /// their default checkpoint for a person, but never cover a script's own mistake.
    public var isInteractive = false
    /// Whether a generation shows its new text as it comes without a `TextStreamer` (the terminal shell and the
    /// Jupyter kernel; not scripts or notebooks run to a file, whose output stays transformers').
    public var streamsGeneration = false
    /// How running code asks whether Ctrl-C was pressed (between statements, loop iterations and model layers):
    /// the process's `Interrupt` flag, or a test's own.
    public var checkInterrupt: () throws -> Void = Interrupt.check
    /// The native classes the program's classes derive from, by qualified name (`nativeClass`).
    var nativeClasses: [String: ClassObject] = [:]

    /// An interpreter printing with `write` (stdout by default) and logging to `logger` (the process's logging
    /// system by default).
    public init(write: @escaping (String) -> Void = { StandardStreams.write($0, to: .output) },
                logger: Logger = Logger(label: "sbpl")) {
        self.write = write
        self.logger = logger
        builtins = Environment()
        globals = Environment(parent: builtins)
        modules = ModuleRegistry()
        modules.interpreter = self
        Builtins.install(into: builtins, self)
    }

    /// Parses and runs `source`; the value of a final expression statement is returned (for the REPL's `Out`).
    /// With a `file` name, errors raised later in the functions it defines name it and show its lines.
    @discardableResult
    public func run(_ source: String, file: String? = nil) throws -> Value? {
        try run(try compile(source, file: file))
    }

    /// `source` parsed, to be run (perhaps many times, as `%timeit` runs it) by `run(_:)`; with a `file` name, as `run`.
    public func compile(_ source: String, file: String? = nil) throws -> [Stmt] {
        try Parser.parse(source, number: file.map { sources.register(source, name: $0) } ?? 0)
    }

    /// Runs parsed statements; the value of a final expression statement is returned.
    @discardableResult
    public func run(_ statements: [Stmt]) throws -> Value? {
        var last: Value?
        for statement in statements {
            last = nil
            if case .expression(let e) = statement.kind {
                try checkInterrupt()
                let value = try locate(statement.location) { try evaluate(e, globals) }
                if !statement.silenced { last = value }
            } else {
                _ = try execute(statement, globals)
            }
        }
        return last
    }

    /// Runs `body`, giving an error without a position the position of `location`.
    func locate<T>(_ location: SourceLocation, _ body: () throws -> T) throws -> T {
        do { return try body() } catch var error as PyError {
            if error.location == nil { error.location = location }
            throw error
        } catch let unwinding as GeneratorAbandoned {
            throw unwinding
        } catch {
            throw PyError(Self.kind(of: error), "\(error)", at: location)
        }
    }

    /// The Python exception class an error is raised as: what a library's error declares, else `RuntimeError`.
    static func kind(of error: Error) -> ExceptionKind {
        (error as? PythonRaisable)?.exceptionKind ?? .runtimeError
    }

    // MARK: Statements

    /// How a statement ended.
    enum Flow {
        case normal, breakLoop, continueLoop
        case returned(Value)
    }

    func execute(_ body: [Stmt], _ env: Environment) throws -> Flow {
        for statement in body {
            let flow = try execute(statement, env)
            if case .normal = flow { continue }
            return flow
        }
        return .normal
    }

    func execute(_ statement: Stmt, _ env: Environment) throws -> Flow {
        try checkInterrupt()
        return try locate(statement.location) { try executeKind(statement, env) }
    }

    private func executeKind(_ statement: Stmt, _ env: Environment) throws -> Flow {
        switch statement.kind {
        case .expression(let e):
            _ = try evaluate(e, env)
        case .assign(let targets, let valueExpr):
            let value = try evaluate(valueExpr, env)
            for target in targets { try assign(target, value, env) }
        case .annotatedAssign(let target, let annotation, let valueExpr):
            // a function's annotations of its variables are never evaluated; a module's and a class's are, and a
            // name's is kept in the scope's `__annotations__` (PEP 526), which dataclasses read
            if !env.isFunctionBody {
                let hint = try evaluate(annotation, env)
                if case .name(let name) = target.kind { try annotations(of: env).set(.str(name), hint) }
            }
            if let valueExpr { try assign(target, try evaluate(valueExpr, env), env) }
        case .augmentedAssign(let target, let op, let valueExpr):
            let current = try evaluate(target, env)
            let value = try locate(statement.location) { try Operators.binary(op, current, try evaluate(valueExpr, env), inPlace: true) }
            try assign(target, value, env)
        case .if(let branches, let otherwise):
            for branch in branches where try evaluate(branch.test, env).isTruthy() {
                return try execute(branch.body, env)
            }
            return try execute(otherwise, env)
        case .for(let target, let iterableExpr, let body, let otherwise):
            return try forLoop(target, try evaluate(iterableExpr, env), body, otherwise, env)
        case .while(let test, let body, let otherwise):
            while try evaluate(test, env).isTruthy() {
                switch try execute(body, env) {
                case .breakLoop: return .normal
                case .returned(let v): return .returned(v)
                default: continue
                }
            }
            return try execute(otherwise, env)
        case .break: return .breakLoop
        case .continue: return .continueLoop
        case .pass: break
        case .return(let e): return .returned(try e.map { try evaluate($0, env) } ?? .none)
        case .function(let name, let parameters, let body, let isGenerator):
            env.define(name, .object(UserFunction(name: name, parameters: try evaluateDefaults(parameters, env),
                                                  body: .statements(body, isGenerator: isGenerator), closure: env.closureScope)))
        case .classDefinition(let name, let bases, let body):
            env.define(name, .object(try defineClass(name, bases, body, env)))
        case .decorated(let decorators, let definition):
            try executeDecorated(decorators, definition, env)
        case .with(let items, let body):
            return try executeWith(items[...], body, env)
        case .import(let modules):
            for (name, alias) in modules {
                let module = try self.modules.module(name)
                if let alias { env.define(alias, module) } else {
                    let top = String(name.split(separator: ".")[0])
                    env.define(top, try self.modules.module(top))
                }
            }
        case .fromImport(let moduleName, let names):
            let module = try modules.module(moduleName)
            for (name, alias) in names {
                guard let value = try attribute(module, name) else {
                    throw PyError(.importError, "cannot import name '\(name)' from '\(moduleName)'")
                }
                env.define(alias ?? name, value)
            }
        case .fromImportAll(let moduleName):
            for (name, value) in try modules.pythonModule(moduleName).publicMembers { env.define(name, value) }
        case .delete(let targets):
            for target in targets { try delete(target, env) }
        case .declare(let declaration, let names):
            if declaration == .nonlocal && env === globals {
                throw PyError.syntax("nonlocal declaration not allowed at module level", at: statement.location)
            }
            for name in names where env !== globals { env.declare(name, declaration) }
        case .assert(let test, let message):
            if try !evaluate(test, env).isTruthy() {
                throw PyError(.assertionError, try message.map { try evaluate($0, env).str } ?? "")
            }
        case .raise(let error, let cause):
            throw try raised(error, cause: cause, env)
        case .try(let body, let handlers, let otherwise, let final):
            return try executeTry(body, handlers, otherwise: otherwise, finally: final, env)
        }
        return .normal
    }

    private func forLoop(_ target: Expr, _ iterable: Value, _ body: [Stmt], _ otherwise: [Stmt], _ env: Environment) throws -> Flow {
        var result = Flow.normal
        var broke = false
        try Iteration.forEach(iterable) { item in
            try checkInterrupt()
            try assign(target, item, env)
            switch try execute(body, env) {
            case .breakLoop: broke = true; return false
            case .returned(let v): result = .returned(v); return false
            default: return true
            }
        }
        if case .returned = result { return result }
        return broke ? .normal : try execute(otherwise, env)
    }

    func evaluateDefaults(_ parameters: [Parameter], _ env: Environment) throws -> [UserFunction.Parameter] {
        try parameters.map { UserFunction.Parameter(name: $0.name, defaultValue: try $0.defaultValue.map { try evaluate($0, env) }, kind: $0.kind) }
    }

    // MARK: Assignment

    /// Binds `name` where Python would: the globals for a `global` name, the nearest enclosing function's scope
    /// for a `nonlocal` one, else the current scope.
    func bind(_ name: String, _ value: Value, _ env: Environment) throws {
        if env.declarations.isEmpty { return env.define(name, value) }  // no `global` or `nonlocal` here: the common case
        switch env.declarations[name] {
        case .global?: globals.define(name, value)
        case .nonlocal?:
            var scope = env.parent
            while let s = scope, s !== globals, s !== builtins {
                if s.values[name] != nil { return s.define(name, value) }
                scope = s.parent
            }
            throw PyError(.syntaxError, "no binding for nonlocal '\(name)' found")
        case nil: env.define(name, value)
        }
    }

    func assign(_ target: Expr, _ value: Value, _ env: Environment) throws {
        switch target.kind {
        case .name(let name):
            try bind(name, value, env)
        case .tuple(let targets), .list(let targets):
            let items = try Iteration.materialize(value)
            let starIndex = targets.firstIndex { if case .starred = $0.kind { return true } else { return false } }
            if let s = starIndex {
                guard items.count >= targets.count - 1 else {
                    throw PyError.value("not enough values to unpack (expected at least \(targets.count - 1), got \(items.count))")
                }
                let tailCount = targets.count - s - 1
                for i in 0..<s { try assign(targets[i], items[i], env) }
                if case .starred(let inner) = targets[s].kind {
                    try assign(inner, .list(PyList(Array(items[s..<(items.count - tailCount)]))), env)
                }
                for i in 0..<tailCount { try assign(targets[s + 1 + i], items[items.count - tailCount + i], env) }
                return
            }
            guard items.count == targets.count else {
                throw PyError.value(items.count > targets.count ? "too many values to unpack (expected \(targets.count))"
                                    : "not enough values to unpack (expected \(targets.count), got \(items.count))")
            }
            for (t, v) in zip(targets, items) { try assign(t, v, env) }
        case .attribute(let objectExpr, let name):
            try setAttribute(try evaluate(objectExpr, env), name, value)
        case .subscript(let objectExpr, let items):
            let object = try evaluate(objectExpr, env)
            try Subscripts.set(object, try subscriptKey(items, env), value)
        case .starred:
            throw PyError.syntax("starred assignment target must be in a list or tuple", at: target.location)
        default:
            throw PyError.syntax("cannot assign to expression", at: target.location)
        }
    }

    /// The `__annotations__` dict of a module's or a class's scope, made at its first annotation.
    private func annotations(of env: Environment) -> PyDict {
        if case .dict(let annotations)? = env.values["__annotations__"] { return annotations }
        let annotations = PyDict()
        env.define("__annotations__", .dict(annotations))
        return annotations
    }

    private func delete(_ target: Expr, _ env: Environment) throws {
        switch target.kind {
        case .name(let name):
            guard env.remove(name) else { throw PyError.name(name) }
        case .subscript(let objectExpr, let items):
            try Subscripts.delete(try evaluate(objectExpr, env), try subscriptKey(items, env))
        case .attribute(let objectExpr, let name):
            try deleteAttribute(try evaluate(objectExpr, env), name)
        default:
            throw PyError.syntax("cannot delete expression", at: target.location)
        }
    }
}
