import CKernels
/// An n-dimensional, strided view of a `TensorStorage`, like a CPU `torch.Tensor`. Each tensor knows whether it
/// requires grad and which operation made it (`grad_fn`), as torch prints them, and `backward()` runs that graph.
///
/// Views (indexing, `transpose`, `permute`) share storage; operations return new contiguous tensors.
/// ```swift
/// let x = Tensor(floats: [1, 2, 3, 4], shape: [2, 2])
/// print(x)            // tensor([[1., 2.],
///                     //         [3., 4.]])
/// ```
public struct Tensor: @unchecked Sendable {
    /// The element type.
    public let dtype: DType
    /// The size of each dimension (`tensor.shape`).
    public let shape: [Int]
    /// Elements to step in storage per index of each dimension.
    public let strides: [Int]
    let offset: Int
    let storage: TensorStorage
    /// Where the tensor stands in autograd's graph (`requires_grad`, `is_leaf`, `grad_fn`). Setting it gives this
    /// value a history of its own; copies of the tensor share it otherwise, so `x.requires_grad_()` on one is seen by
    /// all (as one Python object's is).
    public internal(set) var gradHistory: GradHistory {
        get { gradState.history }
        set { gradState = GradState(newValue) }
    }
    var gradState = GradState(.none)
    /// Whether it is an `nn.Parameter` (printed `Parameter containing:`).
    public internal(set) var isParameter = false

    /// Where the tensor's elements start, as `data_ptr()` tells tensors apart: its storage and offset. Tied weights
    /// (an embedding and the head that shares it) have the same.
    public var dataIdentity: DataIdentity { DataIdentity(storage: ObjectIdentifier(storage), offset: offset) }

    /// Whether this tensor and `other` have elements in the same place of one storage (a tensor and a view of it,
    /// tied weights); tensors in one storage that do not overlap (a file's tensors, mapped together) do not.
    public func sharesElements(with other: Tensor) -> Bool {
        guard storage === other.storage, count > 0, other.count > 0 else { return false }
        func span(_ t: Tensor) -> Range<Int> {
            let bytes = t.dtype.storageSize
            return (t.offset * bytes)..<((t.offset + zip(t.shape, t.strides).reduce(0) { $0 + ($1.0 - 1) * $1.1 } + 1) * bytes)
        }
        return span(self).overlaps(span(other))
    }

    /// `data_ptr()`: the address of the first element (tensors sharing elements share it).
    public var dataAddress: Int { Int(bitPattern: UnsafeRawPointer(storage.base)) + offset * dtype.storageSize }

    /// A storage and an offset in it.
    public struct DataIdentity: Hashable, Sendable {
        let storage: ObjectIdentifier
        let offset: Int
    }

    init(storage: TensorStorage, dtype: DType, shape: [Int], strides: [Int], offset: Int = 0) {
        self.storage = storage
        self.dtype = dtype
        self.shape = shape
        self.strides = strides
        self.offset = offset
    }

    /// A new zero-filled contiguous tensor.
    public init(zeros shape: [Int], dtype: DType = .float32) {
        let count = shape.reduce(1, *)
        self.init(storage: TensorStorage(byteCount: count * dtype.storageSize), dtype: dtype, shape: shape,
                  strides: Tensor.contiguousStrides(shape))
    }

    /// A new contiguous tensor whose every element the caller writes before reading (no zero fill).
    init(uninitialized shape: [Int], dtype: DType = .float32) {
        let count = shape.reduce(1, *)
        self.init(storage: TensorStorage(byteCount: count * dtype.storageSize, zeroed: false), dtype: dtype, shape: shape,
                  strides: Tensor.contiguousStrides(shape))
    }

    /// A float32 tensor holding `floats` (row-major) with `shape`; the counts must agree.
    public init(floats: [Float], shape: [Int]) {
        precondition(floats.count == shape.reduce(1, *), "element count does not match shape")
        self.init(zeros: shape, dtype: .float32)
        floats.withUnsafeBufferPointer { storage.floats().update(from: $0.baseAddress!, count: floats.count) }
    }

    /// A float64 tensor holding `doubles` (row-major) with `shape`; the counts must agree.
    public init(doubles: [Double], shape: [Int]) {
        precondition(doubles.count == shape.reduce(1, *), "element count does not match shape")
        self.init(zeros: shape, dtype: .float64)
        doubles.withUnsafeBufferPointer { storage.doubles().update(from: $0.baseAddress!, count: doubles.count) }
    }

    /// An int64 (or int32) tensor holding `ints` (row-major) with `shape`; the counts must agree.
    public init(ints: [Int64], shape: [Int], dtype: DType = .int64) {
        precondition(ints.count == shape.reduce(1, *), "element count does not match shape")
        precondition(dtype.isInteger, "an integer dtype")
        self.init(zeros: shape, dtype: dtype)
        let dst = storage.ints()
        for (i, v) in ints.enumerated() { dst[i] = dtype.stored(v) }
    }

