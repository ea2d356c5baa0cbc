import Foundation

extension Tensor {
    /// `F.cross_entropy(logits, targets, ignore_index=..., reduction=...)`: logits `[N, C]`, int64 targets `[N]`;
    /// each target's `-log_softmax(logits)[n, target[n]]`, 0 where the target is `ignoreIndex`; the mean is over the
    /// targets not ignored (nan when all are). Recorded as PyTorch records it, `NllLossBackward0` (after log_softmax).
    public func crossEntropy(_ targets: Tensor, ignoreIndex: Int = -100, reduction: LossReduction = .mean) throws -> Tensor {
        let (loss, labels, counted) = try classLoss("cross_entropy", targets, ignoreIndex: ignoreIndex, reduction: reduction) { row, label in
            let m = row.max() ?? 0
            return logf(row.reduce(Float(0)) { $0 + expf($1 - m) }) + m - row[row.startIndex + label]
        }
        return loss.recorded(.nllLoss, from: self, derivative: .crossEntropy(self, targets: labels, ignoreIndex: ignoreIndex,
                                                                            reduction: reduction, counted: counted))
    }

    /// `F.nll_loss(log_probabilities, targets, ignore_index=..., reduction=...)`: each target's
    /// `-log_probabilities[n, target[n]]`, reduced as `crossEntropy` (`NllLossBackward0`).
    public func nllLoss(_ targets: Tensor, ignoreIndex: Int = -100, reduction: LossReduction = .mean) throws -> Tensor {
        let (loss, labels, counted) = try classLoss("nll_loss", targets, ignoreIndex: ignoreIndex, reduction: reduction) { row, label in
            -row[row.startIndex + label]
        }
        return loss.recorded(.nllLoss, from: self, derivative: .nllLoss(self, targets: labels, ignoreIndex: ignoreIndex,
                                                                       reduction: reduction, counted: counted))
    }

    /// A loss over the rows of `[N, C]` float scores (float32, float16 or bfloat16, the loss in their type) with one
    /// int64 class per row, checked as torch checks them:
    /// each row's `term(row, class)`, 0 where the class is `ignoreIndex`, reduced; with the classes and how many
    /// rows counted.
    private func classLoss(_ name: String, _ targets: Tensor, ignoreIndex: Int, reduction: LossReduction,
                           term: (ArraySlice<Float>, Int) -> Float) throws -> (loss: Tensor, labels: [Int64], counted: Int) {
        guard rank == 2, dtype == .float32 || dtype.isReduced else { throw TensorError("\(name) expects float scores of shape [N, C], got \(TensorShape(shape))") }
        guard targets.rank == 1, targets.shape[0] == shape[0] else {
            throw TensorError("Expected input batch_size (\(shape[0])) to match target batch_size (\(targets.rank == 1 ? targets.shape[0] : targets.count)).", kind: .valueError)
        }
        guard targets.dtype == .int64 else { throw TensorError("expected scalar type Long but found Float") }
        let classes = shape[1], scores = contiguous().floats(), labels = targets.int64s()
        var terms = [Float](repeating: 0, count: labels.count), counted = 0
        for (n, label) in labels.enumerated() where label != Int64(ignoreIndex) {
            guard label >= 0 && label < Int64(classes) else {
                throw TensorError("Target \(label) is out of bounds.", kind: .indexError)
            }
            terms[n] = term(scores[n * classes..<(n + 1) * classes], Int(label))
            counted += 1
        }
        if dtype.isReduced { terms = terms.map(dtype.rounded) }  // torch's log_softmax rounds
        let total = terms.reduce(0.0) { $0 + Double($1) }
        let loss: Tensor
        switch reduction {
        case .mean: loss = Tensor(floats: [Float(counted == 0 ? .nan : total / Double(counted))], shape: [])
        case .sum: loss = Tensor(floats: [Float(total)], shape: [])
        case .none: loss = Tensor(floats: terms, shape: [labels.count])
        }
        return (loss.to(dtype), labels, counted)  // float16 and bfloat16 scores: computed in float32, rounded
    }

    /// `F.mse_loss(input, target)`: the squared differences, reduced (target broadcast to the input's shape).
    public func mseLoss(_ target: Tensor, reduction: LossReduction = .mean) throws -> Tensor {
        let difference = try combined(.sub, target).detached()
        return try reduction.apply(try difference.combined(.mul, difference))
            .recorded(.mseLoss, from: self, target, derivative: .mseLoss(self, target, reduction: reduction))
    }

    /// `F.binary_cross_entropy(input, target)`: `-(y log x + (1 - y) log(1 - x))` with each log at least -100, as
    /// torch clamps them; the input must be probabilities.
    public func binaryCrossEntropy(_ target: Tensor, reduction: LossReduction = .mean) throws -> Tensor {
        guard shape == target.shape else {
            throw TensorError("Using a target size (\(TensorShape(target.shape))) that is different to the input size (\(TensorShape(shape))) is deprecated. Please ensure they have the same size.", kind: .valueError)
        }
        let (x, y) = (floats(), target.floats())
        guard x.allSatisfy({ $0 >= 0 && $0 <= 1 }) else { throw TensorError("all elements of input should be between 0 and 1") }
        let terms = zip(x, y).map { x, y in -(y * Swift.max(logf(x), -100) + (1 - y) * Swift.max(logf(1 - x), -100)) }
        return try reduction.apply(Tensor(floats: terms, shape: shape))
            .recorded(.binaryCrossEntropy, from: self, target, derivative: .binaryCrossEntropy(self, target, reduction: reduction))
    }

    /// `F.binary_cross_entropy_with_logits(input, target)`: binary cross-entropy of `sigmoid(input)`, computed
    /// stably as `(1 - y) x + log(1 + exp(-x))` in torch's form.
    public func binaryCrossEntropyWithLogits(_ target: Tensor, reduction: LossReduction = .mean) throws -> Tensor {
        guard shape == target.shape else {
            throw TensorError("Target size (\(TensorShape(target.shape))) must be the same as input size (\(TensorShape(shape)))", kind: .valueError)
        }
        let terms = zip(floats(), target.floats()).map { x, y in (1 - y) * x + (log1pf(expf(-Swift.abs(x))) + Swift.max(-x, 0)) }
        return try reduction.apply(Tensor(floats: terms, shape: shape))
            .recorded(.binaryCrossEntropyWithLogits, from: self, target, derivative: .binaryCrossEntropyWithLogits(self, target, reduction: reduction))
    }
}

/// How a loss combines its per-element terms: torch's `reduction=` of `'mean'`, `'sum'` or `'none'`.
public enum LossReduction: String, Sendable {
    case mean, sum, none

    func apply(_ terms: Tensor) throws -> Tensor {
        switch self {
        case .mean: try terms.mean()
        case .sum: try terms.sum()
        case .none: terms
        }
    }
}
