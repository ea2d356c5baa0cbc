import COpenBLAS

extension Tensor {
    /// Products of at most this many multiply-adds are too small to share between threads.
    static let smallProduct = 1 << 21

    /// A matrix view's layout for BLAS: whether it is stored transposed, and its leading dimension.
    private static func blasLayout(rowStride: Int, colStride: Int, rows: Int, cols: Int) -> (transposed: Bool, ld: Int)? {
        if (colStride == 1 || cols == 1) && (rowStride >= cols || rows == 1) { return (false, Swift.max(rowStride, cols, 1)) }
        if (rowStride == 1 || rows == 1) && (colStride >= rows || cols == 1) { return (true, Swift.max(colStride, rows, 1)) }
        return nil
    }

    /// `torch.matmul(self, other)`: 1-D and 2-D products and batched products with broadcast batch dimensions,
    /// on `cblas_sgemm`. Transposed views are passed to BLAS without copying.
    public func matmul(_ other: Tensor) throws -> Tensor {
        guard rank > 0 && other.rank > 0 else {
            throw TensorError("both arguments to matmul need to be at least 1D, but they are \(rank)D and \(other.rank)D")
        }
        if dtype == other.dtype && (dtype == .float16 || dtype == .bfloat16) {  // in float32, the result rounded
            return try computedInFloat32 { try $0.detached().matmul(other.to(.float32).detached()) }
                .recorded(Tensor.matmulFunction(rank, other.rank), from: self, other, derivative: .matmul(self, other))
        }
        if dtype == .float64 && other.dtype == .float64 { throw TensorError("sbpl does not support float64 matmul yet", kind: .notImplementedError) }
        guard dtype == .float32 && other.dtype == .float32 else {
            throw TensorError("expected m1 and m2 to have the same dtype, but got: \(dtype == other.dtype ? "long int" : "float") != \(other.dtype == .float32 ? "float" : "long int")")
        }
        let a = rank == 1 ? try unsqueezed(0) : self
        let b = other.rank == 1 ? try other.unsqueezed(-1) : other
        let (m, k) = (a.shape[a.rank - 2], a.shape[a.rank - 1])
        let (k2, n) = (b.shape[b.rank - 2], b.shape[b.rank - 1])
        guard k == k2 else {
            throw TensorError(rank == 1 && other.rank == 1
                ? "inconsistent tensor size, expected tensor [\(shape[0])] and src [\(other.shape[0])] to have the same number of elements, but got \(shape[0]) and \(other.shape[0]) elements respectively"
                : "mat1 and mat2 shapes cannot be multiplied (\(a.shape.dropLast().reduce(1, *))x\(k) and \(k2)x\(n))")
        }
        let batch = try broadcastShapes(Array(a.shape.dropLast(2)), Array(b.shape.dropLast(2)))
        try Tensor.checkAllocation(batch + [m, n])
        let ea = a.expanded(to: batch + [m, k]), eb = b.expanded(to: batch + [k, n])
        var out = k == 0 ? Tensor(zeros: batch + [m, n]) : Tensor(uninitialized: batch + [m, n])
        let batchCount = batch.reduce(1, *)
        let batchStrides = Tensor.contiguousStrides(batch)
        func product(_ index: Int) throws {
            var offA = ea.offset, offB = eb.offset
            for d in 0..<batch.count {
                let i = (index / batchStrides[d]) % batch[d]
                offA += i * ea.strides[d]
                offB += i * eb.strides[d]
            }
            try Tensor.gemm(ea, offA, eb, offB, out.storage.floats(index * m * n), m: m, n: n, k: k)
        }
        if batchCount > 1 && m * n * k <= Tensor.smallProduct {  // many small products (attention heads): one a core
            try parallelChunks(batchCount, grain: 1) { range in
                for index in range { try product(index) }
            }
        } else {
            for index in 0..<batchCount { try product(index) }
        }
        if rank == 1 { out = try out.view(at: [.ellipsis, .at(0), .all]) }
        if other.rank == 1 { out = try out.view(at: [.ellipsis, .at(0)]) }
        return out.contiguous().recorded(Tensor.matmulFunction(rank, other.rank), from: self, other, derivative: .matmul(self, other))
    }

    /// The function torch's `matmul` ends with for operands of these ranks: `dot`, `mv`, `mm`, or a view of the
    /// folded or batched product.
    /// `torch.mm`: the product of two matrices.
    public func mm(_ other: Tensor) throws -> Tensor {
        guard rank == 2 else { throw TensorError("self must be a matrix") }
        guard other.rank == 2 else { throw TensorError("mat2 must be a matrix") }
        guard shape[1] == other.shape[0] else {
            throw TensorError("mm: mat1 and mat2 shapes cannot be multiplied (\(shape[0])x\(shape[1]) and \(other.shape[0])x\(other.shape[1]))")
        }
        return try matmul(other)
    }

