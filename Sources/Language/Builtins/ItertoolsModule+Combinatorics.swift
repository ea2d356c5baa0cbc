/// itertools' combinatoric iterators, each generating its tuples lazily in CPython's order (the algorithms of the
/// itertools documentation) from the input read whole first, as CPython reads it.
extension ItertoolsModule {
    /// `product(*iterables, repeat=1)`: every tuple with one item from each pool, the last pool varying fastest.
    static func product(_ args: Arguments) throws -> Value {
        let repeats = try Arguments([], keywords: args.keywords).bind("product", ["repeat"])[0].map { try $0.asIndex() } ?? 1
        guard repeats >= 0 else { throw PyError.value("repeat argument cannot be negative") }
        let inputs = try args.positional.map(Iteration.materialize)
        try PyError.checkMemory(values: inputs.count, times: repeats)
        let pools = Array(repeating: inputs, count: repeats).flatMap { $0 }
        var indices: [Int]? = pools.contains(where: \.isEmpty) ? nil : Array(repeating: 0, count: pools.count)
        return .object(LazyIterator("product") {
            guard let current = indices else { return nil }
            defer {
                // the odometer: the last index that can move moves, the ones after it go back to 0
                if let i = current.indices.last(where: { current[$0] + 1 < pools[$0].count }) {
                    indices = Array(current[..<i]) + [current[i] + 1] + Array(repeating: 0, count: current.count - i - 1)
                } else {
                    indices = nil
                }
            }
            return .tuple(zip(pools, current).map { $0[$1] })
        })
    }

    /// `permutations(iterable, r=None)`: every ordering of `r` of the items, in lexicographic order of positions.
    static func permutations(_ args: Arguments) throws -> Value {
        let a = try args.bind("permutations", ["iterable", "r"], required: 1)
        let pool = try Iteration.materialize(a[0]!), n = pool.count
        let r = try a[1].given.map { try $0.asIndex() } ?? n
        guard r >= 0 else { throw PyError.value("r must be non-negative") }
        try PyError.checkMemory(values: r)  // CPython allocates its cycles first: MemoryError for a huge r
        guard r <= n else { return .object(LazyIterator("permutations") { nil }) }
        var indices = Array(0..<n), cycles = Array(stride(from: n, to: n - r, by: -1)), first = true
        return .object(LazyIterator("permutations") {
            if first {
                first = false
                return .tuple(indices.prefix(r).map { pool[$0] })
            }
            guard n > 0 else { return nil }
            for i in stride(from: r - 1, through: 0, by: -1) {
                cycles[i] -= 1
                if cycles[i] == 0 {
                    indices = Array(indices[..<i]) + Array(indices[(i + 1)...]) + [indices[i]]
                    cycles[i] = n - i
                } else {
                    indices.swapAt(i, n - cycles[i])
                    return .tuple(indices.prefix(r).map { pool[$0] })
                }
            }
            return nil
        })
    }

    /// `combinations(iterable, r)` (`withReplacement`: `combinations_with_replacement`): the `r`-tuples of items in
    /// the order of the input, each item taken once (or any number of times).
    static func combinations(_ args: Arguments, withReplacement: Bool) throws -> Value {
        let name = withReplacement ? "combinations_with_replacement" : "combinations"
        let a = try args.bind(name, ["iterable", "r"])
        for (i, parameter) in ["iterable", "r"].enumerated() where a[i] == nil {  // Argument Clinic's wording
            throw PyError.type("\(name)() missing required argument '\(parameter)' (pos \(i + 1))")
        }
        let pool = try Iteration.materialize(a[0]!), n = pool.count, r = try a[1]!.asIndex()
        guard r >= 0 else { throw PyError.value("r must be non-negative") }
        let empty = withReplacement ? n == 0 && r > 0 : r > n
        if !empty { try PyError.checkMemory(values: r) }
        var indices: [Int]? = empty ? nil : withReplacement ? Array(repeating: 0, count: r) : Array(0..<r)
        return .object(LazyIterator(name) {
            guard let current = indices else { return nil }
            defer {
                // the last index below its highest place moves up; those after it follow it
                let highest = { (i: Int) in withReplacement ? n - 1 : i + n - r }
                if let i = current.indices.last(where: { current[$0] != highest($0) }) {
                    var next = current
                    for j in i..<r { next[j] = withReplacement ? current[i] + 1 : current[i] + 1 + (j - i) }
                    indices = next
                } else {
                    indices = nil
                }
            }
            return .tuple(current.map { pool[$0] })
        })
    }
}
