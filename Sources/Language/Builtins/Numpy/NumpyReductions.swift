import TensorCore

/// numpy's reductions over an axis or the whole array (`a.sum(axis=-1, keepdims=True)`, `np.argmax(a, axis=1)`),
/// summed as numpy sums: pairwise along the contiguous last axis (`pairwise_sum`, so the digits match numpy's), one
/// row after another along the others.
enum NumpyReductions {
    enum Kind: String, CaseIterable {
        case sum, mean, max, min, argmax, argmin

        /// numpy's name for the ufunc behind it, in its errors.
        var ufunc: String { self == .max ? "maximum" : self == .min ? "minimum" : rawValue }
    }

    /// The methods, one per kind, each `np.<name>(a, ...)` too.
    static let methods: [Member<NDArrayObject>] = Kind.allCases.map { kind in
        .method(kind.rawValue, "axis=None, keepdims=False", "the \(kind.rawValue) of the elements, over `axis` or all of them") { a, call in
            try reduce(kind, a.tensor, axis: call[0], keepdims: call[1]?.isTruthy() ?? false)
        }
    }

    static func reduce(_ kind: Kind, _ array: Tensor, axis: Value?, keepdims: Bool) throws -> Value {
        let array = array.contiguous()
        let axis = try axis.flatMap { given -> Int? in
            if case .none = given { return nil }
            return try NumpyFunctions.axis(given, rank: array.rank)
        }
        let lanes = Lanes(shape: array.shape, axis: axis)
        if lanes.length == 0 && kind != .sum && kind != .mean {
            throw PyError.value(kind == .argmax || kind == .argmin ? "attempt to get \(kind.rawValue) of an empty sequence"
                                                                    : "zero-size array to reduction operation \(kind.ufunc) which has no identity")
        }
        let shape = lanes.resultShape(keepdims: keepdims)
        let result: Tensor
        switch (kind, array.dtype) {
        case (.argmax, _), (.argmin, _):
            let values = array.to(array.dtype == .bool ? .int64 : array.dtype)
            let indices: [Int64]
            switch values.dtype {
            case .int64, .int32: indices = lanes.map(values.to(.int64).int64s()) { (lane: [Int64]) in argExtreme(kind, lane) }
            case .float64: indices = lanes.map(values.doubles()) { (lane: [Double]) in argExtreme(kind, lane) }
            default: indices = lanes.map(values.floats()) { (lane: [Float]) in argExtreme(kind, lane) }
            }
            result = Tensor(ints: indices, shape: shape)
        case (.max, .bool), (.min, .bool):
            result = Tensor(bools: lanes.map(array.bools()) { (lane: [Bool]) in kind == .max ? lane.contains(true) : !lane.contains(false) }, shape: shape)
        case (.sum, .bool), (.sum, .int64), (.sum, .int32):
            result = Tensor(ints: lanes.map(array.to(.int64).int64s()) { (lane: [Int64]) in lane.reduce(0, &+) }, shape: shape)
        case (.mean, .bool), (.mean, .int64), (.mean, .int32):
            result = Tensor(doubles: lanes.map(array.to(.float64).doubles()) { (lane: [Double]) in mean(lane, lanes) }, shape: shape)
        case (_, .int64), (_, .int32):
            result = Tensor(ints: lanes.map(array.to(.int64).int64s()) { (lane: [Int64]) in kind == .max ? lane.max()! : lane.min()! }, shape: shape)
        case (_, .float64):
            result = Tensor(doubles: lanes.map(array.doubles()) { (lane: [Double]) in float(kind, lane, lanes) }, shape: shape)
        default:
            result = Tensor(floats: lanes.map(array.floats()) { (lane: [Float]) in float(kind, lane, lanes) }, shape: shape)
        }
        return NDArrayObject.wrap(result)
    }

    /// A float lane's sum, mean, max or min; max and min propagate NaN, as numpy's `maximum` does.
    private static func float<F: BinaryFloatingPoint>(_ kind: Kind, _ lane: [F], _ lanes: Lanes) -> F {
        switch kind {
        case .sum: return sum(lane, lanes)
        case .mean: return mean(lane, lanes)
        case .max: return lane.first(where: \.isNaN) ?? lane.max()!
        default: return lane.first(where: \.isNaN) ?? lane.min()!
        }
    }

    private static func mean<F: BinaryFloatingPoint>(_ lane: [F], _ lanes: Lanes) -> F { sum(lane, lanes) / F(lane.count) }

    /// numpy's order: pairwise along a contiguous lane, one element after another across rows.
    private static func sum<F: BinaryFloatingPoint>(_ lane: [F], _ lanes: Lanes) -> F {
        lanes.isContiguous ? pairwiseSum(lane[...]) : lane.reduce(0, +)
    }

    /// numpy's `pairwise_sum`: fewer than 8 in order, up to 128 in 8 running sums, more split in halves.
    static func pairwiseSum<F: BinaryFloatingPoint>(_ a: ArraySlice<F>) -> F {
        let n = a.count, start = a.startIndex
        if n < 8 { return a.reduce(0, +) }
        if n <= 128 {
            var r = Array(a.prefix(8))
            let whole = n - n % 8
            for i in stride(from: 8, to: whole, by: 8) {
                for j in 0..<8 { r[j] += a[start + i + j] }
            }
            var result = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
            for i in whole..<n { result += a[start + i] }
            return result
        }
        var half = n / 2
        half -= half % 8
        return pairwiseSum(a.prefix(half)) + pairwiseSum(a.dropFirst(half))
    }

    /// The index of the first largest (or smallest) element; a NaN counts as the extreme.
    private static func argExtreme<T: Comparable>(_ kind: Kind, _ lane: [T]) -> Int64 {
        var best = 0
        for i in 1..<lane.count {
            if lane[best] != lane[best] { break }
            if lane[i] != lane[i] || (kind == .argmax ? lane[i] > lane[best] : lane[i] < lane[best]) { best = i }
        }
        return Int64(best)
    }
}

/// The lanes of a contiguous array along one axis (or all its elements as one lane): `outer` blocks of `length`
/// elements `inner` apart.
struct Lanes {
    let shape: [Int], axis: Int?
    let outer: Int, length: Int, inner: Int

    init(shape: [Int], axis: Int?) {
        (self.shape, self.axis) = (shape, axis)
        guard let axis else {
            (outer, length, inner) = (1, shape.reduce(1, *), 1)
            return
        }
        (outer, length, inner) = (shape[..<axis].reduce(1, *), shape[axis], shape[(axis + 1)...].reduce(1, *))
    }

    /// Whether a lane's elements are next to each other (the last axis, or the whole array).
    var isContiguous: Bool { inner == 1 }

    func resultShape(keepdims: Bool) -> [Int] {
        guard let axis else { return keepdims ? shape.map { _ in 1 } : [] }
        var result = shape
        if keepdims { result[axis] = 1 } else { result.remove(at: axis) }
        return result
    }

    /// `body` of each lane of `values`, in the result's row-major order.
    func map<T, R>(_ values: [T], _ body: ([T]) -> R) -> [R] {
        var results = [R]()
        results.reserveCapacity(outer * inner)
        for o in 0..<outer {
            for i in 0..<inner {
                let base = o * length * inner + i
                results.append(body((0..<length).map { values[base + $0 * inner] }))
            }
        }
        return results
    }
}
