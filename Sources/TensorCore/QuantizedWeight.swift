import CKernels

/// A linear layer's weight as PyTorch's `quantize_dynamic(model, {nn.Linear}, dtype=torch.qint8)` stores it: int8
/// values per tensor, symmetric (zero point 0, scale = max |w| / 127.5, as its default weight observer chooses),
/// packed once for the int8 kernel.
public final class QuantizedWeight: @unchecked Sendable {
    /// Whether this CPU has the int8 kernel (AVX2).
    public static let isAvailable = kernel_qgemm_available() != 0

    /// The weight's scale (torch's `q_scale()`).
    public let scale: Float
    /// The layer's `[out_features, in_features]`.
    public let n: Int, k: Int
    /// The int8 values, row-major `[n, k]` (torch's `int_repr()`).
    public let values: [Int8]
    private let packed: AlignedBuffer<Int8>
    private let columnSums: [Int32]

    /// Quantizes a float32 `[n, k]` weight. A NaN in it makes the scale NaN and every value 127, and an infinity
    /// makes it infinite, as in torch (its observer's max and its division see them), never a trap.
    public init(_ weight: Tensor) {
        (n, k) = (weight.shape[0], weight.shape[1])
        let source = weight.contiguous(), elements = n * k, floats = source.storage.floats(source.offset)
        let largest = kernel_abs_max(floats, elements)
        let scale = largest.isNaN ? .nan : Swift.max(largest / 127.5, Float.ulpOfOne)
        self.scale = scale
        values = [Int8](unsafeUninitializedCapacity: elements) { buffer, initialized in
            kernel_quantize_symmetric(floats, elements, 1 / scale, buffer.baseAddress)
            initialized = elements
        }
        packed = AlignedBuffer(count: kernel_qgemm_packed_count(n, k))
        var sums = [Int32](repeating: 0, count: n)
        kernel_qgemm_pack(values, n, k, packed.pointer, &sums)
        columnSums = sums
    }

    /// `y = linear(x) (+ residual)` for the rows `x` quantized to, quantized per tensor as fbgemm quantizes
    /// activations; `residual` (or nil) laid out as `y`. Each core copies its block of the residual into `y` just
    /// before its product adds onto it (read in the kernel's last store instead, its cache misses stalled the
    /// kernel: 2-3% slower at 8x128); `after` runs on each block of `y` right after its product.
    func multiply(_ x: QuantizedActivations, bias: UnsafePointer<Float>?, residual: UnsafePointer<Float>?,
                  into y: UnsafeMutablePointer<Float>, after: OutputBlock? = nil) {
        let depth = kernel_qgemm_depth(k)
        columnSums.withUnsafeBufferPointer { sums in
            let output = QGemmOutput(scale: x.quantization.scale * scale, zero_point: x.quantization.zeroPoint,
                                     column_sums: sums.baseAddress, bias: bias, accumulate: residual == nil ? 0 : 1)
            let width = kernel_qgemm_panel_width()
            splitProduct(rows: x.rows, rowTile: kernel_qgemm_row_tile(), panels: (n + width - 1) / width, work: x.rows * n * k) { rows, panels in
                let part = columns(of: panels, width: width, n: n)
                if let residual {
                    for row in rows {
                        (y + row * n + part.lowerBound).update(from: residual + row * n + part.lowerBound, count: part.count)
                    }
                }
                withUnsafePointer(to: output) { output in
                    kernel_qgemm(x.codes + rows.lowerBound * depth, rows.count, k, packed.pointer, n, y + rows.lowerBound * n,
                                 output, panels.lowerBound, panels.upperBound)
                }
                after?(rows, part)
            }
        }
    }
}

/// A dynamic linear layer's input as its int8 kernel reads it: `rows` rows of `k` float32 values quantized per
/// tensor to 7 bits (fbgemm's range and parameters), each row padded to the kernel's depth. Kept for the next layers
/// that read the input (`ActivationForms`), so the layers that read one input (an attention's queries, keys and
/// values) quantize it once: torch quantizes it to the same values in each.
public final class QuantizedActivations: PackedForm, @unchecked Sendable {
    /// The rows and values per row.
    public let rows: Int, k: Int
    let version: Int
    /// The scale and zero point of the codes.
    let quantization: ActivationQuantization
    /// `rows` rows of `kernel_qgemm_depth(k)` codes.
    let codes: UnsafeMutablePointer<UInt8>
    private let bytes: Int

