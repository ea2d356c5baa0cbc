/// `try` / `except` / `else` / `finally` and `raise`, with Python's exception classes.
extension Interpreter {
    /// Runs the `try` body; an exception goes to the first handler whose class matches it, `else` runs when none
    /// was raised, and `finally` always runs last (a `return` or `break` in it wins over a pending exception).
    func executeTry(_ body: [Stmt], _ handlers: [ExceptHandler], otherwise: [Stmt], finally final: [Stmt],
                    _ env: Environment) throws -> Flow {
        var flow = Flow.normal
        var pending: Error?
        do {
            var caught: PyError?
            do { flow = try execute(body, env) } catch let unwinding as GeneratorAbandoned { throw unwinding } catch {
                caught = Self.pythonError(error)
            }
            if let caught {
                guard let handler = try handlers.first(where: { try matches(caught, $0, env) }) else { throw caught }
                flow = try handle(caught, handler, env)
            } else if case .normal = flow {
                flow = try execute(otherwise, env)
            }
        } catch {
            pending = error
        }
        let finalFlow = try execute(final, env)
        if case .normal = finalFlow {} else { return finalFlow }
        if let pending { throw pending }
        return flow
    }

    /// Runs `handler` for `error`, with `as NAME` bound to the exception, and unbound after, as Python does.
    private func handle(_ error: PyError, _ handler: ExceptHandler, _ env: Environment) throws -> Flow {
        if let name = handler.name { env.define(name, .object(ExceptionObject.caught(error))) }
        handling.append(error)
        defer {
            handling.removeLast()
            if let name = handler.name { _ = env.remove(name) }
        }
        return try execute(handler.body, env)
    }

    /// Whether `handler` catches `error`: a bare `except:`, or a class (or tuple of classes) it derives from.
    private func matches(_ error: PyError, _ handler: ExceptHandler, _ env: Environment) throws -> Bool {
        guard let typeExpr = handler.type else { return true }
        let type = try evaluate(typeExpr, env)
        let classes = if case .tuple(let items) = type { items } else { [type] }
        return try locate(handler.location) {
            try classes.contains { value in
                if case .object(let c as ClassObject) = value, c.exceptionKind != nil {
                    return error.exception?.instance?.cls.isSubclass(of: c) ?? false
                }
                guard case .object(let c as ExceptionType) = value else {
                    throw PyError.type("catching classes that do not inherit from BaseException is not allowed")
                }
                return error.kind.isSubclass(of: c.kind)
            }
        }
    }

    /// The error `raise` throws: an exception or exception class, or the one being handled for a bare `raise`.
    func raised(_ expr: Expr?, cause: Expr?, _ env: Environment) throws -> PyError {
        guard let expr else {
            guard let current = handling.last else { return PyError(.runtimeError, "No active exception to reraise") }
            return current
        }
        let value = try evaluate(expr, env)
        if let cause { _ = try evaluate(cause, env) }
        var error = try PyError(raising: value)
        error.location = expr.location
        return error
    }

    /// Any error as the Python exception it is raised as.
    static func pythonError(_ error: Error) -> PyError {
        error as? PyError ?? PyError(kind(of: error), "\(error)")
    }
}

extension PyError {
    /// The error raising `value` throws: an exception, or a new one of an exception class (a TypeError for
    /// anything else).
    init(raising value: Value) throws {
        switch value {
        case .object(let exception as ExceptionObject): self = exception.error
        case .object(let type as ExceptionType): self = PyError(type.kind, "")
        case .object(let instance as InstanceObject) where instance.exception != nil: self = instance.exception!.error
        case .object(let cls as ClassObject) where cls.exceptionKind != nil:
            guard case .object(let instance as InstanceObject)? = try cls.call(Arguments(), cls.interpreter) else { fallthrough }
            self = instance.exception!.error
        default: self = PyError.type("exceptions must derive from BaseException")
        }
    }
}
