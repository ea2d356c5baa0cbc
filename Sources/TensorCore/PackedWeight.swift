import CKernels
import Synchronization

/// A tensor in the form one of the GEMM kernels reads, made from its storage at `version` and made again after an
/// in-place write to it: a weight packed once (kept by its storage, `TensorStorage.packed(_:making:)`), an input's
/// bfloat16 or int8 rows (kept for the next layers that read it, `ActivationForms`).
protocol PackedForm: AnyObject, Sendable {
    /// The storage's `version` the form was made from.
    var version: Int { get }
}

/// The memory of a packed weight's panels: `count` elements on a 64-byte boundary (a cache line, the kernels' aligned
/// loads), freed with it.
final class AlignedBuffer<Element>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Element>

    init(count: Int) {
        let capacity = Swift.max(count, 1)
        pointer = UnsafeMutableRawPointer.allocate(byteCount: capacity * MemoryLayout<Element>.stride, alignment: 64)
            .bindMemory(to: Element.self, capacity: capacity)
    }

    deinit { pointer.deallocate() }
}

/// A weight `W[n, k]` packed once into the panels `kernel_gemm_packed` streams, so a layer's GEMM does not
/// re-pack its weight on every call as BLAS does. Kept by the weight's storage (`TensorStorage.packed`) and
/// packed again after an in-place write to it.
final class PackedWeight: PackedForm, @unchecked Sendable {
    /// Whether this CPU has the packed kernel (AVX2 with FMA); without it, layers multiply on BLAS.
    static let isAvailable = kernel_gemm_available() != 0

    private let panels: AlignedBuffer<Float>
    let n: Int, k: Int
    /// The storage's `version` the values were packed from.
    let version: Int

    /// Packs `weight`, a `[n, k]` view (any strides) whose storage is at `version`.
    init(_ weight: Tensor, version: Int) {
        (n, k, self.version) = (weight.shape[0], weight.shape[1], version)
        panels = AlignedBuffer(count: kernel_gemm_packed_count(n, k))
        kernel_gemm_pack(weight.storage.floats(weight.offset), n, k, weight.strides[0], weight.strides[1], panels.pointer)
    }

    /// `y = x @ W^T (+ addends)` for `rows` contiguous rows of `x`, `y` row-major `[rows, n]`, the addends (a bias,
    /// a residual) added to each tile's sums in the kernel. Each core runs `after` on its part of `y` just after its
    /// product (an activation), while that part is in its caches.
    func multiply(_ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>, addends: GemmAddends? = nil,
                  after: OutputBlock? = nil) {
        let (width, k, n) = (kernel_gemm_panel_width(), self.k, self.n)
        splitProduct(rows: rows, rowTile: kernel_gemm_row_tile(), panels: (n + width - 1) / width, work: rows * n * k) { rows, panels in
            let product = { (addends: UnsafePointer<GemmAddends>?) in
                kernel_gemm_packed(x + rows.lowerBound * k, k, rows.count, k, self.panels.pointer, n, y + rows.lowerBound * n, n,
                                   addends, panels.lowerBound, panels.upperBound)
            }
            if let addends { withUnsafePointer(to: addends.rows(from: rows.lowerBound), product) } else { product(nil) }
            after?(rows, columns(of: panels, width: width, n: n))
        }
    }
}

extension GemmAddends {
    /// These addends for the rows of the output from `first` on.
    func rows(from first: Int) -> GemmAddends {
        GemmAddends(bias: bias, residual: residual.map { $0 + first * ldr }, ldr: ldr)
    }
}
