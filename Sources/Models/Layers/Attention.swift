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

/// Scaled dot-product attention over heads, as the SDPA attention modules run it (BERT's, DistilBERT's, GPT-2's, and
/// BART's and Marian's unfused path in training mode): `softmax(q k^T / sqrt(head_dim), masked) v`, masked keys
/// filled with the lowest value of their type as transformers does.
enum Attention {
    /// `q`, `k`, `v`: `[batch, seq, dim]`; `mask`: `[batch, seq]` int64, 1 for tokens to attend to. Returns the
    /// context `[batch, seq, dim]` (see `attend`).
    static func context(q: Tensor, k: Tensor, v: Tensor, mask: Tensor, heads: Int, dropout: Double, weightsDropout: Dropout,
                        recording: LayerOutputs?) throws -> Tensor {
        let (batch, seq, dim) = (q.shape[0], q.shape[1], q.shape[2])
        let context = try attend(query: split(q, heads), key: split(k, heads), value: split(v, heads), mask: mask,
                                 scale: 1 / Float(dim / heads).squareRoot(), causal: false, dropout: dropout,
                                 weightsDropout: weightsDropout, recording: recording)
        return try context.permuted([0, 2, 1, 3]).reshaped([batch, seq, dim])   // heads merged back: no copy
    }

    /// An attention module's context over heads already split (`[batch, heads, n, head_dim]`), as transformers
    /// computes it: fused (SDPA), or, given a `dropout` (non-zero in training mode only) or for eager attention in
    /// float16 or bfloat16, unfused as `scaling` says;
    /// or, when `recording` wants the attentions of a module with a `weightsDropout` layer, on the eager path
    /// (`eager`), whose weights that layer drops and `recording` keeps.
    static func attend(query: Tensor, key: Tensor, value: Tensor, mask: Tensor, scale: Float, causal: Bool, dropout: Double,
                       scaling: Scaling = .sdpa, weightsDropout: Dropout? = nil, recording: LayerOutputs? = nil) throws -> Tensor {
        if let recording, recording.wantsAttentions, let weightsDropout {
            let eager = try eager(query: query, key: key, value: value, mask: mask, scale: scale, causal: causal, dropout: weightsDropout)
            recording.record { eager.weights }
            return eager.context
        }
        // transformers' eager attention in float16 or bfloat16 rounds each of its steps: run them one by one
        if dropout > 0 || (scaling == .eager && query.dtype.isReduced) {
            return try droppingOut(query: query, key: key, value: value, mask: mask, causal: causal, scaling: scaling, p: dropout)
        }
        return try Tensor.scaledDotProductAttention(query: query, key: key, value: value, keyMask: mask, scale: scale, causal: causal)
    }

    /// The eager attention transformers falls back to for `output_attentions=True`, over heads already split: the
    /// probabilities (`probabilities`), dropped by the attention's own `dropout` layer (in training mode), weigh the
    /// values. Returns the context `[batch, heads, n, head_dim]` and the weights, which the layer returns as its
    /// attentions.
    private static func eager(query: Tensor, key: Tensor, value: Tensor, mask: Tensor, scale: Float, causal: Bool,
                              dropout: Dropout) throws -> (context: Tensor, weights: Tensor) {
        let weights = try dropout(probabilities(query: query, key: key, mask: mask, scale: scale, causal: causal))
        return (try weights.matmul(value.contiguous()), weights)
    }

    /// Where an unfused attention applies its scale `1 / sqrt(head_dim)`.
    enum Scaling {
        /// torch's math attention (`scaled_dot_product_attention` with a dropout): its square root on both the
        /// queries and the keys.
        case sdpa
        /// transformers' eager attention: on the queries (`q_proj(x) * self.scaling`).
        case eager
    }

