import TensorCore

/// An attention module that transformers runs with `torch.nn.functional.scaled_dot_product_attention`: asked for
/// `output_attentions`, it falls back to the eager path and logs a warning once.
protocol SdpaAttentionModule: Module {
    /// transformers' `logger.warning_once` on falling back to eager attention (see `sdpaFallbackWarning`).
    var eagerFallbackWarning: String { get }
}

/// The warning's text after its first sentence, which each modeling file words its own way.
func sdpaFallbackWarning(_ opening: String) -> String {
    opening + " Falling back to the manual attention implementation, but specifying the manual implementation will be required from Transformers version v5.0.0 onwards. This warning can be removed using the argument `attn_implementation=\"eager\"` when loading the model."
}

/// The first sentence BERT's, DistilBERT's and GPT-2's modeling files write: `subject` names the class (GPT-2
/// quotes it), `alsoUnsupported` lists what else SDPA does not support there.
func sdpaUnsupported(_ subject: String, alsoUnsupported: String = "") -> String {
    "\(subject) is used but `torch.nn.functional.scaled_dot_product_attention` does not support \(alsoUnsupported)`output_attentions=True` or `head_mask`."
}

/// Scaled dot-product attention over heads, shared by BERT and DistilBERT:
/// `softmax(q k^T / sqrt(head_dim), masked) v`, masked keys filled with float32's lowest value as transformers does.
enum Attention {
    /// `q`, `k`, `v`: `[batch, seq, dim]`; `mask`: `[batch, seq]` int64, 1 for tokens to attend to; `dropout`: the
    /// probability of dropping an attention weight (non-zero in training mode only). Returns the context
    /// `[batch, seq, dim]`.
    static func context(q: Tensor, k: Tensor, v: Tensor, mask: Tensor, heads: Int, dropout: Double = 0) throws -> Tensor {
        let (batch, seq, dim) = (q.shape[0], q.shape[1], q.shape[2])
        let (query, key, value) = (try split(q, heads), try split(k, heads), try split(v, heads))
        let context = dropout > 0
            ? try droppedOut(query: query, key: key, value: value, mask: mask, p: dropout)
            : try Tensor.scaledDotProductAttention(query: query, key: key, value: value, keyMask: mask,
                                                   scale: 1 / Float(dim / heads).squareRoot())
        return try context.permuted([0, 2, 1, 3]).reshaped([batch, seq, dim])   // heads merged back: no copy
    }

    /// torch's math attention, which `scaled_dot_product_attention` runs on the CPU when it has a dropout to apply
    /// (its fused kernels take none): `dropout(softmax((q * s) (k^T * s) + mask)) v`, `s` the square root of
    /// `1 / sqrt(head_dim)`, each step recorded for autograd as torch's composite records it.
    private static func droppedOut(query: Tensor, key: Tensor, value: Tensor, mask: Tensor, p: Double) throws -> Tensor {
        let s = Scalar.float((1 / Double(query.shape[3]).squareRoot()).squareRoot())
        let scores = try query.combined(.mul, s).contiguous().matmul(key.transposed(2, 3).combined(.mul, s).contiguous())
        let weights = try scores.combined(.add, additive(mask)).softmax(dim: -1).dropout(p: p)
        return try weights.matmul(value.contiguous())
    }

    /// The attention probabilities `[batch, heads, seq, seq]` that `context` weighs the values with, as transformers'
    /// eager attention returns them for `output_attentions=True`: `softmax(q k^T / sqrt(head_dim) + mask)`, the mask
    /// adding float32's lowest value at masked keys (whose probabilities are then 0). Computed only when asked for.
    static func probabilities(q: Tensor, k: Tensor, mask: Tensor, heads: Int) throws -> Tensor {
        try probabilities(query: split(q, heads), key: split(k, heads), mask: mask,
                          scale: 1 / Float(q.shape[2] / heads).squareRoot(), causal: false)
    }

    /// The same over heads already split, `query` `[batch, heads, n, head_dim]` against `key` `[batch, heads, m,
    /// head_dim]` (`mask` `[batch, m]`); `causal` (GPT-2), the n queries being the last of the m positions, first
    /// replaces the scores of later keys with float32's lowest value, as `torch.where(causal_mask, ...)` does.
    static func probabilities(query: Tensor, key: Tensor, mask: Tensor, scale: Float, causal: Bool) throws -> Tensor {
        let (n, m) = (query.shape[2], key.shape[2])
        let lowest = -Float.greatestFiniteMagnitude
        var scores = try query.contiguous().matmul(key.transposed(2, 3).contiguous()).combined(.mul, .float(Double(scale)))
        if causal {
            let allowed = Tensor(bools: (0..<n * m).map { $0 % m <= m - n + $0 / m }, shape: [1, 1, n, m])
            scores = try Tensor.selecting(allowed, scores, Tensor(floats: [lowest], shape: []))
        }
        return try scores.combined(.add, additive(mask)).softmax(dim: -1)
    }

    /// `mask` `[batch, m]` as the `[batch, 1, 1, m]` float32 mask transformers adds to the scores: 0 where a key is
    /// attended to, float32's lowest value where it is masked.
    private static func additive(_ mask: Tensor) -> Tensor {
        let lowest = -Float.greatestFiniteMagnitude
        return Tensor(floats: mask.int64s().map { $0 == 0 ? lowest : 0 }, shape: [mask.shape[0], 1, 1, mask.shape[1]])
    }

    /// `[batch, seq, dim]` -> `[batch, heads, seq, head_dim]` (views, no copies).
    private static func split(_ x: Tensor, _ heads: Int) throws -> Tensor {
        let (batch, seq, dim) = (x.shape[0], x.shape[1], x.shape[2])
        return try x.reshaped([batch, seq, heads, dim / heads]).permuted([0, 2, 1, 3])
    }
}
