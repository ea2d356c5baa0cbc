/// A generator: what calling a generator function gives (its body on a `GeneratorThread`) or a generator expression
/// (its clauses walked lazily by a `ComprehensionWalk`). Iterating it, `next()`, `send()` and `throw()` run it a step at a time.
final class GeneratorObject: PythonIterator, MemberTableObject {
    enum Body {
        case function(GeneratorThread)
        case expression(ComprehensionWalk, element: Expr)
    }

    /// The function's name, `<genexpr>` for an expression.
    let name: String
    private let body: Body
    /// What the body returned, once it has (`yield from` gives it).
    private(set) var returned = Value.none

    init(_ name: String, _ thread: GeneratorThread) {
        self.name = name
        body = .function(thread)
    }

    init(_ walk: ComprehensionWalk, element: Expr) {
        name = "<genexpr>"
        body = .expression(walk, element: element)
    }

    deinit {
        if case .function(let thread) = body { try? thread.close() }
    }

    var typeName: String { "generator" }
    var repr: String { "<generator object \(name) at \(objectAddress(self))>" }

    func next() throws -> Value? { try send(.none) }

    /// Runs the generator to its next `yield` with `value` as what the paused one gives; nil once it has ended.
    func send(_ value: Value) throws -> Value? {
        switch body {
        case .expression(let walk, let element):
            return try walk.advance() ? try walk.interpreter.evaluate(element, walk.scope) : nil
        case .function(let thread): return try item(try thread.resume(sending: value))
        }
    }

    /// Raises `error` where the generator is paused; what it yields next, nil once it has ended.
    func raise(_ error: PyError) throws -> Value? {
        guard case .function(let thread) = body else { throw error }
        return try item(try thread.resume(raising: error))
    }

    private func item(_ outcome: GeneratorThread.Outcome) throws -> Value? {
        switch outcome {
        case .yielded(let item): return item
        case .returned(let value):
            returned = value
            return nil
        case .raised(let error): throw error
        }
    }

    static let members = MemberTable<GeneratorObject>("generator", [
        .method("send", "value", "resumes the generator, the paused yield giving value; the next value yielded") { generator, call in
            guard let item = try generator.send(call[0]!) else { throw PyError.stopIteration(generator.returned) }
            return item
        },
        .method("throw", "value", "raises value (an exception or exception class) where the generator is paused; the next value yielded") { generator, call in
            guard let item = try generator.raise(try PyError(raising: call[0]!)) else { throw PyError.stopIteration(generator.returned) }
            return item
        },
        .method("close", "", "raises GeneratorExit where the generator is paused, ending it") { generator, _ in
            if case .function(let thread) = generator.body { try thread.close() }
            return .none
        },
    ])
}

extension PyError {
    /// The end of an iterator; a generator's return value is the exception's argument.
    static func stopIteration(_ value: Value) -> PyError {
        if case .none = value { return PyError(.stopIteration, "") }
        return ExceptionObject(.stopIteration, [value]).error
    }
}

extension Interpreter {
    /// `yield from iterable` in a generator's body: yields each of its items (passing sent values on to a
    /// generator) and gives a generator's return value.
    func yieldFrom(_ iterable: Value, to generator: GeneratorThread) throws -> Value {
        guard case .object(let inner as GeneratorObject) = iterable else {
            try Iteration.forEach(iterable) { item in
                _ = try generator.yield(item)
                return true
            }
            return .none
        }
        var sent = Value.none
        while let item = try inner.send(sent) { sent = try generator.yield(item) }
        return inner.returned
    }
}