    /// The attention an unfused path computes in training mode, over heads already split (`query` `[batch, heads, n,
    /// head_dim]`, `key` and `value` `[batch, heads, m, head_dim]`, `mask` `[batch, m]`; `causal`: the n queries are
    /// the last of the m positions): `dropout(softmax(scaled q k^T + bias), p) v`, each step recorded for autograd as
    /// torch records it. `scaling` says which: torch's math attention, which `scaled_dot_product_attention` runs on
    /// the CPU when it has a dropout to apply (its fused kernels take none), or transformers' eager one.
    private static func droppingOut(query: Tensor, key: Tensor, value: Tensor, mask: Tensor, causal: Bool, scaling: Scaling,
                                    p: Double) throws -> Tensor {
        let scale = 1 / Double(query.shape[3]).squareRoot()
        let scores: Tensor
        switch scaling {
        case .sdpa:
            let s = Scalar.float(scale.squareRoot())
            scores = try query.combined(.mul, s).contiguous().matmul(key.transposed(2, 3).combined(.mul, s).contiguous())
        case .eager:
            scores = try query.combined(.mul, .float(scale)).contiguous().matmul(key.transposed(2, 3).contiguous())
        }
        let weights = try scores.combined(.add, bias(mask, queries: causal ? query.shape[2] : 1, causal: causal, dtype: scores.dtype))
            .softmax(dim: -1).dropout(p: p)
        return try weights.matmul(value.contiguous())
    }

    /// The attention probabilities `[batch, heads, n, m]` of transformers' eager attention, over heads already split
    /// (`query` `[batch, heads, n, head_dim]` against `key` `[batch, heads, m, head_dim]`, `mask` `[batch, m]`):
    /// `softmax(q k^T * scale + mask)`, the mask adding the lowest value of their type at masked keys (whose probabilities are
    /// then 0); `causal` (GPT-2), the n queries being the last of the m positions, first replaces the scores of later
    /// keys with that lowest value, as `torch.where(causal_mask, ...)` does.
    static func probabilities(query: Tensor, key: Tensor, mask: Tensor, scale: Float, causal: Bool) throws -> Tensor {
        let (n, m) = (query.shape[2], key.shape[2])
        var scores = try query.contiguous().matmul(key.transposed(2, 3).contiguous()).combined(.mul, .float(Double(scale)))
        if causal {
            let allowed = Tensor(bools: (0..<n * m).map { $0 % m <= m - n + $0 / m }, shape: [1, 1, n, m])
            scores = try Tensor.selecting(allowed, scores, Tensor(floats: [scores.dtype.lowestFinite], shape: []).to(scores.dtype))
        }
        return try scores.combined(.add, bias(mask, queries: 1, causal: false, dtype: scores.dtype)).softmax(dim: -1)
    }

    /// What transformers adds to the scores for `mask` `[batch, keys]`: the lowest value of `dtype`, once, at the keys a
    /// query must not see (masked ones and, with `causal`, those after it, the queries being the last of the keys),
    /// else 0: `[batch, 1, queries, keys]` (a query that may see no key then weighs every key alike, as torch's does).
    static func bias(_ mask: Tensor, queries: Int, causal: Bool, dtype: DType = .float32) -> Tensor {
        let (batch, keys) = (mask.shape[0], mask.shape[1])
        let keep = mask.int64s(), lowest = dtype.lowestFinite
        var values = [Float](repeating: 0, count: batch * queries * keys)
        for b in 0..<batch {
            for i in 0..<queries {
                for j in 0..<keys where keep[b * keys + j] == 0 || (causal && j > keys - queries + i) {
                    values[(b * queries + i) * keys + j] = lowest
                }
            }
        }
        return Tensor(floats: values, shape: [batch, 1, queries, keys]).to(dtype)
    }

    /// `[batch, seq, dim]` -> `[batch, heads, seq, head_dim]` (views, no copies).
    private static func split(_ x: Tensor, _ heads: Int) throws -> Tensor {
        let (batch, seq, dim) = (x.shape[0], x.shape[1], x.shape[2])
        return try x.reshaped([batch, seq, heads, dim / heads]).permuted([0, 2, 1, 3])
    }
}
