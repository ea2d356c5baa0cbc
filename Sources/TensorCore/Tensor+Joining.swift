/// Joining tensors and cutting them apart: `torch.cat`, `torch.stack`, `split` and `chunk`, with torch's errors.
extension Tensor {
    /// `torch.cat(tensors, dim)`: the tensors one after another along `dim` (types promoted as torch promotes:
    /// float32 over int64 over bool).
    public static func concatenated(_ tensors: [Tensor], dim: Int) throws -> Tensor {
        guard let first = tensors.first else { throw TensorError("torch.cat(): expected a non-empty list of Tensors", kind: .valueError) }
        let d = try first.dimension(dim)
        guard first.rank > 0 else { throw TensorError("zero-dimensional tensor (at position 0) cannot be concatenated") }
        for (n, t) in tensors.enumerated() {
            guard t.rank == first.rank else {
                throw TensorError("Tensors must have same number of dimensions: got \(first.rank) and \(t.rank)")
            }
            for k in 0..<t.rank where k != d && t.shape[k] != first.shape[k] {
                throw TensorError("Sizes of tensors must match except in dimension \(d). Expected size \(first.shape[k]) but got size \(t.shape[k]) for tensor number \(n) in the list.")
            }
        }
        let dtype = tensors.dropFirst().reduce(first.dtype) { DType.promoted($0, $1.dtype) }
        var shape = first.shape
        shape[d] = tensors.reduce(0) { $0 + $1.shape[d] }
        try checkAllocation(shape, dtype: dtype)
        let out = Tensor(uninitialized: shape, dtype: dtype)
        let outer = shape[..<d].reduce(1, *), inner = shape[(d + 1)...].reduce(1, *), size = dtype.storageSize
        var written = 0
        for o in 0..<outer {
            for t in tensors {
                let part = t.to(dtype).contiguous(), bytes = t.shape[d] * inner * size
                (out.storage.base + written).copyMemory(from: part.storage.base + part.offset * size + o * bytes, byteCount: bytes)
                written += bytes
            }
        }
        return out.recorded(.cat, from: tensors, derivative: .cat(tensors, dim: d))
    }

    /// `torch.stack(tensors, dim)`: the tensors, all of one shape, along a new dimension `dim`.
    public static func stacked(_ tensors: [Tensor], dim: Int) throws -> Tensor {
        guard let first = tensors.first else { throw TensorError("stack expects a non-empty TensorList") }
        for (n, t) in tensors.enumerated() where t.shape != first.shape {
            throw TensorError("stack expects each tensor to be equal size, but got \(pythonList(first.shape)) at entry 0 and \(pythonList(t.shape)) at entry \(n)")
        }
        let d = dim < 0 ? dim + first.rank + 1 : dim
        guard d >= 0 && d <= first.rank else {
            throw TensorError("Dimension out of range (expected to be in range of [\(-first.rank - 1), \(first.rank)], but got \(dim))", kind: .indexError)
        }
        return try concatenated(tensors.map { try $0.detached().unsqueezed(d) }, dim: d)
            .recorded(.stack, from: tensors, derivative: .stack(tensors, dim: d))
    }

    /// `x.split(size, dim)`: views of `size` elements along `dim` (the last may be shorter).
    public func split(size: Int, dim: Int = 0) throws -> [Tensor] {
        let d = try dimension(dim)
        guard rank > 0 else { throw TensorError("split expects at least a 1-dimensional tensor") }
        guard size > 0 || (size == 0 && shape[d] == 0) else {
            throw TensorError("split_size can only be 0 if dimension size is 0, but got dimension size of \(shape[d])")
        }
        let starts = Swift.stride(from: 0, to: Swift.max(shape[d], 1), by: Swift.max(size, 1))
        return starts.map { start in
            let length = Swift.min(size, shape[d] - start)
            return narrowed(d, start: start, length: length).recorded(.split, from: self, derivative: .narrow(self, dim: d, start: start, length: length))
        }
    }

    /// `x.split([sizes], dim)`: views of the sizes given along `dim`, which must add up to its size.
    public func split(sizes: [Int], dim: Int = 0) throws -> [Tensor] {
        let d = try dimension(dim)
        guard rank > 0 else { throw TensorError("split expects at least a 1-dimensional tensor") }
        // each size within the dimension first, so that their sum cannot overflow
        guard sizes.allSatisfy({ $0 >= 0 && $0 <= shape[d] }), sizes.reduce(0, +) == shape[d] else {
            throw TensorError("split_with_sizes expects split_sizes to sum exactly to \(shape[d]) (input tensor's size at dimension \(d)), but got split_sizes=\(pythonList(sizes))")
        }
        var start = 0
        return sizes.map { length in
            defer { start += length }
            return narrowed(d, start: start, length: length)
                .recorded(.splitWithSizes, from: self, derivative: .narrow(self, dim: d, start: start, length: length))
        }
    }

    /// `x.chunk(chunks, dim)`: at most `chunks` views of equal size along `dim` (the last may be shorter).
    public func chunk(_ chunks: Int, dim: Int = 0) throws -> [Tensor] {
        guard chunks > 0 else { throw TensorError("chunk expects `chunks` to be greater than 0, got: \(chunks)") }
        let d = try dimension(dim)
        guard rank > 0 else { throw TensorError("chunk expects at least a 1-dimensional tensor") }
        return try split(size: (shape[d] + chunks - 1) / chunks, dim: d)
    }

    /// The view of `length` elements from `start` along dimension `d`, sharing storage.
    func narrowed(_ d: Int, start: Int, length: Int) -> Tensor {
        var shape = self.shape
        shape[d] = length
        return Tensor(storage: storage, dtype: dtype, shape: shape, strides: strides, offset: offset + start * strides[d])
    }
}
