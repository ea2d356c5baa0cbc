/// The `list` methods people use.
enum ListMethods {
    static let names = ["append", "extend", "insert", "pop", "remove", "index", "count", "sort", "reverse", "copy", "clear"]

    static func method(_ l: PyList, _ name: String, _ interpreter: Interpreter) -> Value? {
        guard names.contains(name) else { return nil }
        return Attributes.method(name) { args in try call(l, name, args, interpreter) }
    }

    private static func call(_ l: PyList, _ name: String, _ args: Arguments, _ interpreter: Interpreter) throws -> Value {
        switch name {
        case "append": l.items.append(try args.bind(name, ["object"], required: 1)[0]!)
        case "extend": l.items += try Iteration.materialize(try args.bind(name, ["iterable"], required: 1)[0]!)
        case "insert":
            let a = try args.bind(name, ["index", "object"], required: 2)
            let i = try a[0]!.asInt("index"), n = l.items.count
            l.items.insert(a[1]!, at: Swift.min(Swift.max(i < 0 ? i + n : i, 0), n))
        case "pop":
            guard !l.items.isEmpty else { throw PyError.index("pop from empty list") }
            let i = try args.bind(name, ["index"])[0].map { try $0.asInt("index") } ?? -1
            let p = i < 0 ? i + l.items.count : i
            guard p >= 0 && p < l.items.count else { throw PyError.index("pop index out of range") }
            return l.items.remove(at: p)
        case "remove", "index", "count":
            let x = try args.bind(name, ["value"], required: 1)[0]!
            var matches = [Int]()
            for (i, item) in l.items.enumerated() where try Operators.equal(item, x) { matches.append(i) }
            if name == "count" { return .int(matches.count) }
            guard let first = matches.first else {
                throw PyError.value(name == "remove" ? "list.remove(x): x not in list" : "\(x.repr) is not in list")
            }
            if name == "index" { return .int(first) }
            l.items.remove(at: first)
        case "sort":
            let a = try args.bind(name, ["key", "reverse"])
            l.items = try Builtins.sorted(l.items, key: a[0], reverse: try a[1]?.isTruthy() ?? false, interpreter)
        case "reverse": try args.expectNone(name); l.items.reverse()
        case "copy": try args.expectNone(name); return .list(PyList(l.items))
        case "clear": try args.expectNone(name); l.items = []
        default: throw PyError.attribute("list", name)
        }
        return .none
    }
}

/// The `dict` methods people use; a BatchEncoding's keys are attributes too (`encoding.input_ids`).
enum DictMethods {
    static let names = ["keys", "values", "items", "get", "pop", "update", "copy", "setdefault"]

    static func method(_ d: PyDict, _ name: String) throws -> Value? {
        if d.typeName == "BatchEncoding", let value = d.string(name) { return value }
        if let extra = d.extraAttributes[name] { return extra }
        guard names.contains(name) else { return nil }
        return Attributes.method(name) { args in try call(d, name, args) }
    }

    private static func call(_ d: PyDict, _ name: String, _ args: Arguments) throws -> Value {
        switch name {
        case "keys": try args.expectNone(name); return .object(DictView("keys", d.keys))
        case "values": try args.expectNone(name); return .object(DictView("values", d.values))
        case "items": try args.expectNone(name); return .object(DictView("items", d.items.map { .tuple([$0.0, $0.1]) }))
        case "get":
            let a = try args.bind(name, ["key", "default"], required: 1)
            return try d.get(a[0]!) ?? a[1] ?? .none
        case "pop":
            let a = try args.bind(name, ["key", "default"], required: 1)
            if let v = try d.get(a[0]!) { try d.remove(a[0]!); return v }
            guard let fallback = a[1] else { throw PyError.key(a[0]!.repr) }
            return fallback
        case "setdefault":
            let a = try args.bind(name, ["key", "default"], required: 1)
            if let v = try d.get(a[0]!) { return v }
            try d.set(a[0]!, a[1] ?? .none)
            return a[1] ?? .none
        case "update":
            for (k, v) in try Iteration.mappingItems(try args.bind(name, ["other"], required: 1)[0]!) { try d.set(k, v) }
            return .none
        case "copy": try args.expectNone(name); return .dict(try PyDict(d.items, typeName: d.typeName))
        default: throw PyError.attribute(d.typeName, name)
        }
    }
}
