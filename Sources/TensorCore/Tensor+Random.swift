import Foundation

extension Tensor {
    /// `torch.bernoulli(p)`: for each probability of this tensor, 1 with that probability, else 0, of its type
    /// (torch's draws: one uniform float per float32 element, one uniform double per float64 one).
    public func bernoulli() throws -> Tensor {
        guard dtype.isFloatingPoint else {
            throw TensorError("\"bernoulli_tensor_cpu_p_\" not implemented for '\(dtype.scalarTypeName)'", kind: .notImplementedError)
        }
        let probabilities = doubles()
        guard probabilities.allSatisfy({ $0 >= 0 && $0 <= 1 }) else {
            throw TensorError("Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could this error message be improved?  If so, please report an enhancement request to PyTorch.)")
        }
        // float32 (and float16) probabilities widen to doubles exactly: rounding back gives them again
        let draws = dtype == .float64 ? RandomGenerator.bernoulli(probabilities: probabilities)
                                      : RandomGenerator.bernoulli(probabilities: probabilities.map { Float($0) })
        return Tensor(floats: draws.map { $0 ? 1 : 0 }, shape: shape).to(dtype)
    }

    /// `x.uniform_(low, high)`: every element a fresh uniform draw in [low, high), as torch draws float32 ones.
    public func fillUniform(from low: Double, to high: Double) throws {
        try checkWritable(throughView: false)
        guard dtype == .float32 else { throw TensorError("sbpl draws uniform_ into float32 tensors only", kind: .notImplementedError) }
        guard low <= high else {
            throw TensorError("uniform_ expects to return a [from, to) range, but found from=\(String(format: "%g", low)) > to=\(String(format: "%g", high))")
        }
        try copyIn(Tensor(floats: RandomGenerator.uniform(count, from: Float(low), to: Float(high)), shape: shape))
    }

    /// `x.normal_(mean, std)`: every element a fresh normal draw, as torch draws float32 ones.
    public func fillNormal(mean: Double, std: Double) throws {
        try checkWritable(throughView: false)
        guard dtype == .float32 else { throw TensorError("sbpl draws normal_ into float32 tensors only", kind: .notImplementedError) }
        guard std >= 0 else { throw TensorError("normal expects std >= 0.0, but found std \(String(format: "%g", std))") }
        try copyIn(Tensor(floats: RandomGenerator.normal(count, mean: mean, std: std), shape: shape))
    }
}
