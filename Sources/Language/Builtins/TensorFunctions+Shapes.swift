import TensorCore

/// Tensor methods torch also offers as functions that only re-view or repeat the elements, each made of the view
/// torch makes it of (so recorded as that view: `broadcast_to` an expand, `movedim` a permute, `narrow` a slice).
extension TensorMethods {
    static let shapes: [Member<Tensor>] = [
        .method("broadcast_to", "size", "a view broadcast to size (expand)") { t, call in
            .tensor(try t.expand(try ints(call[0]!, "broadcast_to")))
        },
        moved("movedim", "a view with the dimensions at source moved to destination"), moved("moveaxis", "movedim's numpy name"),
        swapped("swapaxes", "axis", "transpose's numpy name"), swapped("swapdims", "dim", "transpose's other name"),
        .method("narrow", "dim, start, length", "a view of length elements along dim from start") { t, call in
            let d = try t.dimension(try call[0]!.asInt("dim"))
            let size = t.shape[d], length = try call[2]!.asInt("length")
            var start = try call[1]!.asInt("start")
            guard start >= -size && start <= size else {
                throw PyError(.indexError, "start out of range (expected to be in range of [\(-size), \(size)], but got \(start))")
            }
            if start < 0 { start += size }
            guard length >= 0 else { throw PyError(.runtimeError, "narrow(): length must be non-negative.") }
            guard start + length <= size else { throw PyError(.runtimeError, "start (\(start)) + length (\(length)) exceeds dimension size (\(size)).") }
            let key = (0..<t.rank).map { $0 == d ? TensorIndex.slice(start: start, stop: start + length, step: nil) : .all }
            return .tensor(try t.view(at: key))
        },
        .method("tile", "dims", "the tensor repeated dims[d] times along each dimension (ones prepended to dims as needed)") { t, call in
            let counts = try ints(call[0]!, "tile")
            return .tensor(try t.repeated(Array(repeating: 1, count: Swift.max(0, t.rank - counts.count)) + counts))
        },
    ]

    /// `movedim` and its other name.
    private static func moved(_ name: String, _ doc: String) -> Member<Tensor> {
        .method(name, "source, destination", doc) { t, call in
            .tensor(try t.permuted(try movedOrder(t, try ints(call[0]!, "source"), try ints(call[1]!, "destination"))))
        }
    }

    /// `swapaxes` / `swapdims` (`transpose`), their parameters named `axis0, axis1` or `dim0, dim1`.
    private static func swapped(_ name: String, _ parameter: String, _ doc: String) -> Member<Tensor> {
        .method(name, "\(parameter)0, \(parameter)1", doc) { t, call in
            .tensor(try t.transposed(try call[0]!.asInt("\(parameter)0"), try call[1]!.asInt("\(parameter)1")))
        }
    }

    /// `movedim`'s order: each source dimension at its destination, the others in their order in the places left.
    private static func movedOrder(_ t: Tensor, _ source: [Int], _ destination: [Int]) throws -> [Int] {
        guard source.count == destination.count else {
            throw PyError(.runtimeError, "movedim: Invalid source or destination dims: source (\(pythonList(source)) dims) should contain the same number of dims as destination (\(pythonList(destination)) dims)")
        }
        let (from, to) = (try source.map { try t.dimension($0) }, try destination.map { try t.dimension($0) })
        guard Set(from).count == from.count else { throw PyError(.runtimeError, "movedim: repeated dim in `source` (\(pythonList(source)))") }
        guard Set(to).count == to.count else { throw PyError(.runtimeError, "movedim: repeated dim in `destination` (\(pythonList(destination)))") }
        var order = [Int?](repeating: nil, count: t.rank)
        for (f, d) in zip(from, to) { order[d] = f }
        var rest = (0..<t.rank).filter { !from.contains($0) }.makeIterator()
        return order.map { $0 ?? rest.next()! }
    }
}
