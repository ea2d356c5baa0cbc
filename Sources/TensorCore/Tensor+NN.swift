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
