import TensorCore

/// Scaled dot-product attention over heads, shared by BERT and DistilBERT:
/// `softmax(q k^T / sqrt(head_dim), masked) v`, masked keys filled with float32's lowest value as transformers does.
enum Attention {
    /// `q`, `k`, `v`: `[batch, seq, dim]`; `mask`: `[batch, seq]` int64, 1 for tokens to attend to.
    /// Returns the context `[batch, seq, dim]`.
    static func context(q: Tensor, k: Tensor, v: Tensor, mask: Tensor, heads: Int) throws -> Tensor {
        let (batch, seq, dim) = (q.shape[0], q.shape[1], q.shape[2])
        let headDim = dim / heads
        // [batch, seq, dim] -> [batch, heads, seq, head_dim] (views, no copies)
        func split(_ x: Tensor) throws -> Tensor { try x.reshaped([batch, seq, heads, headDim]).permuted([0, 2, 1, 3]) }
        let context = try Tensor.scaledDotProductAttention(query: split(q), key: split(k), value: split(v),
                                                           keyMask: mask, scale: 1 / Float(headDim).squareRoot())
        return try context.permuted([0, 2, 1, 3]).reshaped([batch, seq, dim])   // heads merged back: no copy
    }
}
