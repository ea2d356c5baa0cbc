import CKernels

/// A bfloat16 tensor's rows (over its last dimension) as the bfloat16 GEMM reads them: `rows` rows of
/// `kernel_bgemm_depth(k)` bfloat16 values, a zero past `k` when it is odd. Kept for the next layers that read the
/// tensor (`ActivationForms`), so the layers that read one input (an attention's queries, keys and values) convert it
/// once, as int8 layers share `QuantizedActivations`; a layer norm or a feed-forward's GELU makes it as it writes its
/// output, while the values are in the caches, so the next layer does not read them back from memory to convert them.
final class BFloat16Rows: PackedForm, @unchecked Sendable {
    let rows: Int, k: Int, depth: Int
    let version: Int
    /// The converted rows, `depth` apart.
    let values: UnsafeMutablePointer<UInt16>
    private let bytes: Int

    /// Room for `rows` rows of `k` values, to be written by their producer (the pad past an odd `k` is zeroed here).
    init(rows: Int, k: Int, version: Int) {
        (self.rows, self.k, self.version, depth) = (rows, k, version, kernel_bgemm_depth(k))
        bytes = Swift.max(rows * depth * 2, 1)
        values = BufferCache.take(bytes).bindMemory(to: UInt16.self, capacity: Swift.max(rows * depth, 1))
        if depth > k { for row in 0..<rows { values[row * depth + k] = 0 } }
    }

    /// The rows of `x`, a contiguous tensor, converted by the cores.
    convenience init(_ x: Tensor, version: Int) {
        self.init(rows: x.shape.dropLast().reduce(1, *), k: x.shape.last ?? 1, version: version)
        let source = x.storage.floats(x.offset)
        parallelChunks(rows, grain: 64, perCore: 4) { range in convert(source, rows: range) }
    }

    deinit { BufferCache.give(UnsafeMutableRawPointer(values), bytes) }

    /// Converts `rows` of the rows at `x` (`k` apart, as in the tensor), e.g. a producer's chunk just written.
    func convert(_ x: UnsafePointer<Float>, rows range: Range<Int>) {
        kernel_bgemm_convert(x + range.lowerBound * k, range.count, k, values + range.lowerBound * depth)
    }
}
