/// Operations that copy chosen elements into a new tensor: `gather`, `index_select` along any dimension, `flip`,
/// `roll`, `masked_select`, `one_hot` and constant padding. Each finds the row-major position in the input of every output element, and
/// `picking` copies them and adds the gradient back at those positions.
extension Tensor {
    /// `torch.gather(x, dim, index)`: `out[i][j] = x[index[i][j]][j]` for dim 0 (and so on), shaped as `index`.
    public func gather(dim: Int, index: Tensor) throws -> Tensor {
        let d = try dimension(dim)
        guard index.dtype == .int64 || index.dtype == .int32 else { throw TensorError("gather(): Expected dtype int32/int64 for index") }
        guard index.rank == rank || (rank == 0 && index.rank <= 1) else {
            throw TensorError("Index tensor must have the same number of dimensions as input tensor")
        }
        if let bad = zip(index.shape, shape).enumerated().first(where: { $0.offset != d && $0.element.0 > $0.element.1 }) {
            throw TensorError("Size does not match at dimension \(bad.offset) expected index \(pythonList(index.shape)) to be no larger than self \(pythonList(shape)) apart from dimension \(d)")
        }
        let chosen = index.int64s(), size = shape.isEmpty ? 1 : shape[d]
        if let bad = chosen.first(where: { $0 < -Int64(size) || $0 >= Int64(size) }) {
            throw TensorError("index \(bad) is out of bounds for dimension \(d) with size \(size)")
        }
        let strides = Tensor.contiguousStrides(shape), step = strides.isEmpty ? 1 : strides[d]
        let positions = Tensor.rowMajorIndices(index.shape).enumerated().map { i, at in
            let along = Int(chosen[i]) < 0 ? Int(chosen[i]) + size : Int(chosen[i])
            return zip(at, strides).enumerated().reduce(0) { $0 + ($1.offset == d ? 0 : $1.element.0 * $1.element.1) } + along * step
        }
        return picking(positions, shape: index.shape, recordedAs: .gather)
    }

    /// `x.index_select(dim, index)`: the slices at `index` (a 1-D int tensor) along `dim`, in its order.
    public func indexSelect(dim: Int, index: Tensor) throws -> Tensor {
        let d = try dimension(dim)
        guard index.rank <= 1, !index.dtype.isFloatingPoint, index.dtype != .bool else {
            throw TensorError("index_select(): Index is supposed to be a vector of int64 or int32")
        }
        let size = shape.isEmpty ? 1 : shape[d], chosen = index.int64s().map(Int.init)
        guard chosen.allSatisfy({ $0 >= 0 && $0 < size }) else { throw TensorError("index out of range in self", kind: .indexError) }
        var out = shape
        if !out.isEmpty { out[d] = chosen.count }
        let picked = positions(of: out) { at in
            var source = at
            if !source.isEmpty { source[d] = chosen[at[d]] }
            return source
        }
        return picking(picked, shape: out, recordedAs: .indexSelect)
    }

    /// `torch.flip(x, dims)`: the elements in reverse order along each of `dims`.
    public func flipped(_ dims: [Int]) throws -> Tensor {
        let resolved = try dims.map { try dimension($0) }
        if let repeated = resolved.enumerated().first(where: { resolved[..<$0.offset].contains($0.element) })?.element {
            throw TensorError("dim \(repeated) appears multiple times in the list of dims")
        }
        let axes = Set(resolved)
        let picked = positions(of: shape) { at in
            at.enumerated().map { axes.contains($0.offset) ? shape[$0.offset] - 1 - $0.element : $0.element }
        }
        return picking(picked, shape: shape, recordedAs: .flip)
    }

    /// `torch.roll(x, shifts, dims)`: the elements moved `shifts[k]` places along `dims[k]`, those past the end
    /// coming back at the start; with no dims, over the flattened elements.
    public func rolled(_ shifts: [Int], dims: [Int]) throws -> Tensor {
        guard !dims.isEmpty else {
            guard shifts.count == 1 else { throw TensorError("shifts and dimensions must align. shifts: \(shifts.count), dims:0") }
            let n = count
            return picking((0..<n).map { (($0 - shifts[0]) % n + n) % n }, shape: shape, recordedAs: .roll)
        }
        guard shifts.count == dims.count else { throw TensorError("shifts and dimensions must align. shifts: \(shifts.count), dims:\(dims.count)") }
        let moves = Dictionary(try zip(dims, shifts).map { (try dimension($0.0), $0.1) }, uniquingKeysWith: +)
        let picked = positions(of: shape) { at in
            at.enumerated().map { d, i in
                guard let shift = moves[d], shape[d] > 0 else { return i }
                return ((i - shift) % shape[d] + shape[d]) % shape[d]
            }
        }
        return picking(picked, shape: shape, recordedAs: .roll)
    }

    /// `torch.masked_select(x, mask)`: the elements where `mask` (broadcast with `x`) is true, in a 1-D tensor.
    public func maskedSelect(_ mask: Tensor) throws -> Tensor {
        guard mask.dtype == .bool else { throw TensorError("masked_select: expected BoolTensor for mask") }
        let shape = try broadcastShapes(self.shape, mask.shape)
        let input = self.shape == shape ? self : expanded(to: shape)
        let picked = mask.expanded(to: shape).contiguous().bools().enumerated().compactMap { $0.element ? $0.offset : nil }
        return input.picking(picked, shape: [picked.count], recordedAs: .maskedSelect)
    }