    /// Quantizes the rows of `x`, a contiguous float32 tensor whose storage is at `version`, each core taking its rows
    /// (rows of no values, a layer of in_features=0, give the bias alone).
    init(_ x: Tensor, version: Int) throws {
        (rows, k, self.version) = (x.shape.dropLast().reduce(1, *), x.shape.last ?? 1, version)
        let values = UnsafePointer(x.storage.floats(x.offset))
        quantization = try ActivationQuantization(range: Self.range(values, count: rows * k))
        let depth = kernel_qgemm_depth(k)
        bytes = rows * depth
        codes = BufferCache.take(bytes).bindMemory(to: UInt8.self, capacity: bytes)
        parallelChunks(rows, grain: 64, perCore: 4) { [quantization, codes] range in
            kernel_qgemm_quantize(values + range.lowerBound * k, range.count, k, quantization.scale, quantization.zeroPoint,
                                  codes + range.lowerBound * depth)
        }
    }

    deinit { BufferCache.give(UnsafeMutableRawPointer(codes), bytes) }

    /// The smallest and largest of `x[0..<count]`, each core taking a part, as fbgemm's `FindMinMax` sees them: a NaN
    /// is never smaller or larger, so the range is NaN only when the first value is.
    private static func range(_ x: UnsafePointer<Float>, count: Int) -> (min: Float, max: Float) {
        if count == 0 { return (0, 0) }
        if x[0].isNaN { return (.nan, .nan) }
        let parts = Swift.max(1, Swift.min(activeCores, count / 16_384))
        var lows = [Float](repeating: 0, count: parts), highs = lows
        lows.withUnsafeMutableBufferPointer { lows in
            highs.withUnsafeMutableBufferPointer { highs in
                parallelChunks(parts, grain: 1) { chunk in
                    for part in chunk {
                        let start = part * count / parts
                        kernel_min_max(x + start, (part + 1) * count / parts - start, &lows[part], &highs[part])
                    }
                }
            }
        }
        // each part's range leaves its NaNs out (a part of only NaNs: the infinities); x[0] is in the first one
        return (lows.reduce(.infinity) { $1 < $0 ? $1 : $0 }, highs.reduce(-.infinity) { $1 > $0 ? $1 : $0 })
    }
}

/// The scale and zero point fbgemm chooses for a tensor of activations between `min` and `max`, quantized to
/// 0...127 (PyTorch's dynamic linear layers reduce the range to 7 bits): ATen's `ChooseQuantizationParams`.
struct ActivationQuantization {
    let scale: Float
    let zeroPoint: Int32

    init(range: (min: Float, max: Float)) throws {
        guard range.min <= range.max else {  // a NaN first activation: ATen's check fails, as in torch
            throw TensorError("In ChooseQuantizationParams, min should be less than or equal to max")
        }
        let (qmin, qmax) = (0.0, 127.0)
        var low = Swift.min(range.min, 0), high = Swift.max(range.max, 0)
        var scale = (Double(high) - Double(low)) / (qmax - qmin)
        if Float(scale) == 0 || (1 / Float(scale)).isInfinite { scale = 0.1 }
        let smallest: Float = 6.1e-5
        if scale < Double(smallest) {  // a small scale is raised, the range widened with it
            let original = Float(scale)
            scale = Double(smallest)
            if low == 0 { high = smallest * Float(qmax - qmin) } else if high == 0 { low = -smallest * Float(qmax - qmin) } else {
                (low, high) = (low * (smallest / original), high * (smallest / original))
            }
        }
        let fromMin = qmin - Double(low) / scale, fromMax = qmax - Double(high) / scale
        let fromMinError = abs(qmin) - abs(Double(low) / scale), fromMaxError = abs(qmax) - abs(Double(high) / scale)
        let initial = fromMinError < fromMaxError ? fromMin : fromMax
        self.scale = Float(scale)
        // activations with a NaN or an infinity have no meaningful zero point (the outputs are NaN): qmin, not a trap
        zeroPoint = Int32(!initial.isFinite || initial < qmin ? qmin : initial > qmax ? qmax : initial.rounded(.toNearestOrEven))
    }
}
