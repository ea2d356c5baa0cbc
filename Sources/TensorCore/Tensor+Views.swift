/// One component of a subscript such as `x[0, :4, -5:]`.
public enum TensorIndex: Sendable, Equatable {
    /// An integer index; negative counts from the end. Removes the dimension.
    case at(Int)
    /// A slice `start:stop:step`; `nil` parts take Python's defaults.
    case slice(start: Int?, stop: Int?, step: Int?)
    /// `None`: inserts a dimension of size 1.
    case newAxis
    /// `...`: as many full slices as needed.
    case ellipsis

    /// `:`
    public static let all = TensorIndex.slice(start: nil, stop: nil, step: nil)
}

/// Resolves Python slice bounds against a length, as `slice.indices(length)` does (`start`, `stop`, `step`), and
/// the number of positions they select.
public func resolveSlice(start: Int?, stop: Int?, step: Int?, length: Int) throws -> (start: Int, stop: Int, count: Int, step: Int) {
    let step = step ?? 1
    guard step != 0 else { throw TensorError("slice step cannot be zero") }
    func clamp(_ value: Int?, _ defaultValue: Int, low: Int, high: Int) -> Int {
        guard var v = value else { return defaultValue }
        if v < 0 { v += length }
        return Swift.min(Swift.max(v, low), high)
    }
    let lower = step > 0 ? 0 : -1, upper = step > 0 ? length : length - 1
    let s = clamp(start, step > 0 ? 0 : length - 1, low: lower, high: upper)
    let e = clamp(stop, step > 0 ? length : -1, low: lower, high: upper)
    // the span is at most length + 1, so only the step needs unsigned arithmetic (its magnitude may be 2^63)
    let span = step > 0 ? e - s : s - e
    let count = span <= 0 ? 0 : Int(UInt(span - 1) / step.magnitude) + 1
    return (s, e, count, step)
}

extension Tensor {
    /// Normalises a possibly negative dimension, with torch's error when it is out of range.
    public func dimension(_ dim: Int) throws -> Int {
        let n = Swift.max(rank, 1)
        guard dim >= -n && dim < n else {
            throw TensorError("Dimension out of range (expected to be in range of [\(-n), \(n - 1)], but got \(dim))", kind: .indexError)
        }
        return dim < 0 ? dim + n : dim
    }

    /// The view `self[indices]`, sharing storage, with torch's rules and errors. Its `grad_fn` is the last step
    /// torch applies: a select, a slice or an unsqueeze; full slices among several indices are skipped, and when
    /// every index was skipped the result is an alias.
    public func view(at indices: [TensorIndex]) throws -> Tensor {
        let consumed = indices.filter { $0 != .newAxis && $0 != .ellipsis }.count
        guard consumed <= rank else {
            throw TensorError("too many indices for tensor of dimension \(rank)")
        }
        guard indices.filter({ $0 == .ellipsis }).count <= 1 else {
            throw TensorError("an index can only have a single ellipsis ('...')")
        }
        var shape = [Int](), strides = [Int](), offset = self.offset, d = 0
        var lastStep = GradFunction.alias
        for index in indices {
            switch index {
            case .at(let i):
                guard i >= -self.shape[d] && i < self.shape[d] else {
                    throw TensorError("index \(i) is out of bounds for dimension \(d) with size \(self.shape[d])", kind: .indexError)
                }
                offset += (i < 0 ? i + self.shape[d] : i) * self.strides[d]
                d += 1
                lastStep = .select
            case .slice(let start, let stop, let step):
                guard (step ?? 1) > 0 else { throw TensorError("step must be greater than zero") }
                let r = try resolveSlice(start: start, stop: stop, step: step, length: self.shape[d])
                if r.count > 0 { offset += r.start * self.strides[d] }
                shape.append(r.count)
                strides.append(self.strides[d] * r.step)
                if indices.count == 1 || r.start != 0 || r.count != self.shape[d] || r.step != 1 { lastStep = .slice }
                d += 1
            case .newAxis:
                shape.append(1)
                strides.append(1)
                lastStep = .unsqueeze
            case .ellipsis:
                let skip = rank - consumed
                shape += self.shape[d..<(d + skip)]
                strides += self.strides[d..<(d + skip)]
                d += skip
            }
        }
        shape += self.shape[d...]
        strides += self.strides[d...]
        return Tensor(storage: storage, dtype: dtype, shape: shape, strides: strides, offset: offset)
            .recorded(lastStep, from: self, derivative: .index(self, indices))
    }

    /// `self[i]`: the sub-tensor at `i` along the first dimension.
    public subscript(i: Int) -> Tensor {
        get throws { try view(at: [.at(i)]) }
    }

