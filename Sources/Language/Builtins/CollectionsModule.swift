/// Which dict a `PyDict` is: a plain one or one of the collections module's subclasses, each with its own repr, its
/// answer to a missing key and its own methods on top of dict's.
public enum DictFlavor {
    case dict
    /// `Counter`: a missing key counts 0; printed most common first.
    case counter
    /// `defaultdict(factory)`: a missing key is set to `factory()` (a KeyError when it is None).
    case defaultdict(factory: Value)
    /// `OrderedDict`: printed as its pairs, with `move_to_end` and `popitem(last=)`.
    case ordered

    /// `type(d).__name__`.
    var typeName: String {
        switch self {
        case .dict: "dict"
        case .counter: "Counter"
        case .defaultdict: "defaultdict"
        case .ordered: "OrderedDict"
        }
    }

    /// The methods it has besides dict's (looked up first, so Counter's `update` counts).
    var methods: MemberTable<PyDict>? {
        switch self {
        case .dict: nil
        case .counter: CollectionsModule.counterMethods
        case .defaultdict: CollectionsModule.defaultDictMembers
        case .ordered: CollectionsModule.orderedDictMethods
        }
    }
}

extension PyDict {
    /// `d[key]` for a key it lacks: a Counter's 0, a defaultdict's new default (stored first); nil for a KeyError.
    func missing(_ key: Value, _ interpreter: Interpreter?) throws -> Value? {
        switch flavor {
        case .counter: return .int(0)
        case .defaultdict(let factory):
            guard let interpreter, case .object = factory else { return nil }
            let value = try interpreter.call(factory, Arguments())
            try set(key, value)
            return value
        default: return nil
        }
    }

    /// The entries as `repr` shows them: a Counter's most common first (ties in insertion order), when its counts
    /// can be ordered.
    var printedItems: [(Value, Value)] {
        guard case .counter = flavor else { return items }
        return (try? CollectionsModule.mostCommon(self)) ?? items
    }

    /// Around the entries in `repr`: `Counter({` ... `})`; `scalar` writes a defaultdict's factory.
    func brackets(_ scalar: (Value) throws -> String) rethrows -> (opening: String, closing: String) {
        switch flavor {
        case .dict: ("{", "}")
        case .counter: count == 0 ? ("Counter(", ")") : ("Counter({", "})")
        case .defaultdict(let factory): ("defaultdict(\(try scalar(factory)), {", "})")
        case .ordered: count == 0 ? ("OrderedDict(", ")") : ("OrderedDict([", "])")
        }
    }
}

extension Value {
    fileprivate var isDict: Bool { if case .dict = self { true } else { false } }
    fileprivate var isMappingObject: Bool { if case .object(_ as MappingObject) = self { true } else { false } }
}

/// `collections`: Counter, defaultdict and OrderedDict (dicts of another flavor), `deque` and `namedtuple`.
enum CollectionsModule {
    static func make() -> PythonModule {
        var members = Dictionary(uniqueKeysWithValues: (types + [Deque.type]).map { ($0.name, Value.object($0)) })
        members["namedtuple"] = builtin("namedtuple") { .object(try NamedTupleType($0)) }
        return PythonModule("collections", members, planned: ["ChainMap", "UserDict", "UserList", "UserString", "abc"])
    }

    /// The module's classes, which `type(d)` of a Counter also returns.
    nonisolated(unsafe) static let types: [TypeObject] = [
        TypeObject("Counter", qualified: "collections.Counter") { args in
            guard args.positional.count <= 1 else { throw PyError.type("expected at most 1 argument, got \(args.positional.count)") }
            let counter = PyDict(flavor: .counter)
            try count(args.positional.first, keywords: args.keywords, into: counter, sign: 1)
            return .dict(counter)
        },
        TypeObject("defaultdict", qualified: "collections.defaultdict") { args in
            var rest = args
            let factory = rest.positional.isEmpty ? Value.none : rest.positional.removeFirst()
            let callable = switch factory {
            case .none: true
            case .object(let f): f.isCallable
            default: false
            }
            guard callable else { throw PyError.type("first argument must be callable or None") }
            return try filled(PyDict(flavor: .defaultdict(factory: factory)), "defaultdict", rest)
        },
        TypeObject("OrderedDict", qualified: "collections.OrderedDict") { args in
            try filled(PyDict(flavor: .ordered), "OrderedDict", args)
        },
    ]

    /// `d` updated from `dict(...)`'s arguments: a mapping or pairs, then keywords.
    private static func filled(_ d: PyDict, _ name: String, _ args: Arguments) throws -> Value {
        guard args.positional.count <= 1 else { throw PyError.type("\(name) expected at most 1 argument, got \(args.positional.count)") }
        if let other = args.positional.first { for (k, v) in try DictMethods.keyValuePairs(other) { try d.set(k, v) } }
        for (name, value) in args.keywords { try d.set(.str(name), value) }
        return .dict(d)
    }

