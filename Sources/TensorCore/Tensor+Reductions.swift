import CKernels
import Foundation

extension Tensor {
    /// The contiguous layout of a reduction over `dim`: `outer` blocks of `length` x `inner` elements.
    func lanes(_ dim: Int) -> (outer: Int, length: Int, inner: Int) {
        (shape[..<dim].reduce(1, *), shape[dim], shape[(dim + 1)...].reduce(1, *))
    }

    func reducedShape(_ dim: Int, keepDim: Bool) -> [Int] {
        var s = shape
        if keepDim { s[dim] = 1 } else { s.remove(at: dim) }
        return s
    }

    /// Calls `body(values, stride)` once per lane along `dim`, in output order, on float32 data.
    private func forEachLane(_ dim: Int, _ body: (UnsafeMutablePointer<Float>, Int) -> Void) {
        let x = contiguous()
        let (outer, length, inner) = lanes(dim)
        let base = x.storage.floats(x.offset)
        for o in 0..<outer {
            for i in 0..<inner { body(base + o * length * inner + i, inner) }
        }
    }

    /// `torch.softmax(x, dim)`, computed stably in float32.
    public func softmax(dim: Int) throws -> Tensor {
        guard dtype.isFloatingPoint else { throw TensorError("\"softmax_lastdim_kernel_impl\" not implemented for '\(dtype.scalarTypeName)'") }
        let out = try computedInFloat32 { try $0.softmaxValues(dim: dim).poisoningNonFiniteLanes(of: $0, dim: dim) }
        return out.recorded(.softmax, from: self, derivative: .softmax(out, dim: dim))
    }

    /// This (soft)max result with NaN throughout each lane of `input` along `dim` that holds a NaN or +inf, or only
    /// -inf, as torch's (`x - max(x)` is NaN there).
    private func poisoningNonFiniteLanes(of input: Tensor, dim: Int) throws -> Tensor {
        let values = input.floats()
        // one quick pass: a lane needs looking at only when some value is not finite
        if values.withUnsafeBufferPointer({ !$0.contains { !$0.isFinite } }) { return self }
        guard rank > 0 else { return Tensor(floats: [.nan], shape: []) }
        let d = try dimension(dim), n = shape[d]
        var poisoned = [Bool]()
        input.forEachLane(d) { p, stride in
            let values = (0..<n).lazy.map { p[$0 * stride] }
            poisoned.append(values.contains { $0.isNaN || $0 == .infinity } || (n > 0 && values.allSatisfy { $0 == -.infinity }))
        }
        guard poisoned.contains(true) else { return self }
        var lane = 0
        forEachLane(d) { p, stride in
            if poisoned[lane] { for k in 0..<n { p[k * stride] = .nan } }
            lane += 1
        }
        return self
    }

    private func softmaxValues(dim: Int) throws -> Tensor {
        let d = try dimension(dim)
        if rank == 0 { return Tensor(floats: [1], shape: []) }
        let out = copy()
        if d == rank - 1 {
            let n = shape[d], rows = out.storage.floats()
            parallelChunks(n == 0 ? 0 : count / n, grain: 64) { range in
                kernel_softmax_rows(rows + range.lowerBound * n, range.count, n, 1, nil)
            }
            return out
        }
        out.forEachLane(d) { p, stride in
            let n = shape[d]
            var m = -Float.infinity
            for k in 0..<n { m = Swift.max(m, p[k * stride]) }
            var total: Float = 0
            for k in 0..<n { p[k * stride] = expf(p[k * stride] - m); total += p[k * stride] }
            for k in 0..<n { p[k * stride] /= total }
        }
        return out
    }

    /// A contiguous copy that owns its storage (`tensor.clone()`, a `CloneBackward0`).
    public func copy() -> Tensor {
        let out = Tensor(zeros: shape, dtype: dtype)
        let source = contiguous()
        out.storage.base.copyMemory(from: source.storage.base + source.offset * dtype.storageSize, byteCount: count * dtype.storageSize)
        return out.recorded(.clone, from: self, derivative: .identity(self))
    }

    /// `torch.argmax(x, dim)`; with `dim` nil, the index into the flattened tensor. Ties give the first index.
    public func argmax(dim: Int? = nil, keepDim: Bool = false) throws -> Tensor {
        try extremeWithIndices(.largest, dim: dim, keepDim: keepDim, op: "argmax").indices
    }

    /// `torch.argmin(x, dim)`, as `argmax` for the smallest value.
    public func argmin(dim: Int? = nil, keepDim: Bool = false) throws -> Tensor {
        try extremeWithIndices(.smallest, dim: dim, keepDim: keepDim, op: "argmin").indices
    }