    /// The elements at `positions` (row-major indices into this tensor) as a tensor of `shape`, recorded as
    /// `function`: the gradient is added back at those positions (a position picked twice gets both).
    func picking(_ positions: [Int], shape: [Int], recordedAs function: GradFunction) -> Tensor {
        let source = contiguous(), size = dtype.storageSize
        let out = Tensor(uninitialized: shape, dtype: dtype)
        let (from, to) = (UnsafeRawPointer(source.storage.base) + source.offset * size, out.storage.base)
        for (i, p) in positions.enumerated() { (to + i * size).copyMemory(from: from + p * size, byteCount: size) }
        let layout = self.layout
        return out.recorded(function, from: self, derivative: Derivative(saving: false) { g in
            let gradients = g.to(.float64).contiguous().doubles()
            var sums = [Double](repeating: 0, count: layout.shape.reduce(1, *))
            for (i, p) in positions.enumerated() { sums[p] += gradients[i] }
            return [Tensor(doubles: sums, shape: layout.shape).to(layout.dtype)]
        })
    }

    /// For each element of a tensor of `shape` (row-major), the row-major position in this tensor of the element
    /// `source` names by its index.
    private func positions(of shape: [Int], _ source: ([Int]) -> [Int]) -> [Int] {
        let strides = Tensor.contiguousStrides(self.shape)
        return Tensor.rowMajorIndices(shape).map { zip(source($0), strides).reduce(0) { $0 + $1.0 * $1.1 } }
    }

    /// Every index of a tensor of `shape`, in row-major order.
    static func rowMajorIndices(_ shape: [Int]) -> [[Int]] {
        let count = shape.reduce(1, *)
        guard count > 0 else { return [] }
        var index = [Int](repeating: 0, count: shape.count), out = [[Int]]()
        out.reserveCapacity(count)
        for _ in 0..<count {
            out.append(index)
            var d = shape.count - 1
            while d >= 0 { index[d] += 1; if index[d] < shape[d] { break }; index[d] = 0; d -= 1 }
        }
        return out
    }

    /// `F.one_hot(x, num_classes)`: for each class index of `x` (int64), a row of `classes` int64s with a 1 at it
    /// (`classes` -1: one more than the largest index).
    public func oneHot(classes: Int) throws -> Tensor {
        guard dtype == .int64 else { throw TensorError("one_hot is only applicable to index tensor of type LongTensor.") }
        let indices = int64s()
        if indices.contains(where: { $0 < 0 }) { throw TensorError("Class values must be non-negative.") }
        let width = classes == -1 ? Int(indices.max() ?? -1) + 1 : classes
        try Tensor.checkAllocation(shape + [width], dtype: .int64)
        guard classes == -1 || !indices.contains(where: { $0 >= Int64(classes) }) else { throw TensorError("Class values must be smaller than num_classes.") }
        if count == 0 && classes == -1 { throw TensorError("Can not infer total number of classes from empty tensor.") }
        var out = [Int64](repeating: 0, count: count * width)
        for (i, index) in indices.enumerated() { out[i * width + Int(index)] = 1 }
        return Tensor(ints: out, shape: shape + [width])
    }

    /// `F.pad(x, pad, value=...)` in constant mode: `pad` gives the counts to add before and after each dimension,
    /// from the last one back, negative counts cutting; the new places hold `value` (`ConstantPadNdBackward0`: the
    /// gradient is the output's part where the input lies).
    public func padded(_ pad: [Int], value: Scalar) throws -> Tensor {
        guard pad.count % 2 == 0 else { throw TensorError("Padding length must be divisible by 2") }
        guard pad.count / 2 <= rank else {
            throw TensorError("Padding length should be less than or equal to two times the input dimension but got padding length \(pad.count) and input of dimension \(rank)")
        }
        var before = [Int](repeating: 0, count: rank), outShape = shape
        for k in 0..<(pad.count / 2) {
            let d = rank - 1 - k
            (before[d], outShape[d]) = (pad[2 * k], shape[d] + pad[2 * k] + pad[2 * k + 1])
            guard outShape[d] >= 0 else {
                throw TensorError("The input size \(shape[d]), plus negative padding \(pad[2 * k]) and \(pad[2 * k + 1]) resulted in a negative output size, which is invalid. Check dimension \(d) of your input.")
            }
        }
        let strides = Tensor.contiguousStrides(shape)
        // each output element's position in the input, nil where it is new
        let sources = Tensor.rowMajorIndices(outShape).map { at -> Int? in
            var position = 0
            for (d, i) in at.enumerated() {
                let source = i - before[d]
                guard source >= 0 && source < shape[d] else { return nil }
                position += source * strides[d]
            }
            return position
        }
        let out = Tensor(zeros: outShape, dtype: dtype)
        try out.fill(value)
        let input = contiguous(), size = dtype.storageSize
        let (from, to) = (UnsafeRawPointer(input.storage.base) + input.offset * size, out.storage.base)
        for (o, source) in sources.enumerated() { if let source { (to + o * size).copyMemory(from: from + source * size, byteCount: size) } }
        let layout = self.layout
        return out.recorded(.constantPad, from: self, derivative: Derivative(saving: false) { g in
            let gradients = g.to(.float64).contiguous().doubles()
            var inner = [Double](repeating: 0, count: layout.shape.reduce(1, *))
            for (o, source) in sources.enumerated() { if let source { inner[source] = gradients[o] } }
            return [Tensor(doubles: inner, shape: layout.shape).to(layout.dtype)]
        })
    }
}
