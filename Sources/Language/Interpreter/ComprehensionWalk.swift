/// The `for ... in ... if ...` clauses of a comprehension, walked one binding at a time: a generator expression
/// computes each item only when asked, and list, set and dict comprehensions drain the same walk.
final class ComprehensionWalk {
    private let clauses: [Comprehension]
    /// The comprehension's own scope, where its targets are bound.
    let scope: Environment
    let interpreter: Interpreter
    /// One iterator per clause entered, innermost last.
    private var iterators: [PythonIterator]

    /// A walk whose first iterable is already evaluated (in the enclosing scope, as Python does).
    init(_ clauses: [Comprehension], first: Value, in env: Environment, _ interpreter: Interpreter) throws {
        self.clauses = clauses
        scope = Environment(parent: env)
        scope.isComprehension = true
        self.interpreter = interpreter
        iterators = [try Iteration.iterator(first)]
    }

    /// Binds the targets to the next combination of items that passes every condition; false when none is left.
    func advance() throws -> Bool {
        while let iterator = iterators.last {
            guard let item = try iterator.next() else {
                iterators.removeLast()
                continue
            }
            try interpreter.checkInterrupt()
            let clause = clauses[iterators.count - 1]
            try interpreter.assign(clause.target, item, scope)
            guard try clause.conditions.allSatisfy({ try interpreter.evaluate($0, scope).isTruthy() }) else { continue }
            guard iterators.count < clauses.count else { return true }
            iterators.append(try Iteration.iterator(try interpreter.evaluate(clauses[iterators.count].iterable, scope)))
        }
        return false
    }
}