    /// `x.max(dim)`: the largest values and their indices along `dim` (`torch.return_types.max`).
    public func max(dim: Int, keepDim: Bool = false) throws -> (values: Tensor, indices: Tensor) {
        let (values, indices) = try extremeWithIndices(.largest, dim: dim, keepDim: keepDim, op: "max")
        let d = try dimension(dim)
        return (values.recorded(.maxDim, from: self, derivative: .extreme(self, dim: d, keepDim: keepDim, indices: indices)), indices)
    }

    /// `x.min(dim)`: the smallest values and their indices along `dim` (`torch.return_types.min`).
    public func min(dim: Int, keepDim: Bool = false) throws -> (values: Tensor, indices: Tensor) {
        let (values, indices) = try extremeWithIndices(.smallest, dim: dim, keepDim: keepDim, op: "min")
        let d = try dimension(dim)
        return (values.recorded(.minDim, from: self, derivative: .extreme(self, dim: d, keepDim: keepDim, indices: indices)), indices)
    }

    /// `x.max()`: the largest element as a 0-d tensor.
    public func max() throws -> Tensor {
        let value = try extremeWithIndices(.largest, dim: nil, keepDim: false, op: "max").values
        return value.recorded(.max, from: self, derivative: .extreme(self, value))
    }

    /// `x.min()`: the smallest element as a 0-d tensor.
    public func min() throws -> Tensor {
        let value = try extremeWithIndices(.smallest, dim: nil, keepDim: false, op: "min").values
        return value.recorded(.min, from: self, derivative: .extreme(self, value))
    }

    /// Which end of the order `max`/`min` and their arg forms look for.
    private enum Extreme {
        case largest, smallest

        /// Whether `candidate` replaces `best`: strictly beyond it, or NaN (which wins, as in torch).
        func prefers(_ candidate: Float, over best: Float) -> Bool {
            if best.isNaN { return false }
            if candidate.isNaN { return true }
            return self == .largest ? candidate > best : candidate < best
        }
    }

    private func extremeWithIndices(_ extreme: Extreme, dim: Int?, keepDim: Bool, op: String) throws -> (values: Tensor, indices: Tensor) {
        guard let dim else {
            guard count > 0 else {
                throw TensorError(op.hasPrefix("arg") ? "\(op)(): Expected reduction dim to be specified for input.numel() == 0."
                                  : "\(op)(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.")
            }
            return try reshaped([count]).extremeWithIndices(extreme, dim: 0, keepDim: false, op: op)
        }
        let d = try dimension(dim)
        if rank == 0 { return (self, Tensor(ints: [0], shape: [])) }
        guard shape[d] > 0 else {
            throw TensorError("\(op)(): Expected reduction dim \(d) to have non-zero size.")
        }
        var values = [Double](), indices = [Int64]()
        let source = to(.float32)
        let exact = dtype.isInteger ? int64s() : nil
        let (_, length, inner) = lanes(d)
        var lane = 0
        source.forEachLane(d) { p, stride in
            var best = 0
            for k in 1..<length where extreme.prefers(p[k * stride], over: p[best * stride]) { best = k }
            indices.append(Int64(best))
            let outerIndex = lane / inner, innerIndex = lane % inner
            values.append(exact.map { Double($0[(outerIndex * length + best) * inner + innerIndex]) } ?? Double(p[best * stride]))
            lane += 1
        }
        let outShape = reducedShape(d, keepDim: keepDim)
        let valueTensor = dtype.isInteger ? Tensor(ints: values.map { Int64($0) }, shape: outShape, dtype: dtype)
                                          : Tensor(floats: values.map { Float($0) }, shape: outShape).to(floatingType)
        return (valueTensor, Tensor(ints: indices, shape: outShape))
    }

    /// `x.sum(dim)`; with `dim` nil, over all elements. int64 sums stay int64.
    public func sum(dim: Int? = nil, keepDim: Bool = false) throws -> Tensor {
        try sumValues(dim: dim, keepDim: keepDim)
            .recorded(dim == nil ? .sum : .sumDim, from: self, derivative: .sum(self, dim: dim, keepDim: keepDim))
    }

