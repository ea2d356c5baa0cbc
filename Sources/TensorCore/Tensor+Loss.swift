import Foundation

extension Tensor {
    /// `F.cross_entropy(logits, targets, ignore_index=...)` with mean reduction: logits `[N, C]`, int64 targets
    /// `[N]`; the mean of `-log_softmax(logits)[n, target[n]]` over the targets that are not `ignoreIndex` (nan when
    /// all are). Recorded as PyTorch records it, `NllLossBackward0` (after log_softmax).
    public func crossEntropy(_ targets: Tensor, ignoreIndex: Int = -100) throws -> Tensor {
        guard rank == 2, dtype == .float32 else { throw TensorError("cross_entropy expects float logits of shape [N, C], got \(TensorShape(shape))") }
        guard targets.rank == 1, targets.shape[0] == shape[0] else {
            throw TensorError("Expected input batch_size (\(shape[0])) to match target batch_size (\(targets.rank == 1 ? targets.shape[0] : targets.count)).", kind: .valueError)
        }
        guard targets.dtype == .int64 else { throw TensorError("expected scalar type Long but found Float") }
        let classes = shape[1], logits = contiguous().floats(), labels = targets.int64s()
        var total: Double = 0, counted = 0
        for (n, label) in labels.enumerated() where label != Int64(ignoreIndex) {
            guard label >= 0 && label < Int64(classes) else {
                throw TensorError("Target \(label) is out of bounds: the logits have \(classes) classes")
            }
            let row = logits[n * classes..<(n + 1) * classes]
            let m = row.max() ?? 0
            let logSum = logf(row.reduce(Float(0)) { $0 + expf($1 - m) }) + m
            total += Double(logSum - row[n * classes + Int(label)])
            counted += 1
        }
        let loss = Float(counted == 0 ? .nan : total / Double(counted))
        return Tensor(floats: [loss], shape: []).recorded(.nllLoss, from: self)
    }
}
