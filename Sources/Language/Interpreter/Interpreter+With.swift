/// The `with` statement over sbpl's context managers (`torch.no_grad()`, files) and the program's (`__enter__`,
/// `__exit__`).
extension Interpreter {
    /// Enters each context in turn (the first outermost), runs the body, and leaves them in reverse order however
    /// the body ends. A program's `__exit__` gets the exception that ended the block as (class, exception, None),
    /// or three Nones, and suppresses the exception by returning a true value.
    func executeWith(_ items: ArraySlice<(context: Expr, target: Expr?)>, _ body: [Stmt], _ env: Environment) throws -> Flow {
        guard let item = items.first else { return try execute(body, env) }
        let context = try evaluate(item.context, env)
        let (value, exit) = try locate(item.context.location) { try enter(context) }
        let flow: Flow
        do {
            if let target = item.target { try assign(target, value, env) }
            flow = try executeWith(items.dropFirst(), body, env)
        } catch let unwinding as GeneratorAbandoned {
            _ = try? exit(nil)
            throw unwinding
        } catch {
            if try exit(Self.pythonError(error)) { return .normal }
            throw error
        }
        _ = try exit(nil)
        return flow
    }

    /// What entering `context` gives the `as` target, and how to leave it (true: the exception is suppressed).
    private func enter(_ context: Value) throws -> (Value, exit: (PyError?) throws -> Bool) {
        if case .object(let manager as ContextManager) = context {
            return (try manager.enter(), { _ in manager.exit(); return false })
        }
        guard let instance = context.instance, instance.cls.lookup("__exit__") != nil, let value = try instance.callSpecial("__enter__") else {
            throw PyError.type("'\(context.typeName)' object does not support the context manager protocol")
        }
        return (value, { error in
            let details: [Value] = error.map { error in
                let cls: PyObject = if let own = error.exception?.instance?.cls { own } else { ExceptionType.of(error.kind) }
                return [.object(cls), .object(ExceptionObject.caught(error)), .none]
            } ?? [.none, .none, .none]
            return try instance.callSpecial("__exit__", Arguments(details))?.isTruthy() ?? false
        })
    }
}
