import Foundation

extension Tensor {
    /// `nn.functional.layer_norm` over the last dimension: `(x - mean) / sqrt(var + eps) * weight + bias`,
    /// with the biased variance, as torch computes it.
    public func layerNorm(weight: Tensor, bias: Tensor, eps: Float) throws -> Tensor {
        guard let n = shape.last, weight.shape == [n], bias.shape == [n] else {
            throw TensorError("layer_norm: weight and bias must have shape [\(shape.last ?? 0)], got \(pythonList(weight.shape)) and \(pythonList(bias.shape))")
        }
        let x = to(.float32).contiguous()
        let out = Tensor(zeros: shape)
        let w = weight.contiguous(), b = bias.contiguous()
        let pw = w.storage.floats(w.offset), pb = b.storage.floats(b.offset)
        let src = x.storage.floats(x.offset), dst = out.storage.floats()
        for row in 0..<(n == 0 ? 0 : count / n) {
            let p = src + row * n, q = dst + row * n
            var mean: Float = 0
            for i in 0..<n { mean += p[i] }
            mean /= Float(n)
            var variance: Float = 0
            for i in 0..<n { let d = p[i] - mean; variance += d * d }
            variance /= Float(n)
            let inv = 1 / (variance + eps).squareRoot()
            for i in 0..<n { q[i] = (p[i] - mean) * inv * pw[i] + pb[i] }
        }
        return out
    }

    /// `nn.functional.linear`: `x @ weight.T + bias` for a weight stored `[out, in]`, as checkpoints store it.
    public func linear(weight: Tensor, bias: Tensor?) throws -> Tensor {
        var y = try matmul(weight.transposed(0, 1))
        if let bias { y = try y.addingInPlace(bias) }
        return y
    }

    /// Adds `row` (shape `[n]`) to every row, writing into this tensor's storage: only for a fresh result
    /// that nothing else views.
    private func addingInPlace(_ row: Tensor) throws -> Tensor {
        guard let n = shape.last, n > 0, row.shape == [n], dtype == .float32, isContiguous else {
            return try combined(.add, row)
        }
        let r = row.contiguous()
        let pr = r.storage.floats(r.offset), p = storage.floats(offset)
        for start in stride(from: 0, to: count, by: n) {
            for i in 0..<n { p[start + i] += pr[i] }
        }
        return self
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
        let out = Tensor(zeros: shape)
        let src = source.storage.floats(source.offset), dst = out.storage.floats()
        for b in 0..<batch {
            let keep = mask[(b * keys)..<((b + 1) * keys)].map { $0 != 0 }
            for r in 0..<rowsPerBatch {
                let p = src + (b * rowsPerBatch + r) * keys, q = dst + (b * rowsPerBatch + r) * keys
                var m = -Float.greatestFiniteMagnitude
                for j in 0..<keys {
                    q[j] = keep[j] ? p[j] * scale : -Float.greatestFiniteMagnitude
                    m = Swift.max(m, q[j])
                }
                var total: Float = 0
                for j in 0..<keys { q[j] = expf(q[j] - m); total += q[j] }
                let inverse = 1 / total
                for j in 0..<keys { q[j] *= inverse }
            }
        }
        return out
    }
}
