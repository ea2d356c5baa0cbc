import TensorCore

/// `nn.Linear`: `y = x W^T + b`, the weight stored `[out, in]` as in the checkpoint.
struct Linear {
    let weight: Tensor
    let bias: Tensor

    init(_ scope: WeightScope, in inputs: Int, out outputs: Int) throws {
        weight = try scope.tensor("weight", [outputs, inputs])
        bias = try scope.tensor("bias", [outputs])
    }

    func callAsFunction(_ x: Tensor) throws -> Tensor { try x.linear(weight: weight, bias: bias) }

    /// `activation(linear(x))`, GELU fused with the bias into one pass after the GEMM.
    func callAsFunction(_ x: Tensor, then activation: Activation) throws -> Tensor {
        activation == .gelu ? try x.linearGELU(weight: weight, bias: bias) : try callAsFunction(x).relu()
    }

    /// `linear(x) + residual`, the residual added in the same pass.
    func callAsFunction(_ x: Tensor, adding residual: Tensor) throws -> Tensor {
        try x.linear(weight: weight, bias: bias, adding: residual)
    }
}

/// `nn.LayerNorm` over the last dimension.
struct LayerNorm {
    let weight: Tensor
    let bias: Tensor
    let eps: Float

    init(_ scope: WeightScope, dim: Int, eps: Double) throws {
        weight = try scope.tensor("weight", [dim])
        bias = try scope.tensor("bias", [dim])
        self.eps = Float(eps)
    }

    func callAsFunction(_ x: Tensor) throws -> Tensor { try x.layerNorm(weight: weight, bias: bias, eps: eps) }
}

/// `nn.Embedding`: rows of a table looked up by id.
struct Embedding {
    let weight: Tensor

    init(_ scope: WeightScope, count: Int, dim: Int) throws {
        weight = try scope.tensor("weight", [count, dim])
    }

    /// `[batch, seq]` ids -> `[batch, seq, dim]`.
    func callAsFunction(_ ids: Tensor) throws -> Tensor { try weight.gatherRows(ids) }
}
