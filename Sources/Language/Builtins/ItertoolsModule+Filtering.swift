/// itertools' iterators that filter, group, pair and accumulate: each pulls from its input only as far as it needs,
/// as in CPython.
extension ItertoolsModule {
    /// `accumulate(iterable, func=None, *, initial=None)`: running totals (`+`, or `func(total, item)`).
    static func accumulate(_ args: Arguments, _ interpreter: Interpreter) throws -> Value {
        let a = try args.bind("accumulate", ["iterable", "func", "initial"], required: 1)
        let iterator = try Iteration.iterator(a[0]!), function = a[1].given
        var total = a[2].given, started = false
        return .object(LazyIterator("accumulate") {
            if !started, let total {
                started = true
                return total
            }
            started = true
            guard let item = try iterator.next() else { return nil }
            let next = try total.map { total in
                try function.map { try interpreter.call($0, Arguments([total, item])) } ?? Operators.binary(.add, total, item)
            } ?? item
            total = next
            return next
        })
    }

    /// `groupby(iterable, key=None)`: (key, group) for each run of items with equal keys; a group is read from the
    /// same input, so moving to the next group ends the one before.
    static func groupby(_ args: Arguments, _ interpreter: Interpreter) throws -> Value {
        let a = try args.bind("groupby", ["iterable", "key"], required: 1)
        let grouping = Grouping(try Iteration.iterator(a[0]!), key: a[1].given, interpreter)
        return .object(LazyIterator("groupby") { try grouping.nextGroup() })
    }

    /// The state `groupby` and its groups share (CPython's `groupby` object).
    private final class Grouping {
        let iterator: PythonIterator, key: Value?, interpreter: Interpreter
        /// The group being handed out (nil before the first), and the item read last with its key.
        var target: Value?, current: (key: Value, item: Value)?
        /// Counts the groups made, so an older group knows it has ended.
        var generation = 0

        init(_ iterator: PythonIterator, key: Value?, _ interpreter: Interpreter) {
            (self.iterator, self.key, self.interpreter) = (iterator, key, interpreter)
        }

        /// Reads the next item and its key; false at the end.
        func advance() throws -> Bool {
            guard let item = try iterator.next() else { return false }
            current = (try key.map { try interpreter.call($0, Arguments([item])) } ?? item, item)
            return true
        }

        func isTarget(_ key: Value) throws -> Bool { try target.map { try Operators.equal(key, $0) } ?? false }

        func nextGroup() throws -> Value? {
            generation += 1
            while true {
                if let current, try !isTarget(current.key) { break }
                guard try advance() else { return nil }
            }
            let groupKey = current!.key, mine = generation
            target = groupKey
            var handedOut = false
            return .tuple([groupKey, .object(LazyIterator("_grouper") { [self] in
                // the next item is read when asked for, not when the one before is handed out (as CPython's)
                guard generation == mine else { return nil }
                if handedOut, try !advance() { (current, target) = (nil, nil); return nil }
                guard let (key, item) = current, try Operators.equal(key, groupKey) else { return nil }
                handedOut = true
                return item
            })])
        }
    }

    /// `zip_longest(*iterables, fillvalue=None)`: tuples until the longest input ends, the ended ones filled in.
    static func zipLongest(_ args: Arguments) throws -> Value {
        let fill = try Arguments([], keywords: args.keywords).bind("zip_longest", ["fillvalue"])[0] ?? .none
        var iterators: [PythonIterator?] = try args.positional.map(Iteration.iterator)
        return .object(LazyIterator("zip_longest") {
            var items = [Value]()
            for i in iterators.indices {
                if let item = try iterators[i]?.next() { items.append(item) } else { iterators[i] = nil; items.append(fill) }
            }
            return iterators.contains(where: { $0 != nil }) ? .tuple(items) : nil
        })
    }

    /// `takewhile(predicate, iterable)` (`taking`) and `dropwhile` (not `taking`).
    static func whilePredicate(_ args: Arguments, taking: Bool, _ interpreter: Interpreter) throws -> Value {
        let name = taking ? "takewhile" : "dropwhile"
        try args.expectKeywordsNone(name)
        let a = try args.bind(name, ["predicate", "iterable"], required: 2)
        let predicate = a[0]!, iterator = try Iteration.iterator(a[1]!)
        var dropping = !taking
        return .object(LazyIterator(name) {
            while let item = try iterator.next() {
                if !taking && !dropping { return item }
                let holds = try interpreter.call(predicate, Arguments([item])).isTruthy()
                if taking { return holds ? item : nil }  // the iterator stays ended after its first nil
                if !holds { dropping = false; return item }
            }
            return nil
        })
    }

    /// `filterfalse(predicate, iterable)`: the items the predicate (truth when None) rejects.
    static func filterfalse(_ args: Arguments, _ interpreter: Interpreter) throws -> Value {
        let a = try args.bind("filterfalse", ["function", "iterable"], required: 2)
        let predicate = a[0].given, iterator = try Iteration.iterator(a[1]!)
        return .object(LazyIterator("filterfalse") {
            while let item = try iterator.next() {
                let holds = try predicate.map { try interpreter.call($0, Arguments([item])) } ?? item
                if try !holds.isTruthy() { return item }
            }
            return nil
        })
    }

    /// `compress(data, selectors)`: the items whose selector is true.
    static func compress(_ args: Arguments) throws -> Value {
        let a = try args.bind("compress", ["data", "selectors"], required: 2)
        let data = try Iteration.iterator(a[0]!), selectors = try Iteration.iterator(a[1]!)
        return .object(LazyIterator("compress") {
            while let item = try data.next(), let selector = try selectors.next() {
                if try selector.isTruthy() { return item }
            }
            return nil
        })
    }

    /// `starmap(function, iterable)`: the function called with each item's items as its arguments.
    static func starmap(_ args: Arguments, _ interpreter: Interpreter) throws -> Value {
        let a = try args.bind("starmap", ["function", "iterable"], required: 2)
        let function = a[0]!, iterator = try Iteration.iterator(a[1]!)
        return .object(LazyIterator("starmap") {
            guard let item = try iterator.next() else { return nil }
            return try interpreter.call(function, Arguments(try Iteration.materialize(item)))
        })
    }

    /// `pairwise(iterable)`: each item with the one after it.
    static func pairwise(_ args: Arguments) throws -> Value {
        let iterator = try Iteration.iterator(try args.bind("pairwise", ["iterable"], required: 1)[0]!)
        var previous: Value?
        return .object(LazyIterator("pairwise") {
            if previous == nil { previous = try iterator.next() }
            guard let first = previous, let second = try iterator.next() else { return nil }
            previous = second
            return .tuple([first, second])
        })
    }
}
