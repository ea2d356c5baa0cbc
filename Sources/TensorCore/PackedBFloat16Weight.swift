import CKernels

/// A weight `W[n, k]` of a bfloat16 model packed once for `kernel_bgemm` (pairs of bfloat16 depths, the panels its
/// micro-kernel streams), as oneDNN keeps a reordered weight for PyTorch's bfloat16 linear layers.
final class PackedBFloat16Weight: PackedForm, @unchecked Sendable {
    /// Whether this CPU has the bfloat16 kernel (AVX512_BF16); without it, bfloat16 layers sum in float32 over the
    /// same values on the float32 kernel.
    static let isAvailable = kernel_bgemm_available() != 0

    private let panels: AlignedBuffer<UInt16>
    let n: Int, k: Int
    let version: Int

    init(_ weight: Tensor, version: Int) {
        (n, k, self.version) = (weight.shape[0], weight.shape[1], version)
        panels = AlignedBuffer(count: kernel_bgemm_packed_count(n, k))
        kernel_bgemm_pack(weight.storage.floats(weight.offset), n, k, weight.strides[0], weight.strides[1], panels.pointer)
    }

    /// `y = output(x @ W^T)` for the converted rows of `x`, `y` row-major `[x.rows, n]`.
    func multiply(_ x: BFloat16Rows, into y: UnsafeMutablePointer<Float>, output: ReducedOutput) {
        withUnsafePointer(to: output) { output in
            let width = kernel_bgemm_panel_width()
            splitProduct(rows: x.rows, rowTile: kernel_bgemm_row_tile(), panels: (n + width - 1) / width, work: x.rows * n * k) { rows, panels in
                kernel_bgemm(x.values + rows.lowerBound * x.depth, rows.count, k, self.panels.pointer, n, y + rows.lowerBound * n, n, output,
                             rows.lowerBound, panels.lowerBound, panels.upperBound)
            }
        }
    }
}
