/// `operator`: Python's operators as functions (`operator.add`, `operator.itemgetter(1)`), for `sorted(key=...)`,
/// `functools.reduce` and `map`. Each runs the interpreter's own operator, special methods and tensors included.
enum OperatorModule {
    private static let binaries: [(String, BinaryOperator)] = [
        ("add", .add), ("sub", .subtract), ("mul", .multiply), ("truediv", .divide), ("floordiv", .floorDivide),
        ("mod", .modulo), ("pow", .power), ("matmul", .matrixMultiply), ("and_", .bitAnd), ("or_", .bitOr),
        ("xor", .bitXor), ("lshift", .leftShift), ("rshift", .rightShift), ("concat", .add),
    ]
    private static let comparisons: [(String, ComparisonOperator)] = [
        ("eq", .equal), ("ne", .notEqual), ("lt", .less), ("le", .lessOrEqual), ("gt", .greater), ("ge", .greaterOrEqual),
    ]
    private static let unaries: [(String, UnaryOperator)] = [("neg", .negate), ("pos", .plus), ("invert", .invert), ("inv", .invert), ("not_", .not)]

    static func make() -> PythonModule {
        var members = [String: Value]()
        for (name, op) in binaries {
            members[name] = builtin(name) { args in
                let a = try args.bind(name, ["a", "b"], required: 2)
                return try Operators.binary(op, a[0]!, a[1]!)
            }
        }
        for (name, op) in comparisons {
            members[name] = builtin(name) { args in
                let a = try args.bind(name, ["a", "b"], required: 2)
                return try Operators.richCompare(op, a[0]!, a[1]!)
            }
        }
        for (name, op) in unaries {
            members[name] = builtin(name) { args in try Operators.unary(op, try args.bind(name, ["a"], required: 1)[0]!) }
        }
        members["truth"] = builtin("truth") { args in .bool(try args.bind("truth", ["a"], required: 1)[0]!.isTruthy()) }
        members["is_"] = builtin("is_") { args in
            let a = try args.bind("is_", ["a", "b"], required: 2)
            return .bool(Operators.identical(a[0]!, a[1]!))
        }
        members["is_not"] = builtin("is_not") { args in
            let a = try args.bind("is_not", ["a", "b"], required: 2)
            return .bool(!Operators.identical(a[0]!, a[1]!))
        }
        members["contains"] = builtin("contains") { args in
            let a = try args.bind("contains", ["a", "b"], required: 2)
            return .bool(try Operators.contains(a[0]!, a[1]!))
        }
        members["index"] = builtin("index") { args in
            let a = try args.bind("index", ["a"], required: 1)[0]!
            guard let i = a.exactInteger else { throw PyError.type("'\(a.typeName)' object cannot be interpreted as an integer") }
            return .integer(i)
        }
        members["getitem"] = .object(BuiltinFunction("getitem", calling: { args, interpreter in
            let a = try args.bind("getitem", ["a", "b"], required: 2)
            return try Subscripts.get(a[0]!, [.value(a[1]!)], interpreter: interpreter)
        }))
        members["itemgetter"] = builtin("itemgetter") { args in try getter("itemgetter", args) { item, interpreter in
            { try Subscripts.get($0, [.value(item)], interpreter: interpreter) }
        } }
        members["attrgetter"] = builtin("attrgetter") { args in try getter("attrgetter", args) { name, interpreter in
            let path = try name.asString("attribute name").split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            return { object in
                try path.reduce(object) { value, name in
                    guard let next = try interpreter.attribute(value, name) else { throw PyError.missingAttribute(value, name) }
                    return next
                }
            }
        } }
        members["methodcaller"] = builtin("methodcaller") { args in
            guard let first = args.positional.first else { throw PyError.type("methodcaller needs at least one argument, the method name") }
            let name = try first.asString("method name"), rest = Arguments(Array(args.positional.dropFirst()), keywords: args.keywords)
            return .object(BuiltinFunction("methodcaller", calling: { call, interpreter in
                let object = try call.bind("methodcaller", ["obj"], required: 1)[0]!
                guard let method = try interpreter.attribute(object, name) else { throw PyError.missingAttribute(object, name) }
                return try interpreter.call(method, rest)
            }))
        }
        return PythonModule("operator", members)
    }

    /// `itemgetter(*items)` / `attrgetter(*names)`: a function of one object giving what `fetch` makes of each
    /// item (one value for one item, else a tuple).
    private static func getter(_ name: String, _ args: Arguments,
                               _ fetch: @escaping (Value, Interpreter) throws -> (Value) throws -> Value) throws -> Value {
        try args.expectKeywordsNone(name)
        let items = args.positional
        guard !items.isEmpty else { throw PyError.type("\(name) expected 1 argument, got 0") }
        return .object(BuiltinFunction(name, calling: { call, interpreter in
            let object = try call.bind(name, ["obj"], required: 1)[0]!
            let values = try items.map { try fetch($0, interpreter)(object) }
            return values.count == 1 ? values[0] : .tuple(values)
        }))
    }
}