    private func sumValues(dim: Int?, keepDim: Bool) throws -> Tensor {
        // bool and int32 sum to int64, as in torch (True counts 1)
        if dtype == .bool || dtype == .int32 { return try to(.int64).sumValues(dim: dim, keepDim: keepDim) }
        if dtype.isFloatingPoint && dtype != .float32 { return try computedInFloat32 { try $0.sumValues(dim: dim, keepDim: keepDim) } }
        guard let dim else {
            if dtype == .int64 { return Tensor(ints: [int64s().reduce(0, &+)], shape: []) }
            let x = coversItsElements ? self : contiguous()  // torch sums a transposed tensor in memory order
            return Tensor(floats: [CascadeSum.total(x.storage.floats(x.offset), count: count)], shape: [])
        }
        let d = try dimension(dim)
        if rank == 0 { return self }
        let outShape = reducedShape(d, keepDim: keepDim)
        if dtype == .int64 {
            let (outer, length, inner) = lanes(d)
            let v = int64s()
            let sums = (0..<(outer * inner)).map { lane -> Int64 in
                let base = (lane / inner) * length * inner + lane % inner
                return (0..<length).reduce(0) { $0 &+ v[base + $1 * inner] }
            }
            return Tensor(ints: sums, shape: outShape)
        }
        // in torch's order: a last dimension (or one with only 1s after it) row by row, another column by column
        let x = contiguous(), (outer, length, inner) = lanes(d)
        let base = UnsafePointer(x.storage.floats(x.offset))
        let sums = [Float](unsafeUninitializedCapacity: outer * inner) { out, initialized in
            initialized = 0
            guard let out = out.baseAddress else { return }
            for o in 0..<outer {
                if inner > 1 {
                    CascadeSum.columns(base + o * length * inner, rows: length, columns: inner, into: out + o * inner)
                } else {
                    out[o] = outer == 1 ? CascadeSum.total(base, count: length) : CascadeSum.run(base + o * length, count: length)
                }
            }
            initialized = outer * inner
        }
        return Tensor(floats: sums, shape: outShape)
    }

    /// `x.sum(dims)` over several dimensions at once, recorded as one `SumBackward1`.
    public func sum(dims: [Int], keepDim: Bool = false) throws -> Tensor {
        let axes = try distinctDimensions(dims)
        return try sumValues(over: axes, keepDim: keepDim).recorded(.sumDim, from: self, derivative: .sum(self, dims: axes, keepDim: keepDim))
    }

    /// `x.mean(dims)` over several dimensions at once: their sum divided once by the count, as torch's, recorded as
    /// one `MeanBackward1`.
    public func mean(dims: [Int], keepDim: Bool = false) throws -> Tensor {
        guard dtype.isFloatingPoint else {
            throw TensorError("mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: \(dtype.scalarTypeName)")
        }
        let axes = try distinctDimensions(dims), n = axes.reduce(1) { $0 * shape[$1] }
        let values = dtype == .float32 ? try sumValues(over: axes, keepDim: keepDim).combined(.div, .float(Double(n)))
            : try computedInFloat32 { try $0.mean(dims: dims, keepDim: keepDim) }
        return values.recorded(.meanDim, from: self, derivative: .sum(self, dims: axes, keepDim: keepDim, divisor: n))
    }

    /// The sums over `axes` (distinct) in torch's order where it is the one-dimension order: every dimension as one
    /// total, neighbouring dimensions merged into one (as torch's iterator merges them); others one at a time.
    private func sumValues(over axes: [Int], keepDim: Bool) throws -> Tensor {
        let sorted = axes.sorted(), x = detached()
        let outShape = shape.enumerated().compactMap { sorted.contains($0.offset) ? (keepDim ? 1 : nil) : $0.element }
        guard let first = sorted.first, let last = sorted.last else { return x }
        if sorted.count == rank { return try x.sumValues(dim: nil, keepDim: false).reshaped(outShape) }
        if last - first + 1 == sorted.count {
            let merged = Array(shape[..<first]) + [sorted.reduce(1) { $0 * shape[$1] }] + Array(shape[(last + 1)...])
            return try x.contiguous().reshaped(merged).sumValues(dim: first, keepDim: false).reshaped(outShape)
        }
        return try sorted.reversed().reduce(x) { try $0.sumValues(dim: $1, keepDim: true) }.reshaped(outShape)
    }

    /// `dims` as dimensions of this tensor, last first; one named twice is torch's error.
    func distinctDimensions(_ dims: [Int]) throws -> [Int] {
        var seen = Set<Int>()
        for dim in try dims.map({ try dimension($0) }) where !seen.insert(dim).inserted {
            throw TensorError("dim \(dim) appears multiple times in the list of dims")
        }
        return seen.sorted(by: >)
    }

