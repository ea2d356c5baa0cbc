/// Ordering along a dimension: `sort`, `argsort` and `topk`, as torch's CPU kernels order (stably, NaN as the
/// largest value).
extension Tensor {
    /// `x.sort(dim, descending)`: the values along `dim` in order and where each came from (`torch.return_types.sort`).
    public func sort(dim: Int = -1, descending: Bool = false) throws -> (values: Tensor, indices: Tensor) {
        let d = try dimension(dim)
        let (values, indices) = ordered(along: d, descending: descending, keeping: rank == 0 ? 1 : shape[d])
        return (values.recorded(.sort, from: self, derivative: .gathered(self, dim: d, indices: indices)), indices)
    }

    /// `x.topk(k, dim, largest)`: the `k` largest (or smallest) values along `dim`, in order, and their indices.
    public func topk(_ k: Int, dim: Int = -1, largest: Bool = true) throws -> (values: Tensor, indices: Tensor) {
        let d = try dimension(dim)
        guard k >= 0 && k <= (rank == 0 ? 1 : shape[d]) else { throw TensorError("selected index k out of range", kind: .runtimeError) }
        let (values, indices) = ordered(along: d, descending: largest, keeping: k)
        return (values.recorded(.topk, from: self, derivative: .gathered(self, dim: d, indices: indices)), indices)
    }

    /// The first `keep` elements of each lane along `d` once ordered, with their positions in the lane.
    private func ordered(along d: Int, descending: Bool, keeping keep: Int) -> (values: Tensor, indices: Tensor) {
        if rank == 0 { return (self, Tensor(ints: [0], shape: [])) }
        let (outer, length, inner) = lanes(d)
        let keys = doubles()
        /// Whether `a` comes before `b`: NaN is the largest value.
        func before(_ a: Double, _ b: Double) -> Bool {
            if a.isNaN || b.isNaN { return descending ? a.isNaN && !b.isNaN : !a.isNaN && b.isNaN }
            return descending ? a > b : a < b
        }
        var positions = [Int](repeating: 0, count: outer * keep * inner), indices = [Int64](repeating: 0, count: positions.count)
        for o in 0..<outer {
            for i in 0..<inner {
                let base = o * length * inner + i
                // a stable order: ties keep their original order
                let order = (0..<length).sorted { a, b in
                    let (x, y) = (keys[base + a * inner], keys[base + b * inner])
                    return before(x, y) || (!before(y, x) && a < b)
                }
                for (rank, k) in order.prefix(keep).enumerated() {
                    positions[(o * keep + rank) * inner + i] = base + k * inner
                    indices[(o * keep + rank) * inner + i] = Int64(k)
                }
            }
        }
        var outShape = shape
        outShape[d] = keep
        return (gathered(positions, shape: outShape), Tensor(ints: indices, shape: outShape))
    }

    /// A new tensor of `shape` whose elements are this tensor's at the given row-major positions.
    func gathered(_ positions: [Int], shape: [Int]) -> Tensor {
        let source = contiguous()
        switch dtype.layout {
        case .float:
            let p = source.storage.floats(source.offset)
            return Tensor(floats: positions.map { p[$0] }, shape: shape).to(dtype)
        case .double:
            let p = source.storage.doubles(source.offset)
            return Tensor(doubles: positions.map { p[$0] }, shape: shape)
        case .int:
            let p = source.storage.ints(source.offset)
            return Tensor(ints: positions.map { p[$0] }, shape: shape, dtype: dtype)
        case .bool:
            let p = source.storage.bools(source.offset)
            return Tensor(bools: positions.map { p[$0] != 0 }, shape: shape)
        }
    }

    /// `torch.unique(x)`: the distinct elements of the flattened tensor in ascending order (each NaN distinct, last),
    /// with each element's place among them (`inverse`, shaped as `x`) and how often each occurs. Recorded as torch
    /// records it (`Unique2Backward0`), with no gradient: backward through it raises, as in torch.
    public func unique() -> (values: Tensor, inverse: Tensor, counts: Tensor) {
        let flat = detached().contiguous()
        let order: [Int]
        let equal: (Int, Int) -> Bool
        if dtype.isFloatingPoint {
            let v = flat.to(.float64).doubles()
            order = v.indices.sorted { a, b in
                let (nanA, nanB) = (v[a].isNaN, v[b].isNaN)
                if nanA != nanB { return nanB }  // numbers before NaNs
                return nanA || v[a] == v[b] ? a < b : v[a] < v[b]
            }
            equal = { v[$0] == v[$1] }
        } else {
            let v = flat.to(.int64).int64s()
            order = v.indices.sorted { v[$0] < v[$1] || (v[$0] == v[$1] && $0 < $1) }
            equal = { v[$0] == v[$1] }
        }
        var firsts = [Int](), counts = [Int64](), inverse = [Int64](repeating: 0, count: count)
        for (k, position) in order.enumerated() {
            if k == 0 || !equal(order[k - 1], position) { firsts.append(position); counts.append(0) }
            counts[counts.count - 1] += 1
            inverse[position] = Int64(firsts.count - 1)
        }
        let values = flat.picking(firsts, shape: [firsts.count], recordedAs: .unique2).recorded(.unique2, from: self)
        return (values, Tensor(ints: inverse, shape: shape),
                Tensor(ints: counts, shape: [counts.count]))
    }
}