    /// `torch.bmm`: the products of two batches of matrices, both 3-D with the same batch size (`BmmBackward0`).
    public func bmm(_ other: Tensor) throws -> Tensor {
        guard rank == 3 else { throw TensorError("batch1 must be a 3D tensor") }
        guard other.rank == 3 else { throw TensorError("batch2 must be a 3D tensor") }
        guard other.shape[0] == shape[0], other.shape[1] == shape[2] else {
            throw TensorError("Expected size for first two dimensions of batch2 tensor to be: [\(shape[0]), \(shape[2])] but got: [\(other.shape[0]), \(other.shape[1])].")
        }
        return try detached().matmul(other.detached()).recorded(.bmm, from: self, other, derivative: .matmul(self, other))
    }

    /// `torch.dot`: the inner product of two vectors of one length.
    public func dot(_ other: Tensor) throws -> Tensor {
        guard rank == 1 && other.rank == 1 else { throw TensorError("1D tensors expected, but got \(rank)D and \(other.rank)D tensors") }
        guard count == other.count else {
            throw TensorError("inconsistent tensor size, expected tensor [\(count)] and src [\(other.count)] to have the same number of elements, but got \(count) and \(other.count) elements respectively")
        }
        return try matmul(other)
    }

    /// `torch.outer`: every product of an element of this vector with one of `other` (`MulBackward0`, as torch
    /// computes it).
    public func outer(_ other: Tensor) throws -> Tensor {
        guard rank == 1 else { throw TensorError("outer: Expected 1-D argument self, but got \(rank)-D") }
        guard other.rank == 1 else { throw TensorError("outer: Expected 1-D argument vec2, but got \(other.rank)-D") }
        return try reshaped([count, 1]).combined(.mul, other)
    }

    static func matmulFunction(_ a: Int, _ b: Int) -> GradFunction {
        switch (a, b) {
        case (1, 1): return .dot
        case (2, 1): return .mv
        case (1, 2): return .squeezeDims
        case (2, 2): return .mm
        default: return .unsafeView
        }
    }

    /// One `[m, k] x [k, n]` product into `c`, reading `a` and `b` as strided matrices at the given offsets.
    private static func gemm(_ a: Tensor, _ offA: Int, _ b: Tensor, _ offB: Int, _ c: UnsafeMutablePointer<Float>,
                             m: Int, n: Int, k: Int) throws {
        if m == 0 || n == 0 { return }
        let ra = a.strides[a.rank - 2], ca = a.strides[a.rank - 1]
        let rb = b.strides[b.rank - 2], cb = b.strides[b.rank - 1]
        guard let la = blasLayout(rowStride: ra, colStride: ca, rows: m, cols: k),
              let lb = blasLayout(rowStride: rb, colStride: cb, rows: k, cols: n) else {
            let ac = Tensor(floats: a.matrix(at: offA, rows: m, cols: k), shape: [m, k])
            let bc = Tensor(floats: b.matrix(at: offB, rows: k, cols: n), shape: [k, n])
            return try gemm(ac, 0, bc, 0, c, m: m, n: n, k: k)
        }
        let rowStep = la.transposed ? 1 : la.ld
        func product(rows: Range<Int>) {
            sbpl_cblas_sgemm(CblasRowMajor, la.transposed ? CblasTrans : CblasNoTrans, lb.transposed ? CblasTrans : CblasNoTrans,
                             Int32(rows.count), Int32(n), Int32(k), 1, a.storage.floats(offA + rows.lowerBound * rowStep), Int32(la.ld),
                             b.storage.floats(offB), Int32(lb.ld), 0, c + rows.lowerBound * n, Int32(n))
        }
        // a large product is split by rows over the cores, each part one single-threaded BLAS call
        if m * n * k <= Tensor.smallProduct { product(rows: 0..<m) } else { parallelChunks(m, grain: 16, product) }
    }

    /// The `rows x cols` matrix of the last two dimensions starting at storage offset `start`, copied row-major.
    private func matrix(at start: Int, rows: Int, cols: Int) -> [Float] {
        let rs = strides[rank - 2], cs = strides[rank - 1], p = storage.floats()
        return (0..<(rows * cols)).map { p[start + ($0 / cols) * rs + ($0 % cols) * cs] }
    }
}
