/// `itertools`: lazy iterators, as CPython's: infinite ones (`count`, `repeat`, `cycle`), those that slice, chain,
/// filter, group and accumulate, and the combinatoric ones (`product`, `permutations`, `combinations`).
enum ItertoolsModule {
    static func make() -> PythonModule {
        func calling(_ name: String, _ body: @escaping (Arguments, Interpreter) throws -> Value) -> Value {
            .object(BuiltinFunction(name, calling: body))
        }
        return PythonModule("itertools", [
            "count": builtin("count", count), "islice": builtin("islice", islice), "chain": .object(chainFunction),
            "repeat": builtin("repeat", repeatItem), "cycle": builtin("cycle", cycle),
            "product": builtin("product", product), "permutations": builtin("permutations", permutations),
            "combinations": builtin("combinations") { try combinations($0, withReplacement: false) },
            "combinations_with_replacement": builtin("combinations_with_replacement") { try combinations($0, withReplacement: true) },
            "accumulate": calling("accumulate", accumulate), "groupby": calling("groupby", groupby),
            "zip_longest": builtin("zip_longest", zipLongest), "compress": builtin("compress", compress),
            "takewhile": calling("takewhile") { try whilePredicate($0, taking: true, $1) },
            "dropwhile": calling("dropwhile") { try whilePredicate($0, taking: false, $1) },
            "filterfalse": calling("filterfalse", filterfalse), "starmap": calling("starmap", starmap),
            "pairwise": builtin("pairwise", pairwise),
        ], planned: ["tee"])
    }

    /// `count(start=0, step=1)`: start, start + step, ... without end.
    private static func count(_ args: Arguments) throws -> Value {
        let a = try args.bind("count", ["start", "step"])
        var next = a[0] ?? .int(0)
        let step = a[1] ?? .int(1)
        for number in [next, step] {
            switch number {
            case .int, .bigInt, .bool, .float: continue
            default: throw PyError.type("a number is required")
            }
        }
        return .object(LazyIterator("count") {
            defer { next = (try? Operators.binary(.add, next, step)) ?? next }
            return next
        })
    }

    /// `islice(iterable, stop)`, `islice(iterable, start, stop[, step])`: the items at those positions, taking no
    /// more from the iterable than they need.
    private static func islice(_ args: Arguments) throws -> Value {
        try args.expectKeywordsNone("islice")
        guard (2...4).contains(args.positional.count) else {
            throw PyError.type("islice expected at most 4 arguments, got \(args.positional.count)")
        }
        let iterator = try Iteration.iterator(args.positional[0])
        let bounds = args.positional.count == 2 ? [Value.none, args.positional[1]] : Array(args.positional[1...])
        func bound(_ value: Value?, _ message: String) throws -> Int? {
            guard let value, value.typeName != "NoneType" else { return nil }
            guard value.exactInteger != nil, let n = try? value.asIndex(), n >= 0 else { throw PyError.value(message) }
            return n
        }
        let start = try bound(bounds[0], "Indices for islice() must be None or an integer: 0 <= x <= sys.maxsize.") ?? 0
        let stop = try bound(bounds[1], "Stop argument for islice() must be None or an integer: 0 <= x <= sys.maxsize.")
        let step = try bound(bounds.count > 2 ? bounds[2] : nil, "Step for islice() must be a positive integer or None.") ?? 1
        guard step > 0 else { throw PyError.value("Step for islice() must be a positive integer or None.") }
        var taken = 0, wanted = start
        return .object(LazyIterator("islice") {
            if let stop, wanted >= stop { return nil }
            while taken < wanted {
                guard try iterator.next() != nil else { return nil }
                taken += 1
            }
            guard let item = try iterator.next() else { return nil }
            taken += 1
            wanted += step
            return item
        })
    }

    /// `chain(*iterables)`, and `chain.from_iterable(iterables)`.
    private static var chainFunction: BuiltinFunction {
        let chain = BuiltinFunction("chain") { args in
            try args.expectKeywordsNone("chain")
            return chained(try Iteration.iterator(.tuple(args.positional)))
        }
        chain.members["from_iterable"] = builtin("from_iterable") { args in
            chained(try Iteration.iterator(try args.bind("from_iterable", ["iterable"], required: 1)[0]!))
        }
        return chain
    }

    /// The items of each iterable `iterables` gives, in turn, each iterable's iterator made when it is reached.
    private static func chained(_ iterables: PythonIterator) -> Value {
        var current: PythonIterator?
        return .object(LazyIterator("chain") {
            while true {
                if let item = try current?.next() { return item }
                guard let iterable = try iterables.next() else { return nil }
                current = try Iteration.iterator(iterable)
            }
        })
    }

    /// `repeat(object, times=None)`: the object, `times` times or without end.
    private static func repeatItem(_ args: Arguments) throws -> Value {
        let a = try args.bind("repeat", ["object", "times"], required: 1)
        var remaining = try a[1].map { try $0.asIndex() }
        return .object(LazyIterator("repeat") {
            if let left = remaining {
                guard left > 0 else { return nil }
                remaining = left - 1
            }
            return a[0]!
        })
    }

    /// `cycle(iterable)`: its items, then the same items again, without end (nothing for an empty one).
    private static func cycle(_ args: Arguments) throws -> Value {
        let iterator = try Iteration.iterator(try args.bind("cycle", ["iterable"], required: 1)[0]!)
        var saved = [Value](), position = 0, exhausted = false
        return .object(LazyIterator("cycle") {
            if !exhausted {
                if let item = try iterator.next() {
                    saved.append(item)
                    return item
                }
                exhausted = true
            }
            guard !saved.isEmpty else { return nil }
            defer { position = (position + 1) % saved.count }
            return saved[position]
        })
    }
}
