import PythonText
import TensorCore

/// `torch.nn.Linear(4, 2)`, `nn.Embedding`, `nn.LayerNorm` and `nn.Dropout` made on their own, their parameters
/// initialised as torch's `reset_parameters` does from its CPU generator (so the same numbers for a seed).
public enum FreshLayer {
    /// `nn.Linear(in_features, out_features, bias)`: weight and bias uniform in ±1/sqrt(in_features), as
    /// `kaiming_uniform_(a=sqrt(5))` and the bias' own bound give them.
    public static func linear(inFeatures: Int, outFeatures: Int, bias: Bool) throws -> any TensorModule {
        try Tensor.checkAllocation([outFeatures, inFeatures])
        let gain = (2.0 / (1.0 + 5.0)).squareRoot(), fanIn = Double(inFeatures)
        let weightBound = inFeatures == 0 ? 0 : Float(3.0.squareRoot() * (gain / fanIn.squareRoot()))
        let weight = try Tensor(floats: RandomGenerator.uniform(outFeatures * inFeatures, from: -weightBound, to: weightBound),
                                shape: [outFeatures, inFeatures]).asParameter()
        guard bias else { return Linear(weight: weight, bias: nil) }
        let biasBound = inFeatures == 0 ? 0 : Float(1 / fanIn.squareRoot())
        return Linear(weight: weight, bias: try Tensor(floats: RandomGenerator.uniform(outFeatures, from: -biasBound, to: biasBound),
                                                       shape: [outFeatures]).asParameter())
    }

    /// `nn.Embedding(num_embeddings, embedding_dim, padding_idx)`: rows standard normal, the padding row zero.
    public static func embedding(count: Int, dim: Int, paddingIdx: Int?) throws -> any TensorModule {
        try Tensor.checkAllocation([count, dim])
        let padding = try paddingIdx.map { index -> Int in
            guard (-count..<count).contains(index) else { throw TensorError("Padding_idx must be within num_embeddings", kind: .assertionError) }
            return index < 0 ? index + count : index
        }
        var rows = RandomGenerator.normal(count * dim)
        if let padding { for i in 0..<dim { rows[padding * dim + i] = 0 } }
        return Embedding(weight: try Tensor(floats: rows, shape: [count, dim]).asParameter(), paddingIdx: padding)
    }

    /// `nn.LayerNorm(normalized_shape, eps)`: weight ones, bias zeros.
    public static func layerNorm(dim: Int, eps: Double) throws -> any TensorModule {
        try Tensor.checkAllocation([dim])
        return LayerNorm(weight: try Tensor(floats: [Float](repeating: 1, count: dim), shape: [dim]).asParameter(),
                         bias: try Tensor(zeros: [dim]).asParameter(), eps: eps)
    }

    /// `nn.Dropout(p)`: in training mode it zeroes elements as torch does (`Tensor.dropout`), in eval mode it passes
    /// its input through.
    public static func dropout(p: Double) throws -> any TensorModule {
        try Tensor.checkDropout(p)
        return Dropout(p)
    }
}
