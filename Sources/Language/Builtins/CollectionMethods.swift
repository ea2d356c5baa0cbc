import TensorCore

/// The `list` methods people use.
enum ListMethods {
    static let table = MemberTable<PyList>("list", [
        .method("append", "object, /", "adds object at the end") { l, call in l.items.append(call[0]!); return .none },
        .method("extend", "iterable, /", "adds the items of iterable at the end") { l, call in
            l.items += try Iteration.materialize(call[0]!)
            return .none
        },
        .method("insert", "index, object, /", "inserts object before index") { l, call in
            let i = try call[0]!.asIndex(), n = l.items.count
            l.items.insert(call[1]!, at: Swift.min(Swift.max(i < 0 ? i + n : i, 0), n))
            return .none
        },
        .method("pop", "index=-1, /", "removes and returns the item at index (the last by default)") { l, call in
            guard !l.items.isEmpty else { throw PyError.index("pop from empty list") }
            let i = try call[0].map { try $0.asIndex() } ?? -1
            let p = i < 0 ? i + l.items.count : i
            guard p >= 0 && p < l.items.count else { throw PyError.index("pop index out of range") }
            return l.items.remove(at: p)
        },
        .method("remove", "value, /", "removes the first item equal to value") { l, call in
            guard let first = try firstIndex(of: call[0]!, in: l.items) else { throw PyError.value("list.remove(x): x not in list") }
            l.items.remove(at: first)
            return .none
        },
        .method("index", "value, start=0, stop=sys.maxsize, /", "the index of the first item equal to value (from start to stop)") { l, call in
            guard let first = try firstIndex(of: call[0]!, in: l.items, within: try indexBounds(call, count: l.items.count)) else { throw PyError.value("\(call[0]!.repr) is not in list") }
            return .int(first)
        },
        .method("count", "value, /", "how many items equal value") { l, call in
            var count = 0
            for item in l.items where try Operators.equal(item, call[0]!) { count += 1 }
            return .int(count)
        },
        .method("sort", "key=None, reverse=False", "sorts the list in place, stably, by key(item) when given") { l, call in
            l.items = try Builtins.sorted(l.items, key: call[0], reverse: try call[1]?.isTruthy() ?? false, call.interpreter)
            return .none
        },
        .method("reverse", "/", "reverses the list in place") { l, _ in l.items.reverse(); return .none },
        .method("copy", "/", "a shallow copy of the list") { l, _ in .list(PyList(l.items)) },
        .method("clear", "/", "removes every item") { l, _ in l.items = []; return .none },
    ])
}

/// The `dict` methods people use.
public enum DictMethods {
    public static let table = MemberTable<PyDict>("dict", [
        .method("keys", "/", "a view of the keys, in insertion order") { d, _ in .object(DictView("keys") { d.keys }) },
        .method("values", "/", "a view of the values, in insertion order") { d, _ in .object(DictView("values") { d.values }) },
        .method("items", "/", "a view of the (key, value) pairs, in insertion order") { d, _ in
            .object(DictView("items") { d.items.map { .tuple([$0.0, $0.1]) } })
        },
        .method("get", "key, default=None, /", "the value of key, or default when it is absent") { d, call in
            try d.get(call[0]!) ?? call[1] ?? .none
        },
        .method("pop", "key, default=<unrepresentable>, /", "removes key and returns its value (default when absent, else KeyError)") { d, call in
            if let v = try d.get(call[0]!) { try d.remove(call[0]!); return v }
            guard let fallback = call[1] else { throw PyError.key(call[0]!) }
            return fallback
        },
        .method("update", "*other, **kwargs", "sets every key of other (a mapping or pairs), then each keyword") { d, call in
            let arguments = call.arguments
            guard arguments.positional.count <= 1 else {
                throw PyError.type("update expected at most 1 argument, got \(arguments.positional.count)")
            }
            if let other = arguments.positional.first { for (k, v) in try keyValuePairs(other) { try d.set(k, v) } }
            for (name, value) in arguments.keywords { try d.set(.str(name), value) }
            return .none
        },
        .method("copy", "/", "a shallow copy of the dict") { d, _ in .dict(try PyDict(d.items, flavor: d.flavor)) },
        .method("clear", "/", "removes every entry") { d, _ in
            for key in d.keys { try d.remove(key) }
            return .none
        },
        .method("popitem", "/", "removes and returns the last (key, value) pair inserted") { d, _ in
            guard let (key, value) = d.popEntry(last: true) else { throw PyError.key(.str("popitem(): dictionary is empty")) }
            return .tuple([key, value])
        },
        .method("setdefault", "key, default=None, /", "the value of key, first setting it to default when absent") { d, call in
            if let v = try d.get(call[0]!) { return v }
            try d.set(call[0]!, call[1] ?? .none)
            return call[1] ?? .none
        },
    ])

}

extension DictMethods {
    /// The pairs of `dict.update(other)`: a mapping's items, or an iterable of (key, value) pairs.
    public static func keyValuePairs(_ other: Value) throws -> [(Value, Value)] {
        // an object with keys() is a mapping, as CPython reads one: its keys, then each item by key
        if case .object(let instance as InstanceObject) = other, let keys = try instance.callSpecial("keys") {
            return try Iteration.materialize(keys).map { key in (key, try Subscripts.get(other, [.value(key)])) }
        }
        switch other {
        case .dict, .object(is MappingObject): return try Iteration.mappingItems(other)
        default:
            return try Iteration.materialize(other).enumerated().map { i, item in
                let pair = try Iteration.materialize(item)
                guard pair.count == 2 else {
                    throw PyError.value("dictionary update sequence element #\(i) has length \(pair.count); 2 is required")
                }
                return (pair[0], pair[1])
            }
        }
    }
}

/// The `tuple` methods.
enum TupleMethods {
    static let table = MemberTable<[Value]>("tuple", [
        .method("index", "value, start=0, stop=sys.maxsize, /", "the index of the first item equal to value (from start to stop)") { t, call in
            guard let first = try firstIndex(of: call[0]!, in: t, within: try indexBounds(call, count: t.count)) else { throw PyError.value("tuple.index(x): x not in tuple") }
            return .int(first)
        },
        .method("count", "value, /", "how many items equal value") { t, call in
            var count = 0
            for item in t where try Operators.equal(item, call[0]!) { count += 1 }
            return .int(count)
        },
    ])
}

/// `list.index` / `tuple.index`'s start and stop (the call's second and third arguments): slice indices, not None;
/// negative ones count from the end, both cut to the `count` items.
private func indexBounds(_ call: Call, count: Int) throws -> Range<Int> {
    for argument in [call[1], call[2]] {
        if let argument, case .none = argument { throw PyError.type("slice indices must be integers or have an __index__ method") }
    }
    let slice = try resolveSlice(start: Subscripts.optionalInt(call[1]), stop: Subscripts.optionalInt(call[2]), step: 1, length: count)
    return slice.start..<slice.start + slice.count
}

/// Where `value` first is among `items` (within `bounds`).
private func firstIndex(of value: Value, in items: [Value], within bounds: Range<Int>? = nil) throws -> Int? {
    for i in bounds ?? items.indices where try Operators.equal(items[i], value) { return i }
    return nil
}
