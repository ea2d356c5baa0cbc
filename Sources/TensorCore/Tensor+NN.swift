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

    /// `nn.functional.linear`: `x @ weight.T + bias` for a weight stored `[out, in]`, as checkpoints store it,
    /// plus `residual` (same shape as the result) when given: a block's `dense(x) + x` in one pass.
    /// The leading dimensions are flattened into one GEMM whose output starts as bias + residual (beta = 1).
    public func linear(weight: Tensor, bias: Tensor?, adding residual: Tensor? = nil) throws -> Tensor {
        guard let inputs = shape.last, weight.rank == 2, weight.shape[1] == inputs, dtype == .float32,
              weight.dtype == .float32, bias.map({ $0.shape == [weight.shape[0]] }) ?? true,
              residual.map({ $0.shape == Array(shape.dropLast()) + [weight.shape[0]] && $0.dtype == .float32 }) ?? true else {
            var y = try matmul(weight.transposed(0, 1))
            if let bias { y = try y.combined(.add, bias) }
            if let residual { y = try y.combined(.add, residual) }
            return y
        }
        let (rows, outputs) = (count / Swift.max(inputs, 1), weight.shape[0])
        let x = contiguous(), w = weight.contiguous()
        let out = Tensor(uninitialized: Array(shape.dropLast()) + [outputs])
        let y = out.storage.floats()
        let b = bias?.contiguous(), r = residual?.contiguous()
        let pb = b.map { $0.storage.floats($0.offset) }, pr = r.map { $0.storage.floats($0.offset) }
        parallelChunks(rows, grain: 256) { range in
            for row in range {
                let dst = y + row * outputs
                switch (pb, pr) {
                case let (pb?, pr?): for j in 0..<outputs { dst[j] = pb[j] + pr[row * outputs + j] }
                case let (pb?, nil): dst.update(from: pb, count: outputs)
                case let (nil, pr?): dst.update(from: pr + row * outputs, count: outputs)
                case (nil, nil): dst.update(repeating: 0, count: outputs)
                }
            }
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
}