    /// A bool tensor holding `bools` (row-major) with `shape`; the counts must agree.
    public init(bools: [Bool], shape: [Int]) {
        precondition(bools.count == shape.reduce(1, *), "element count does not match shape")
        self.init(zeros: shape, dtype: .bool)
        let dst = storage.bools()
        for (i, b) in bools.enumerated() { dst[i] = b ? 1 : 0 }
    }

    /// A tensor that uses `storage` in place, e.g. a memory-mapped weight.
    public init(borrowing storage: TensorStorage, dtype: DType, shape: [Int], byteOffset: Int = 0) {
        self.init(storage: storage, dtype: dtype, shape: shape, strides: Tensor.contiguousStrides(shape),
                  offset: byteOffset / dtype.storageSize)
    }

    /// Row-major strides for `shape`. They wrap past 64 bits, as torch's do: only a shape with no elements gets
    /// that far (a view of an empty tensor), and its strides are never used.
    public static func contiguousStrides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var step = 1
        for d in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[d] = step
            step &*= shape[d]
        }
        return strides
    }

    /// The number of dimensions (`tensor.dim()`).
    public var rank: Int { shape.count }

    /// The number of elements (`tensor.numel()`).
    public var count: Int { shape.reduce(1, *) }

    /// Whether elements lie in storage in row-major order without gaps.
    public var isContiguous: Bool {
        var expected = 1
        for d in stride(from: rank - 1, through: 0, by: -1) where shape[d] != 1 {
            if strides[d] != expected { return false }
            expected &*= shape[d]  // wraps only for a shape with no elements, as `contiguousStrides`
        }
        return true
    }

    /// Whether the elements fill a run of storage without gaps in some order of the dimensions (a contiguous tensor
    /// transposed or permuted), the first at `offset`.
    var coversItsElements: Bool {
        var expected = 1
        for (size, stride) in zip(shape, strides).filter({ $0.0 != 1 }).sorted(by: { $0.1 < $1.1 }) {
            guard stride == expected else { return false }
            expected &*= size
        }
        return true
    }

    /// Calls `body` with the storage index of every element, in row-major order.
    func forEachIndex(_ body: (Int) -> Void) {
        let n = count
        if isContiguous {
            for i in 0..<n { body(offset + i) }
            return
        }
        var index = [Int](repeating: 0, count: rank)
        var position = offset
        for _ in 0..<n {
            body(position)
            var d = rank - 1
            while d >= 0 {
                index[d] += 1
                position += strides[d]
                if index[d] < shape[d] { break }
                position -= strides[d] * shape[d]
                index[d] = 0
                d -= 1
            }
        }
    }

    /// This tensor if contiguous, else a contiguous copy (`tensor.contiguous()`, a `CloneBackward0`).
    public func contiguous() -> Tensor {
        if isContiguous { return self }
        return contiguousCopy().recorded(.clone, from: self, derivative: .identity(self))
    }

    private func contiguousCopy() -> Tensor {
        if let run = shape.last, run > 1, strides.last == 1 { return copyingRuns(of: run) }
        let out = Tensor(zeros: shape, dtype: dtype)
        var i = 0
        switch dtype.layout {
        case .float:
            let src = storage.floats(), dst = out.storage.floats()
            forEachIndex { dst[i] = src[$0]; i += 1 }
        case .double:
            let src = storage.doubles(), dst = out.storage.doubles()
            forEachIndex { dst[i] = src[$0]; i += 1 }
        case .int:
            let src = storage.ints(), dst = out.storage.ints()
            forEachIndex { dst[i] = src[$0]; i += 1 }
        case .bool:
            let src = storage.bools(), dst = out.storage.bools()
            forEachIndex { dst[i] = src[$0]; i += 1 }
        }
        return out
    }

    /// A contiguous copy made a row of the (contiguous) last dimension at a time, e.g. after a `permute` that
    /// kept the last dimension in place.
    private func copyingRuns(of run: Int) -> Tensor {
        let outer = Tensor(storage: storage, dtype: dtype, shape: Array(shape.dropLast()), strides: Array(strides.dropLast()), offset: offset)
        var starts = [Int]()
        starts.reserveCapacity(outer.count)
        outer.forEachIndex { starts.append($0) }
        let out = Tensor(uninitialized: shape, dtype: dtype)
        let size = dtype.storageSize
        let (src, dst) = (UnsafeRawPointer(storage.base), out.storage.base)
        parallelChunks(starts.count, grain: 256) { rows in
            for row in rows { (dst + row * run * size).copyMemory(from: src + starts[row] * size, byteCount: run * size) }
        }
        return out
    }

    /// The elements in row-major order as doubles (float32 values widened exactly, as Python's `tolist()` does).
    public func doubles() -> [Double] {
        var out = [Double]()
        out.reserveCapacity(count)
        switch dtype.layout {
        case .float:
            let src = storage.floats()
            forEachIndex { out.append(Double(src[$0])) }
        case .double:
            let src = storage.doubles()
            forEachIndex { out.append(src[$0]) }
        case .int:
            let src = storage.ints()
            forEachIndex { out.append(Double(src[$0])) }
        case .bool:
            let src = storage.bools()
            forEachIndex { out.append(src[$0] != 0 ? 1 : 0) }
        }
        return out
    }

    /// The elements in row-major order as bools (nonzero is true, as `.bool()` converts).
    public func bools() -> [Bool] {
        guard dtype == .bool else { return doubles().map { $0 != 0 } }
        var out = [Bool]()
        out.reserveCapacity(count)
        let src = storage.bools()
        forEachIndex { out.append(src[$0] != 0) }
        return out
    }

    /// The elements in row-major order as float32 (float64 ones rounded, integers converted).
    public func floats() -> [Float] {
        guard dtype.layout == .float else { return dtype.layout == .double ? doubles().map { Float($0) } : int64s().map { Float($0) } }
        if isContiguous { return Array(UnsafeBufferPointer(start: storage.floats(offset), count: count)) }
        var out = [Float]()
        out.reserveCapacity(count)
        let src = storage.floats()
        forEachIndex { out.append(src[$0]) }
        return out
    }

    /// The elements in row-major order as int64 (floats truncated toward zero, as `.long()` does).
    public func int64s() -> [Int64] {
        if dtype.isInteger {
            var out = [Int64]()
            out.reserveCapacity(count)
            let src = storage.ints()
            forEachIndex { out.append(src[$0]) }
            return out
        }
        return doubles().map { Int64(exactly: $0.rounded(.towardZero)) ?? 0 }
    }

    /// The elements in row-major order as Python scalars.
    public func scalars() -> [Scalar] {
        switch dtype.layout {
        case .int: int64s().map { .int($0) }
        case .bool: bools().map { .bool($0) }
        case .float, .double: doubles().map { .float($0) }
        }
    }

    /// The single element of a one-element tensor (`tensor.item()`).
    public func item() throws -> Scalar {
        guard count == 1 else {
            throw TensorError("a Tensor with \(count) elements cannot be converted to Scalar")
        }
        return scalars()[0]
    }

    /// Lets the kernel drop the pages of a checkpoint's file mapping that only this tensor covers, once a converted
    /// copy of it is what a model keeps: they are read from the file again if it is used (float32 storage only).
    public func releaseFilePages() { storage.releasePages(of: self) }

    /// A copy converted to `dtype` (`tensor.to(dtype)`): floats rounded to the new type, integers wrapped.
    public func to(_ dtype: DType) -> Tensor {
        if dtype == self.dtype { return self }
        switch dtype.layout {
        case .float:
            // float32 takes the values as they are (no per-element pass on the common conversion); float16 from
            // float64 rounds once, from the double
            let halfFromDouble = self.dtype == .float64 && dtype == .float16
            var values = halfFromDouble ? doubles().map { Float(Float16($0)) } : floats()
            if let code = dtype.reducedCode, !halfFromDouble {
                values.withUnsafeMutableBufferPointer { kernel_round_to_type($0.baseAddress, nil, $0.count, code) }
            }
            let out = Tensor(floats: values, shape: shape)
            return Tensor(storage: out.storage, dtype: dtype, shape: shape, strides: out.strides)
        case .double: return Tensor(doubles: doubles(), shape: shape)
        case .int: return Tensor(ints: int64s(), shape: shape, dtype: dtype)
        case .bool: return Tensor(bools: bools(), shape: shape)
        }
    }

    /// A raw pointer to the first element of a contiguous int64 tensor.
    public func withInt64Pointer<R>(_ body: (UnsafeMutablePointer<Int64>) throws -> R) rethrows -> R {
        precondition(dtype == .int64 && isContiguous, "withInt64Pointer needs a contiguous int64 tensor")
        return try body(storage.ints(offset))
    }

    /// A raw pointer to the first element of a contiguous float32 tensor, for BLAS and kernels (or of a float16 or
    /// bfloat16 one, whose values are kept as float32).
    public func withFloatPointer<R>(_ body: (UnsafeMutablePointer<Float>) throws -> R) rethrows -> R {
        precondition(dtype.layout == .float && isContiguous, "withFloatPointer needs a contiguous float32, float16 or bfloat16 tensor")
        return try body(storage.floats(offset))
    }
}
