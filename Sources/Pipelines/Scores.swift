import Foundation

/// Scores as the pipelines compute them from logits, in float32.
enum Scores {
    /// `softmax` of one row: `exp(x - max) / sum`.
    static func softmax(_ logits: [Float]) -> [Float] {
        guard let m = logits.max() else { return [] }
        let e = logits.map { expf($0 - m) }
        let total = e.reduce(0, +)
        return e.map { $0 / total }
    }

    /// `1 / (1 + exp(-x))` of each.
    static func sigmoid(_ logits: [Float]) -> [Float] { logits.map { 1 / (1 + expf(-$0)) } }

    /// The index of the largest score, the first among equals (numpy's `argmax`).
    static func argmax(_ scores: [Float]) -> Int { scores.indices.max { scores[$0] < scores[$1] || scores[$0] == scores[$1] && $0 > $1 } ?? 0 }

    /// The indices of the `k` largest scores, largest first (the earlier index first among equals), as `topk`.
    static func top(_ k: Int, of scores: [Float]) -> [Int] {
        Array(scores.indices.sorted { scores[$0] > scores[$1] || scores[$0] == scores[$1] && $0 < $1 }.prefix(max(k, 0)))
    }
}
