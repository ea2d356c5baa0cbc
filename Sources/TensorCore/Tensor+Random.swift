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

    /// `torch.multinomial(p, n)`: for each row of probabilities (this 1-D or 2-D tensor, not necessarily summing to
    /// 1), `n` indices drawn without replacement as torch draws them on the CPU: an exponential draw `q` per element
    /// (all rows' in order), then the `n` largest `p / q`, largest first. With replacement only one sample per row,
    /// which torch draws the same way.
    public func multinomial(_ samples: Int, replacement: Bool) throws -> Tensor {
        guard rank == 1 || rank == 2 else { throw TensorError("prob_dist must be 1 or 2 dim") }
        guard dtype.isFloatingPoint else { throw TensorError("multinomial only supports floating-point dtypes for input, got: \(dtype.scalarTypeName)") }
        let width = shape[rank - 1], rows = rank == 2 ? shape[0] : 1
        guard samples > 0 else { throw TensorError("cannot sample n_sample <= 0 samples") }
        guard replacement || samples <= width else { throw TensorError("cannot sample n_sample > prob_dist.size(-1) samples without replacement") }
        guard !replacement || samples == 1 else {
            throw TensorError("sbpl draws multinomial with replacement one sample at a time (num_samples=1)", kind: .notImplementedError)
        }
        let p = to(.float32).contiguous().floats()
        guard p.allSatisfy({ $0.isFinite && $0 >= 0 }) else { throw TensorError("probability tensor contains either `inf`, `nan` or element < 0") }
        for r in 0..<rows where p[(r * width)..<((r + 1) * width)].reduce(0, +) <= 0 {
            throw TensorError("invalid multinomial distribution (sum of probabilities <= 0)")
        }
        let q = RandomGenerator.exponential(p.count)
        var out = [Int64]()
        for r in 0..<rows {
            let values = (0..<width).map { p[r * width + $0] / q[r * width + $0] }
            // the largest first; of equal values the first
            out += values.indices.sorted { values[$0] > values[$1] || (values[$0] == values[$1] && $0 < $1) }.prefix(samples).map { Int64($0) }
        }
        return Tensor(ints: out, shape: rank == 2 ? [rows, samples] : [samples])
    }
}
