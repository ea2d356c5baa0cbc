import TensorCore

/// The losses transformers' heads compute when given labels (`model(**batch, labels=labels).loss`), forward only:
/// sbpl does not train, so `loss.backward()` says so.
enum Losses {
    /// A sequence classifier's loss: cross-entropy of `[batch, num_labels]` logits against int64 labels `[batch]`
    /// (transformers' `single_label_classification`).
    static func classification(_ logits: Tensor, _ labels: Tensor?, problemType: String?) throws -> Tensor? {
        guard let labels else { return nil }
        let classes = logits.shape.last ?? 0
        guard classes > 1, labels.dtype == .int64, problemType == nil || problemType == "single_label_classification" else {
            throw ModelError("sbpl computes the loss of single-label classification (num_labels > 1, integer labels); this model's is \(problemType ?? (classes == 1 ? "regression" : "multi_label_classification")), which it does not compute yet")
        }
        return try logits.reshaped([-1, classes]).crossEntropy(labels.reshaped([-1]))
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