    /// Adds (`sign` 1) or takes away (-1) the counts of `source` (a mapping's values, or one per item of an iterable)
    /// and of `keywords`, as Counter's `update` and `subtract` do: a mapping added to an empty Counter is copied as it
    /// is, else each count is added (`count + current`) or taken away (`current - count`).
    static func count(_ source: Value?, keywords: [(name: String, value: Value)], into counter: PyDict, sign: Int) throws {
        func add(_ pairs: [(Value, Value)]) throws {
            let copied = sign > 0 && counter.count == 0
            for (key, amount) in pairs {
                let current = try counter.get(key) ?? .int(0)
                let count = copied ? amount : sign > 0 ? try Operators.binary(.add, amount, current) : try Operators.binary(.subtract, current, amount)
                try counter.set(key, count)
            }
        }
        switch source {
        case nil, .none?: break
        case let mapping? where mapping.isDict || mapping.isMappingObject: try add(try Iteration.mappingItems(mapping))
        case let iterable?:
            for item in try Iteration.materialize(iterable) {
                try counter.set(item, try Operators.binary(sign > 0 ? .add : .subtract, try counter.get(item) ?? .int(0), .int(1)))
            }
        }
        try add(keywords.map { (Value.str($0.name), $0.value) })
    }

    /// Counter's `update` or `subtract` call (at most one positional argument, then keywords).
    private static func count(_ call: Call, _ name: String, into counter: PyDict, sign: Int) throws -> Value {
        let positional = call.arguments.positional
        guard positional.count <= 1 else { throw PyError.type("\(name) expected at most 1 argument, got \(positional.count)") }
        try count(positional.first, keywords: call.arguments.keywords, into: counter, sign: sign)
        return .none
    }

    /// The entries by count, largest first, ties in insertion order (`most_common()`).
    static func mostCommon(_ counter: PyDict) throws -> [(Value, Value)] {
        var failure: (any Error)?
        let sorted = counter.items.enumerated().sorted { a, b in
            do {
                let order = try Operators.ordering(a.element.1, b.element.1)
                return order != 0 ? order > 0 : a.offset < b.offset
            } catch { failure = failure ?? error; return a.offset < b.offset }
        }
        if let failure { throw failure }
        return sorted.map(\.element)
    }

    static let counterMethods = MemberTable<PyDict>("Counter", [
        .method("most_common", "n=None", "the n most common (element, count) pairs, most common first") { d, call in
            let pairs = try mostCommon(d)
            var n = pairs.count
            if let limit = call[0], limit.typeName != "NoneType" { n = try limit.asInt("n") }
            return .list(PyList(pairs.prefix(Swift.max(0, n)).map { .tuple([$0.0, $0.1]) }))
        },
        .method("elements", "", "an iterator over the elements, each repeated as often as its count") { d, _ in
            let items = try d.items.flatMap { key, count -> [Value] in
                guard let n = count.exactInteger, n > 0 else { return [] }
                return Array(repeating: key, count: try Int(exactly: n) ?? { throw PyError(.overflowError, "cannot fit 'int' into an index-sized integer") }())
            }
            return .object(IteratorObject("itertools.chain", items))
        },
        .method("update", "*iterable, **kwds", "adds the counts of an iterable's elements or a mapping") { d, call in
            try count(call, "update", into: d, sign: 1)
        },
        .method("subtract", "*iterable, **kwds", "takes away the counts of an iterable's elements or a mapping") { d, call in
            try count(call, "subtract", into: d, sign: -1)
        },
        .method("total", "", "the sum of the counts") { d, _ in
            try d.values.reduce(Value.int(0)) { try Operators.binary(.add, $0, $1) }
        },
    ])

    static let defaultDictMembers = MemberTable<PyDict>("defaultdict", [
        .attribute("default_factory", "what makes the value of a missing key (None: a KeyError)") { d in
            if case .defaultdict(let factory) = d.flavor { return factory }
            return .none
        },
    ])

    static let orderedDictMethods = MemberTable<PyDict>("OrderedDict", [
        .method("move_to_end", "key, last=True", "moves key to the end (or to the front when last is false)") { d, call in
            guard try d.move(call[0]!, toEnd: try call[1]?.isTruthy() ?? true) else { throw PyError.key(call[0]!) }
            return .none
        },
        .method("popitem", "last=True", "removes and returns the last (key, value) pair, or the first when last is false") { d, call in
            guard let (key, value) = d.popEntry(last: try call[0]?.isTruthy() ?? true) else { throw PyError.key(.str("dictionary is empty")) }
            return .tuple([key, value])
        },
    ])

    /// `a + b`, `a - b`, `a | b`, `a & b` of two Counters: the new counts, only those above zero kept; nil for other
    /// operands.
    static func counterBinary(_ op: BinaryOperator, _ a: PyDict, _ b: PyDict) throws -> Value? {
        guard case .counter = a.flavor, case .counter = b.flavor, [.add, .subtract, .bitOr, .bitAnd].contains(op) else { return nil }
        let result = PyDict(flavor: .counter)
        for key in a.keys + b.keys where try result.get(key) == nil {
            let (x, y) = (try a.get(key) ?? .int(0), try b.get(key) ?? .int(0))
            let count: Value = switch op {
            case .add, .subtract: try Operators.binary(op, x, y)
            case .bitOr: try Operators.compare(.less, x, y) ? y : x
            default: try Operators.compare(.less, x, y) ? x : y
            }
            if try Operators.compare(.greater, count, .int(0)) { try result.set(key, count) }
        }
        return .dict(result)
    }
}
