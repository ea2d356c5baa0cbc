/// `bisect`: where an item goes in a sorted list (`bisect_left`, `bisect_right`), and putting it there (`insort`),
/// with `lo`, `hi` and `key` as in CPython.
enum BisectModule {
    static func make() -> PythonModule {
        var members = [String: Value]()
        for (name, right) in [("bisect_left", false), ("bisect_right", true), ("bisect", true)] {
            members[name] = .object(BuiltinFunction(name, calling: { args, interpreter in
                let (items, x, range, key) = try bound(name, args)
                return .int(try position(of: x, in: items, range, key: key, right: right, interpreter))
            }))
        }
        for (name, right) in [("insort_left", false), ("insort_right", true), ("insort", true)] {
            members[name] = .object(BuiltinFunction(name, calling: { args, interpreter in
                let (items, x, range, key) = try bound(name, args)
                guard case .list(let list) = items else { throw PyError.type("'\(items.typeName)' object has no attribute 'insert'") }
                let keyed = try key.map { try interpreter.call($0, Arguments([x])) } ?? x
                // a `lo` past the end puts it last, as list.insert does
                list.items.insert(x, at: Swift.min(try position(of: keyed, in: items, range, key: key, right: right, interpreter), list.items.count))
                return .none
            }))
        }
        return PythonModule("bisect", members)
    }

    /// The arguments `(a, x, lo=0, hi=len(a), *, key=None)`.
    private static func bound(_ name: String, _ args: Arguments) throws -> (Value, Value, Range<Int>, Value?) {
        let a = try args.bind(name, ["a", "x", "lo", "hi", "key"], required: 2)
        let lo = try a[2]?.asIndex() ?? 0
        guard lo >= 0 else { throw PyError.value("lo must be non-negative") }
        let hi = try a[3].given?.asIndex() ?? Iteration.length(a[0]!)
        return (a[0]!, a[1]!, lo..<Swift.max(lo, hi), a[4].given)
    }

    /// The binary search: the first index whose item (its `key`) is not below `x` (`right`: is above `x`).
    private static func position(of x: Value, in items: Value, _ range: Range<Int>, key: Value?, right: Bool,
                                 _ interpreter: Interpreter) throws -> Int {
        var (lo, hi) = (range.lowerBound, range.upperBound)
        while lo < hi {
            let middle = lo + (hi - lo) / 2
            var item = try Subscripts.get(items, [.value(.int(middle))], interpreter: interpreter)
            if let key { item = try interpreter.call(key, Arguments([item])) }
            if try right ? Operators.isLess(x, item) : !Operators.isLess(item, x) { hi = middle } else { lo = middle + 1 }
        }
        return lo
    }
}
