import CKernels
import COpenBLAS
import Foundation

extension Tensor {
    /// `nn.functional.layer_norm` over the last dimension: `(x - mean) / sqrt(var + eps) * weight + bias`,
    /// with the biased variance, as torch computes it.
    public func layerNorm(weight: Tensor, bias: Tensor, eps: Float) throws -> Tensor {
        guard let n = shape.last, weight.shape == [n], bias.shape == [n] else {
            throw TensorError("layer_norm: weight and bias must have shape [\(shape.last ?? 0)], got \(pythonList(weight.shape)) and \(pythonList(bias.shape))")
        }
        let x = to(.float32).contiguous()
        let out = Tensor(uninitialized: shape)
        let w = weight.contiguous(), b = bias.contiguous()
        let pw = w.storage.floats(w.offset), pb = b.storage.floats(b.offset)
        let src = x.storage.floats(x.offset), dst = out.storage.floats()
        parallelChunks(n == 0 ? 0 : count / n, grain: 64) { rows in
            kernel_layer_norm(src + rows.lowerBound * n, dst + rows.lowerBound * n, rows.count, n, pw, pb, eps)
        }
        return out
    }

    /// `nn.functional.linear`: `x @ weight.T + bias` for a weight stored `[out, in]`, as checkpoints store it.
    /// The leading dimensions are flattened into one GEMM whose output starts as the bias (beta = 1).
    public func linear(weight: Tensor, bias: Tensor?) throws -> Tensor {
        guard let inputs = shape.last, weight.rank == 2, weight.shape[1] == inputs, dtype == .float32,
              weight.dtype == .float32, bias.map({ $0.shape == [weight.shape[0]] }) ?? true else {
            var y = try matmul(weight.transposed(0, 1))
            if let bias { y = try y.combined(.add, bias) }
            return y
        }
        let (rows, outputs) = (count / Swift.max(inputs, 1), weight.shape[0])
        let x = contiguous(), w = weight.contiguous()
        let out = Tensor(uninitialized: Array(shape.dropLast()) + [outputs])
        let y = out.storage.floats()
        if let bias {
            let b = bias.contiguous().storage.floats(bias.contiguous().offset)
            for r in 0..<rows { (y + r * outputs).update(from: b, count: outputs) }
        } else {
            y.update(repeating: 0, count: rows * outputs)
        }
        guard rows > 0 && outputs > 0 && inputs > 0 else { return out }
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(outputs), Int32(inputs), 1,
                    x.storage.floats(x.offset), Int32(inputs), w.storage.floats(w.offset), Int32(inputs), 1, y, Int32(outputs))
        return out
    }
}

extension Tensor {
    /// `embedding(ids)`: the rows of this `[count, dim]` table at each id; `ids` of shape `S` give `S + [dim]`.
    public func gatherRows(_ ids: Tensor) throws -> Tensor {
        guard rank == 2, ids.dtype == .int64 else {
            throw TensorError("embedding expects a 2-D table and int64 ids, got a \(rank)-D table and \(ids.dtype.torchName) ids")
        }
        let (rows, dim) = (shape[0], shape[1])
        let table = contiguous()
        let indices = ids.int64s()
        if let bad = indices.first(where: { $0 < 0 || $0 >= rows }) {
            throw TensorError("index \(bad) is out of range for an embedding table of \(rows) rows")
        }
        let out = Tensor(zeros: ids.shape + [dim])
        let src = table.storage.floats(table.offset), dst = out.storage.floats()
        for (i, id) in indices.enumerated() {
            (dst + i * dim).update(from: src + Int(id) * dim, count: dim)
        }
        return out
    }

    /// Attention probabilities: `softmax(self * scale)` over the last dimension of `[batch, heads, query, key]`
    /// scores, with keys whose `keyMask[batch, key]` is 0 set to float32's lowest value first.
    public func maskedSoftmax(scale: Float, keyMask: Tensor) throws -> Tensor {
        guard rank == 4, dtype == .float32, keyMask.shape == [shape[0], shape[3]] else {
            throw TensorError("maskedSoftmax expects [batch, heads, query, key] scores and a [batch, key] mask, got \(pythonList(shape)) and \(pythonList(keyMask.shape))")
        }
        let (batch, keys) = (shape[0], shape[3])
        let rowsPerBatch = shape[1] * shape[2]
        let mask = keyMask.int64s()
        let source = contiguous()
        let out = Tensor(uninitialized: shape)
        let keep = mask.map { UInt8($0 != 0 ? 1 : 0) }
        out.storage.base.copyMemory(from: source.storage.base + source.offset * 4, byteCount: count * 4)
        let rows = out.storage.floats()
        keep.withUnsafeBufferPointer { keep in
            parallelChunks(batch * rowsPerBatch, grain: 32) { range in
                // rows of one batch item share its mask; split the range at batch boundaries
                var row = range.lowerBound
                while row < range.upperBound {
                    let b = row / rowsPerBatch
                    let end = Swift.min(range.upperBound, (b + 1) * rowsPerBatch)
                    kernel_softmax_rows(rows + row * keys, end - row, keys, scale, keep.baseAddress! + b * keys)
                    row = end
                }
            }
        }
        return out
    }
}
