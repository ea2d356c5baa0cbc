/// A builtin that reads the scope it is called from (`super()`, `locals()`): the evaluator passes it the scope of
/// the call expression; called by another builtin (`map(locals, ...)`), it has none.
protocol ScopeReading: CallableObject {
    func call(_ arguments: Arguments, from env: Environment?, _ interpreter: Interpreter) throws -> Value
}

extension ScopeReading {
    func call(_ arguments: Arguments, _ interpreter: Interpreter) throws -> Value? { try call(arguments, from: nil, interpreter) }
}

/// `globals()` and `locals()`: the module's names, or those of the scope of the call (a function's, a class body's;
/// the module's at its top level), as a dict in the order they were bound. The dict is a copy taken at the call;
/// assigning into (or deleting from) the module's sets (or deletes) the variable, as in Python.
final class NamespaceBuiltin: ScopeReading {
    enum Kind: String, CaseIterable { case globals, locals }
    let kind: Kind

    init(_ kind: Kind) { self.kind = kind }

    var typeName: String { "builtin_function_or_method" }
    var repr: String { "<built-in function \(kind.rawValue)>" }

    func call(_ arguments: Arguments, from env: Environment?, _ interpreter: Interpreter) throws -> Value {
        try arguments.expectNone(kind.rawValue)
        let scope = kind == .locals ? env ?? interpreter.globals : interpreter.globals
        let names = try PyDict(scope.values.map { (Value.str($0.key), $0.value) })
        if scope === interpreter.globals {
            names.onChange = { [scope] key, value in
                guard case .str(let name) = key else { return }
                if let value { scope.define(name, value) } else { scope.remove(name) }
            }
        }
        return .dict(names)
    }
}