    /// `tensor.unbind()`: the sub-tensors along the first dimension, as iterating over a tensor gives them.
    public func unbound() throws -> [Tensor] {
        guard rank > 0 else { throw TensorError("Dimension specified as 0 but tensor has no dimensions", kind: .indexError) }
        return (0..<shape[0]).map { row($0).recorded(.unbind, from: self, derivative: .index(self, [.at($0)])) }
    }

    /// The sub-tensor at a valid index `i` of the first dimension.
    func row(_ i: Int) -> Tensor {
        Tensor(storage: storage, dtype: dtype, shape: Array(shape.dropFirst()), strides: Array(strides.dropFirst()),
               offset: offset + i * strides[0])
    }

    /// `tensor.transpose(a, b)`: a view with two dimensions swapped.
    public func transposed(_ a: Int, _ b: Int) throws -> Tensor {
        let a = try dimension(a), b = try dimension(b)
        var order = Array(0..<rank)
        order.swapAt(a, b)
        return try permutedView(order).recorded(.transpose, from: self, derivative: .permute(order))
    }

    /// `tensor.permute(order)`: a view with dimensions reordered.
    public func permuted(_ order: [Int]) throws -> Tensor {
        let dims = try order.map { try dimension($0) }
        return try permutedView(order).recorded(.permute, from: self, derivative: .permute(dims))
    }

    private func permutedView(_ order: [Int]) throws -> Tensor {
        guard order.count == rank else {
            throw TensorError("permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = \(rank) is not equal to len(dims) = \(order.count)")
        }
        let dims = try order.map { try dimension($0) }
        guard Set(dims).count == rank else { throw TensorError("permute(): duplicate dims are not allowed.") }
        return Tensor(storage: storage, dtype: dtype, shape: dims.map { shape[$0] }, strides: dims.map { strides[$0] },
                      offset: offset)
    }

    /// `tensor.reshape(shape)`: the same elements with a new shape; one dimension may be -1. A view of a contiguous
    /// tensor (`ViewBackward0`), else a view of a contiguous copy, so that the kernels after it take their contiguous
    /// paths, named as torch names its result: `ReshapeAliasBackward0` where torch would view the elements in place,
    /// `UnsafeViewBackward0` where it copies them too.
    public func reshaped(_ newShape: [Int]) throws -> Tensor {
        let shape = try resolved(newShape)
        if isContiguous, let view = view(as: shape) { return view }
        let base = contiguous()
        return Tensor(storage: base.storage, dtype: dtype, shape: shape, strides: Tensor.contiguousStrides(shape),
                      offset: base.offset).recorded(viewStrides(for: shape) == nil ? .unsafeView : .reshapeAlias, from: self, derivative: .reshape(self))
    }

    /// `tensor.view(shape)`: the same elements with a new shape, sharing them; torch's error when their layout
    /// allows no such view (a transposed tensor flattened).
    public func viewed(_ newShape: [Int]) throws -> Tensor {
        guard let view = view(as: try resolved(newShape)) else {
            throw TensorError("view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.")
        }
        return view
    }

    /// `newShape` with its -1 inferred, or torch's error when it does not hold this tensor's elements.
    private func resolved(_ newShape: [Int]) throws -> [Int] {
        var shape = newShape
        guard let known = Tensor.elementCount(shape.filter { $0 != -1 }) else {
            throw TensorError("shape '\(pythonList(newShape))' is invalid for input of size \(count)")
        }
        let inferred = shape.indices.filter { shape[$0] == -1 }
        guard inferred.count <= 1, !shape.contains(where: { $0 < -1 }) else {
            throw TensorError(inferred.count > 1 ? "only one dimension can be inferred"
                              : "invalid shape dimension \(shape.first { $0 < -1 }!)")
        }
        if let i = inferred.first, known != 0, count % known == 0 { shape[i] = count / known }
        guard shape.reduce(1, *) == count, !shape.contains(-1) else {
            throw TensorError("shape '\(pythonList(newShape))' is invalid for input of size \(count)")
        }
        return shape
    }

    /// This tensor's elements as a view of `shape` (`ViewBackward0`), when their strides allow one: nil otherwise.
    private func view(as shape: [Int]) -> Tensor? {
        let strides = isContiguous ? Tensor.contiguousStrides(shape) : viewStrides(for: shape)
        return strides.map { Tensor(storage: storage, dtype: dtype, shape: shape, strides: $0, offset: offset)
            .recorded(.view, from: self, derivative: .reshape(self)) }
    }

