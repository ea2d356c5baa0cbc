import Synchronization
import TensorCore

/// The losses transformers' heads compute when given labels (`model(**batch, labels=labels).loss`), forward only:
/// sbpl does not train, so `loss.backward()` says so.
enum Losses {
    /// A sequence classifier's loss for its `problem_type`, or the one transformers infers: `regression` (one
    /// label: mean squared error), `single_label_classification` (integer labels: cross-entropy of `[batch,
    /// num_labels]` logits against `[batch]` labels), else `multi_label_classification` (binary cross-entropy with
    /// logits against float labels of the logits' shape).
    static func classification(_ logits: Tensor, _ labels: Tensor?, problemType: ProblemType) throws -> Tensor? {
        guard let labels else { return nil }
        let classes = logits.shape.last ?? 0
        switch problemType.resolved(classes: classes, labels: labels) {
        case "regression":
            return classes == 1 ? try logits.squeezed().mseLoss(labels.squeezed()) : try logits.mseLoss(labels)
        case "single_label_classification":
            return try logits.reshaped([-1, classes]).crossEntropy(labels.reshaped([-1]))
        case "multi_label_classification":
            return try logits.binaryCrossEntropyWithLogits(labels)
        case let other:
            throw ModelError("problem_type '\(other)' is not one of 'regression', 'single_label_classification', 'multi_label_classification'")
        }
    }

    /// A label per token (token classification, masked LM): cross-entropy of `[batch, seq, classes]` logits against
    /// `[batch, seq]` labels, -100 ignored.
    static func perToken(_ logits: Tensor, _ labels: Tensor?) throws -> Tensor? {
        guard let labels else { return nil }
        return try logits.reshaped([-1, logits.shape.last ?? 0]).crossEntropy(labels.reshaped([-1]))
    }

    /// A causal language model's loss: each position's logits predict the next token's label, so the last
    /// position's logits and the first label are dropped (`shift_logits`, `shift_labels`), -100 ignored.
    static func nextToken(_ logits: Tensor, _ labels: Tensor?) throws -> Tensor? {
        guard let labels else { return nil }
        let shifted = try logits.view(at: [.all, .slice(start: nil, stop: -1, step: nil), .all]).contiguous()
        let next = try labels.view(at: [.all, .slice(start: 1, stop: nil, step: nil)]).contiguous()
        return try perToken(shifted, next)
    }

    /// Question answering's loss: the mean of the start and end positions' cross-entropies, positions past the
    /// sequence clamped to its length and ignored.
    static func spans(_ start: Tensor, _ end: Tensor, _ startPositions: Tensor?, _ endPositions: Tensor?) throws -> Tensor? {
        guard let startPositions, let endPositions else { return nil }
        let ignored = start.shape.last ?? 0
        func clamped(_ positions: Tensor) throws -> Tensor {
            Tensor(ints: try positions.reshaped([-1]).int64s().map { Swift.min(Swift.max($0, 0), Int64(ignored)) }, shape: [positions.count])
        }
        let startLoss = try start.crossEntropy(clamped(startPositions), ignoreIndex: ignored)
        let endLoss = try end.crossEntropy(clamped(endPositions), ignoreIndex: ignored)
        return try startLoss.combined(.add, endLoss).combined(.div, .int(2))
    }
}

/// A sequence classifier's `config.problem_type`: as config.json gives it, or inferred from the first labels it is
/// given and kept for the calls after, as transformers sets the config's.
final class ProblemType: Sendable {
    private let name: Mutex<String?>

    init(_ name: String?) { self.name = Mutex(name) }

    /// The problem type, inferred now when it is not set: one label is `regression`, integer labels
    /// `single_label_classification`, others `multi_label_classification`.
    func resolved(classes: Int, labels: Tensor) -> String {
        name.withLock { name in
            let integers = labels.dtype == .int64 || labels.dtype == .int32
            let resolved = name ?? (classes == 1 ? "regression" : integers ? "single_label_classification" : "multi_label_classification")
            name = resolved
            return resolved
        }
    }
}
