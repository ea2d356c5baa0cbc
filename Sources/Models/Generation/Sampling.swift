import Foundation
import HeapModule
import TensorCore

/// Choosing the next token from processed scores: the most likely (greedy), or one drawn from their softmax.
enum Sampling {
    /// The softmax of `scores` in float32 (-inf scores give 0).
    static func softmax(_ scores: [Float]) -> [Float] {
        guard let top = scores.max(), top > -.infinity else { return scores.map { _ in 0 } }
        let exps = scores.map { Foundation.expf($0 - top) }
        let total = exps.reduce(0, +)
        return exps.map { $0 / total }
    }

    /// `log_softmax` in float32: `x - max - log(sum(exp(x - max)))`.
    static func logSoftmax(_ scores: [Float]) -> [Float] {
        guard let top = scores.max(), top > -.infinity else { return scores }
        let total = scores.reduce(Float(0)) { $0 + Foundation.expf($1 - top) }
        let shift = top + Foundation.logf(total)
        return scores.map { $0 - shift }
    }

    /// The `k` highest of `candidates`, highest first (equal scores by index, as `topk` orders them): the best k
    /// kept in a heap as the candidates go by, then sorted.
    static func topK(_ candidates: [(score: Float, index: Int)], _ k: Int) -> [(score: Float, index: Int)] {
        var kept = Heap<Ranked>()
        for candidate in candidates {
            let ranked = Ranked(score: candidate.score, index: candidate.index)
            guard kept.count < k || kept.min.map({ $0 < ranked }) == true else { continue }
            kept.insert(ranked)
            if kept.count > k { kept.removeMin() }
        }
        return kept.unordered.sorted { $1 < $0 }.map { ($0.score, $0.index) }
    }

    /// A candidate ordered as `topk` ranks it: by score, then the lower index first among equal scores.
    private struct Ranked: Comparable {
        var score: Float, index: Int
        static func < (a: Ranked, b: Ranked) -> Bool { a.score != b.score ? a.score < b.score : a.index > b.index }
    }

    /// The index of the highest score, the first of equal ones (as `argmax`).
    static func greedy(_ scores: [Float]) -> Int {
        var best = 0
        for i in scores.indices where scores[i] > scores[best] { best = i }
        return best
    }

    /// `k` of `candidates` (each `index` its position) drawn without replacement with the probabilities of their
    /// softmax, best score first, as beam sampling picks them: torch's `multinomial(probs, k)` (the `k` largest
    /// `p / q`, `q` an exponential draw per candidate), then sorted by score.
    static func sample(_ candidates: [(score: Float, index: Int)], _ k: Int) -> [(score: Float, index: Int)] {
        let probabilities = softmax(candidates.map(\.score))
        let draws = RandomGenerator.exponential(probabilities.count)
        let drawn = topK(probabilities.indices.map { (probabilities[$0] / draws[$0], $0) }, k)
        return drawn.map { candidates[$0.index] }.sorted { $0.score > $1.score }
    }

    /// A token drawn with the probabilities of `scores`, from the process's `RandomGenerator` (seeded by
    /// `torch.manual_seed`) as torch's `multinomial` draws one sample on the CPU: one exponential draw `q` per
    /// token, then the first largest `p / q` in float32. The same seed gives PyTorch's tokens.
    static func sample(_ scores: [Float]) -> Int {
        let probabilities = softmax(scores)
        let draws = RandomGenerator.exponential(probabilities.count)
        var best = 0, bestValue = -Float.infinity
        for i in probabilities.indices {
            let value = probabilities[i] / draws[i]
            if value > bestValue { (best, bestValue) = (i, value) }
        }
        return best
    }
}