    /// ATen's `computeStride`: strides that lay `shape` over this tensor's elements, going through its dimensions
    /// from the last in runs that are contiguous with each other, each run split or merged alone; nil when a new
    /// dimension would span two runs.
    private func viewStrides(for newShape: [Int]) -> [Int]? {
        if count == 0 { return newShape == shape ? strides : Tensor.contiguousStrides(newShape) }
        var newStrides = [Int](repeating: 0, count: newShape.count)
        var viewDim = newShape.count - 1, chunkStride = strides.last ?? 1, tensorCount = 1, viewCount = 1
        for d in stride(from: rank - 1, through: 0, by: -1) {
            tensorCount *= shape[d]
            guard d == 0 || (shape[d - 1] != 1 && strides[d - 1] != tensorCount * chunkStride) else { continue }
            while viewDim >= 0 && (viewCount < tensorCount || newShape[viewDim] == 1) {
                newStrides[viewDim] = viewCount * chunkStride
                viewCount *= newShape[viewDim]
                viewDim -= 1
            }
            guard viewCount == tensorCount else { return nil }
            if d > 0 { (chunkStride, tensorCount, viewCount) = (strides[d - 1], 1, 1) }
        }
        return viewDim == -1 ? newStrides : nil
    }

    /// `tensor.squeeze(dim)`: a view without the dimensions of size 1 (only `dim`, when given).
    public func squeezed(_ dim: Int? = nil) throws -> Tensor {
        let d = try dim.map { try dimension($0) }
        let keep = shape.indices.filter { shape[$0] != 1 || (d != nil && d != $0) }
        let view = Tensor(storage: storage, dtype: dtype, shape: keep.map { shape[$0] }, strides: keep.map { strides[$0] },
                          offset: offset)
        return view.recorded(dim == nil ? .squeeze : .squeezeDim, from: self, derivative: .reshape(self))
    }

    /// `tensor.unsqueeze(dim)`.
    public func unsqueezed(_ dim: Int) throws -> Tensor {
        let d = dim < 0 ? dim + rank + 1 : dim
        guard d >= 0 && d <= rank else {
            throw TensorError("Dimension out of range (expected to be in range of [\(-rank - 1), \(rank)], but got \(dim))", kind: .indexError)
        }
        var shape = self.shape, strides = self.strides
        shape.insert(1, at: d)
        strides.insert(d < rank ? strides[d] * self.shape[d] : 1, at: d)
        return Tensor(storage: storage, dtype: dtype, shape: shape, strides: strides, offset: offset)
            .recorded(.unsqueeze, from: self, derivative: .reshape(self))
    }

    /// A view broadcast to `target` (stride 0 along expanded dimensions), as `expand` does.
    func expanded(to target: [Int]) -> Tensor {
        let lead = target.count - rank
        var strides = [Int](repeating: 0, count: target.count)
        for d in 0..<rank where shape[d] == target[lead + d] { strides[lead + d] = self.strides[d] }
        return Tensor(storage: storage, dtype: dtype, shape: target, strides: strides, offset: offset)
    }
}

/// `[1, 2, 3]`, as Python prints a list of ints.
public func pythonList(_ values: [Int]) -> String {
    "[" + values.map(String.init).joined(separator: ", ") + "]"
}

extension Tensor {
    /// `torch.index_select(x, 0, indices)`: the rows `indices` of the first dimension, in that order (a copy), as
    /// beam search picks its beams and an encoder's output is repeated for them.
    public func indexSelect(_ indices: [Int], recordedAs function: GradFunction = .indexSelect) throws -> Tensor {
        guard rank >= 1 else { throw TensorError("index_select() needs a tensor of at least one dimension") }
        if let bad = indices.first(where: { $0 < 0 || $0 >= shape[0] }) {
            throw TensorError("index \(bad) is out of range for dimension 0 of size \(shape[0])")
        }
        let source = contiguous()
        let rowBytes = shape.dropFirst().reduce(1, *) * dtype.storageSize
        let out = Tensor(uninitialized: [indices.count] + shape.dropFirst(), dtype: dtype)
        for (i, row) in indices.enumerated() {
            (out.storage.base + i * rowBytes).copyMemory(from: source.storage.base + source.offset * dtype.storageSize + row * rowBytes, byteCount: rowBytes)
        }
        return out.recorded(function, from: self, derivative: .rows(self, indices))
    }

    /// A copy of `picked`, a view `indices` made of this tensor (narrowed to nothing, for `x[0, False]`), recorded as
    /// torch's advanced indexing (`IndexBackward0`): the gradient goes back to the view's place.
    public func indexedCopy(_ picked: Tensor, at indices: [TensorIndex]) -> Tensor {
        picked.copy().detached().recorded(.index, from: self, derivative: picked.count == 0 ? .zero(self) : .index(self, indices))
    }
}
