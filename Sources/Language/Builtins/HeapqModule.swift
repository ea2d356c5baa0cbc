/// `heapq`: a list kept as a binary min-heap, with CPython's sift algorithms, so the list's order after each call
/// (what `print(heap)` shows) is CPython's.
enum HeapqModule {
    static func make() -> PythonModule {
        PythonModule("heapq", [
            "heappush": builtin("heappush") { args in
                let (heap, item) = try heapAndItem("heappush", args)
                heap.items.append(item)
                try siftDown(heap, from: 0, heap.items.count - 1)
                return .none
            },
            "heappop": builtin("heappop") { args in
                let heap = try list("heappop", try args.bind("heappop", ["heap"], required: 1)[0]!)
                guard let last = heap.items.popLast() else { throw PyError.index("index out of range") }
                guard let first = heap.items.first else { return last }
                heap.items[0] = last
                try siftUp(heap, 0)
                return first
            },
            "heapify": builtin("heapify") { args in
                let heap = try list("heapify", try args.bind("heapify", ["heap"], required: 1)[0]!)
                for i in (0..<(heap.items.count / 2)).reversed() { try siftUp(heap, i) }
                return .none
            },
            "heapreplace": builtin("heapreplace") { args in
                let (heap, item) = try heapAndItem("heapreplace", args)
                guard let first = heap.items.first else { throw PyError.index("index out of range") }
                heap.items[0] = item
                try siftUp(heap, 0)
                return first
            },
            "heappushpop": builtin("heappushpop") { args in
                let (heap, item) = try heapAndItem("heappushpop", args)
                guard let first = heap.items.first, try Operators.isLess(first, item) else { return item }
                heap.items[0] = item
                try siftUp(heap, 0)
                return first
            },
            "nlargest": .object(BuiltinFunction("nlargest", calling: { args, interpreter in try select("nlargest", args, largest: true, interpreter) })),
            "nsmallest": .object(BuiltinFunction("nsmallest", calling: { args, interpreter in try select("nsmallest", args, largest: false, interpreter) })),
        ], planned: ["merge"])
    }

    private static func list(_ function: String, _ value: Value) throws -> PyList {
        guard case .list(let list) = value else { throw PyError.type("\(function)() argument 1 must be list, not \(value.typeName)") }
        return list
    }

    private static func heapAndItem(_ function: String, _ args: Arguments) throws -> (PyList, Value) {
        let a = try args.bind(function, ["heap", "item"], required: 2)
        return (try list(function, a[0]!), a[1]!)
    }

    /// CPython's `_siftdown`: the item at `position` swapped with its parent while it is smaller, no higher than
    /// `start`. Items are swapped, so the list stays a permutation if a comparison fails.
    private static func siftDown(_ heap: PyList, from start: Int, _ position: Int) throws {
        var position = position
        while position > start {
            let parent = (position - 1) / 2
            guard try less(heap, position, parent) else { break }
            heap.items.swapAt(position, parent)
            position = parent
        }
    }

    /// CPython's `_siftup`: the smaller child moved up until a leaf is reached, then the item sifted down there.
    private static func siftUp(_ heap: PyList, _ start: Int) throws {
        var position = start, child = 2 * start + 1
        let end = heap.items.count
        while child < end {
            if child + 1 < end, try !less(heap, child, child + 1) { child += 1 }
            heap.items.swapAt(position, child)
            position = child
            child = 2 * position + 1
        }
        try siftDown(heap, from: start, position)
    }

    /// Whether `heap[i] < heap[j]`; CPython's RuntimeError when the comparison changed the list's size.
    private static func less(_ heap: PyList, _ i: Int, _ j: Int) throws -> Bool {
        let count = heap.items.count
        let result = try Operators.isLess(heap.items[i], heap.items[j])
        guard heap.items.count == count else { throw PyError(.runtimeError, "list changed size during iteration") }
        return result
    }

    /// `nlargest(n, iterable, key=None)` / `nsmallest`: the first `n` of the items sorted (descending for the
    /// largest), which is what CPython's documentation says they equal.
    private static func select(_ function: String, _ args: Arguments, largest: Bool, _ interpreter: Interpreter) throws -> Value {
        let a = try args.bind(function, ["n", "iterable", "key"], required: 2)
        let n = try a[0]!.asIndex(), items = try Iteration.materialize(a[1]!)
        let sorted = try Builtins.sorted(items, key: a[2], reverse: largest, interpreter)
        return .list(PyList(Array(sorted.prefix(Swift.max(n, 0)))))
    }
}
