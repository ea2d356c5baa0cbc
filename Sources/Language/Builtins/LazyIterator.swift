/// `map`, `filter`, `zip`, `enumerate` and `reversed`: iterators that take one item at a time from their iterables'
/// iterators, as Python's do, so an infinite generator can be one of them (`zip(naturals(), "ab")` ends with "ab").
final class LazyIterator: PythonIterator {
    let typeName: String
    /// Computes the next item; dropped once it gives none, so an ended iterator stays ended.
    private var step: (() throws -> Value?)?

    init(_ typeName: String, _ step: @escaping () throws -> Value?) {
        self.typeName = typeName
        self.step = step
    }

    var repr: String { "<\(typeName) object at \(objectAddress(self))>" }

    func next() throws -> Value? {
        guard let item = try step?() else {
            step = nil
            return nil
        }
        return item
    }

    static func map(_ args: Arguments, _ interpreter: Interpreter) throws -> Value {
        try args.expectKeywordsNone("map")
        guard args.positional.count >= 2 else { throw PyError.type("map() must have at least two arguments.") }
        let function = args.positional[0], iterators = try args.positional.dropFirst().map(Iteration.iterator)
        return .object(LazyIterator("map") {
            guard let items = try nextOfEach(iterators) else { return nil }
            return try interpreter.call(function, Arguments(items))
        })
    }

    static func filter(_ args: Arguments, _ interpreter: Interpreter) throws -> Value {
        let a = try args.bind("filter", ["function", "iterable"], required: 2)
        let function = a[0]!, iterator = try Iteration.iterator(a[1]!)
        return .object(LazyIterator("filter") {
            while let item = try iterator.next() {
                let keep = if case .none = function { item } else { try interpreter.call(function, Arguments([item])) }
                if try keep.isTruthy() { return item }
            }
            return nil
        })
    }

    static func zip(_ args: Arguments) throws -> Value {
        try args.expectKeywordsNone("zip")
        let iterators = try args.positional.map(Iteration.iterator)
        return .object(LazyIterator("zip") { try nextOfEach(iterators).map(Value.tuple) })
    }

    static func enumerate(_ args: Arguments) throws -> Value {
        let a = try args.bind("enumerate", ["iterable", "start"], required: 1)
        var count = a[1] ?? .int(0)
        guard count.exactInteger != nil else { throw PyError.type("'\(count.typeName)' object cannot be interpreted as an integer") }
        let iterator = try Iteration.iterator(a[0]!)
        return .object(LazyIterator("enumerate") {
            guard let item = try iterator.next() else { return nil }
            defer { count = (try? Operators.binary(.add, count, .int(1))) ?? count }
            return .tuple([count, item])
        })
    }

    /// `reversed(seq)`: a sequence's items from the last (a program's object's `__reversed__`, else its `__len__`
    /// and `__getitem__`); Python's TypeError for what is not a sequence (a set, a generator, a number).
    static func reversed(_ args: Arguments) throws -> Value {
        let sequence = try args.bind("reversed", ["sequence"], required: 1)[0]!
        if let instance = sequence.instance {
            if let result = try instance.callSpecial("__reversed__") { return result }
            guard instance.cls.lookup("__getitem__") != nil, instance.cls.lookup("__len__") != nil else {
                throw PyError.type("'\(sequence.typeName)' object is not reversible")
            }
            var index = try Iteration.length(sequence)
            return .object(LazyIterator("reversed") {
                guard index > 0 else { return nil }
                index -= 1
                return try Subscripts.get(sequence, [.value(.int(index))])
            })
        }
        let typeName: String
        switch sequence {
        case .list: typeName = "list_reverseiterator"
        case .object(_ as RangeObject): typeName = "range_iterator"
        case .dict, .object(_ as DictView): typeName = "dict_reversekeyiterator"
        case .tuple, .str, .size, .tensor: typeName = "reversed"
        default: throw PyError.type("'\(sequence.typeName)' object is not reversible")
        }
        var items = try Iteration.materialize(sequence)
        return .object(LazyIterator(typeName) { items.popLast() })
    }

    /// The next item of each iterator, nil once one of them (or all, when there are none) has ended.
    private static func nextOfEach(_ iterators: [PythonIterator]) throws -> [Value]? {
        guard !iterators.isEmpty else { return nil }
        var items = [Value]()
        for iterator in iterators {
            guard let item = try iterator.next() else { return nil }
            items.append(item)
        }
        return items
    }
}