    /// `x.mean(dim)`; floating point only, as in torch.
    public func mean(dim: Int? = nil, keepDim: Bool = false) throws -> Tensor {
        guard dtype.isFloatingPoint else {
            throw TensorError("mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: \(dtype.scalarTypeName)")
        }
        let n = dim == nil ? count : shape.isEmpty ? 1 : shape[try dimension(dim!)]
        let derivative = Derivative.sum(self, dim: dim, keepDim: keepDim, divisor: n)
        if dtype != .float32 { return try computedInFloat32 { try $0.mean(dim: dim, keepDim: keepDim) }.recorded(dim == nil ? .mean : .meanDim, from: self, derivative: derivative) }
        return try sumValues(dim: dim, keepDim: keepDim).combined(.div, .float(Double(n)))
            .recorded(dim == nil ? .mean : .meanDim, from: self, derivative: derivative)
    }

    /// `x.var(dim, correction=1)`: the mean squared deviation, divided by `n - correction` (Bessel's correction by
    /// default, as torch's `unbiased=True`); float32 only.
    public func variance(dim: Int? = nil, correction: Int = 1, keepDim: Bool = false) throws -> Tensor {
        let out = try varianceValues(dim: dim, correction: correction, keepDim: keepDim)
        let d = try dim.map { rank == 0 ? 0 : try dimension($0) }
        return out.recorded(.variance, from: self, derivative: .spread(self, out, dim: d, correction: correction, keepDim: keepDim, root: false))
    }

    /// `x.std(dim, correction=1)`: the square root of `variance`.
    public func standardDeviation(dim: Int? = nil, correction: Int = 1, keepDim: Bool = false) throws -> Tensor {
        let out = try varianceValues(dim: dim, correction: correction, keepDim: keepDim, root: true)
        let d = try dim.map { rank == 0 ? 0 : try dimension($0) }
        return out.recorded(.standardDeviation, from: self, derivative: .spread(self, out, dim: d, correction: correction, keepDim: keepDim, root: true))
    }

    /// The variance (its square root with `root`) in float32, rounded once to a narrower float type.
    private func varianceValues(dim: Int?, correction: Int, keepDim: Bool, root: Bool = false) throws -> Tensor {
        guard dtype.isFloatingPoint else {
            throw TensorError("std and var only support floating point and complex dtypes", kind: .notImplementedError)
        }
        if dtype != .float32 { return try computedInFloat32 { try $0.varianceValues(dim: dim, correction: correction, keepDim: keepDim, root: root) } }
        guard let dim else { return try reshaped([count]).varianceValues(dim: 0, correction: correction, keepDim: false, root: root) }
        let d = try dimension(dim)
        if rank == 0 { return try reshaped([1]).varianceValues(dim: 0, correction: correction, keepDim: false, root: root) }
        let n = shape[d]
        var out = [Float]()
        forEachLane(d) { p, stride in
            let mean = (0..<n).reduce(0.0) { $0 + Double(p[$1 * stride]) } / Double(n)
            let squares = (0..<n).reduce(0.0) { $0 + (Double(p[$1 * stride]) - mean) * (Double(p[$1 * stride]) - mean) }
            let variance = Float(squares / Double(Swift.max(n - correction, 0)))
            out.append(root ? variance.squareRoot() : variance)
        }
        return Tensor(floats: out, shape: reducedShape(d, keepDim: keepDim))
    }

    /// `torch.log_softmax(x, dim)`: `x - max - log(sum(exp(x - max)))` along `dim`, in float32.
    public func logSoftmax(dim: Int) throws -> Tensor {
        guard dtype.isFloatingPoint else { throw TensorError("\"log_softmax_lastdim_kernel_impl\" not implemented for '\(dtype.scalarTypeName)'") }
        // torch's float16 kernel rounds differently from float32-then-round, and sbpl does not reproduce it yet
        guard dtype != .float16 else { throw TensorError("sbpl does not support log_softmax on float16 tensors yet", kind: .notImplementedError) }
        let out = try computedInFloat32 { try $0.logSoftmaxValues(dim: dim).poisoningNonFiniteLanes(of: $0, dim: dim) }
        return out.recorded(.logSoftmax, from: self, derivative: .logSoftmax(out, dim: dim))
    }

    private func logSoftmaxValues(dim: Int) throws -> Tensor {
        let d = try dimension(dim)
        if rank == 0 { return Tensor(floats: [0], shape: []) }
        let out = copy()
        let n = shape[d]
        out.forEachLane(d) { p, stride in
            var m = -Float.infinity
            for k in 0..<n { m = Swift.max(m, p[k * stride]) }
            var total: Float = 0
            for k in 0..<n { total += expf(p[k * stride] - m) }
            let logTotal = logf(total)
            for k in 0..<n { p[k * stride] = (p[k * stride] - m) - logTotal }
        }
        return out
    }
}
