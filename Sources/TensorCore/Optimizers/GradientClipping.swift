/// `torch.nn.utils.clip_grad_norm_`: the gradients of a model scaled down together when their norm is too large.
public enum GradientClipping {
    /// The 2-norm of every gradient together (each gradient's norm, then the norm of those) and every gradient
    /// multiplied by `max_norm / (norm + 1e-6)` clamped to at most 1, in float32 as torch computes it (its
    /// `max_norm / t` is `t.reciprocal() * max_norm`). Returns the total norm; 0 when no parameter has a gradient.
    public static func clipNorm(of parameters: [Tensor], maxNorm: Double) throws -> Tensor {
        let gradients = parameters.compactMap(\.grad)
        guard !gradients.isEmpty else { return Tensor(floats: [0], shape: []) }
        let total = try Tensor.stacked(try gradients.map { try $0.detached().norm() }, dim: 0).norm()
        let coefficient = Swift.min(1 / (total.floats()[0] + Float(1e-6)) * Float(maxNorm), 1)
        for gradient in gradients { _ = try gradient.updatedInPlace(with: try gradient.combined(.mul, .float(Double(coefficient)))) }
        return total
    }
}
