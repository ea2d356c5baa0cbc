import Foundation
import TensorCore

/// One run of `generate`'s decoding loop over a session: the rows so far, their masks, and how tokens are chosen.
struct Search {
    let generator: Generator
    let session: any DecodingSession
    var rows: [[Int]], masks: [[Int]]
    /// The longest a row may grow.
    let limit: Int
    let process: LogitsProcessors

    var config: GenerationConfig { generator.config }

    /// The logits `[rows, vocab]` after `ids` (the first pass over the rows, or one new token per row), `masks`
    /// covering every token so far.
    private func logits(_ ids: [[Int]], positions: [[Int]], masks: [[Int]], checkInterrupt: () throws -> Void) throws -> [Float] {
        try checkInterrupt()
        return try session.nextTokenLogits(Generator.tensor(ids), positions: Generator.tensor(positions), mask: Generator.tensor(masks),
                                           checkInterrupt: checkInterrupt).contiguous().floats()
    }

    /// Greedy search or sampling: each row's most likely or drawn token, until every row has ended or the limit.
    func sampleOrGreedy(onStep: ([Int]) throws -> Void, checkInterrupt: () throws -> Void) throws -> [[Int]] {
        var (rows, masks) = (self.rows, self.masks)
        var running = [Bool](repeating: true, count: rows.count)
        var step = (ids: rows, positions: masks.map(Generator.positions))
        var attended = masks.map { $0.reduce(0, +) }  // each row's tokens to attend to
        while true {
            let next = try choose(try logits(step.ids, positions: step.positions, masks: masks, checkInterrupt: checkInterrupt),
                                  rows: rows, running: &running)
            for i in rows.indices { rows[i].append(next[i]); masks[i].append(1); attended[i] += 1 }
            try onStep(next)
            if !running.contains(true) || rows[0].count >= limit { return rows }
            try checkRoom(rows[0].count)
            step = (next.map { [$0] }, attended.map { [$0 - 1] })
        }
    }

    /// Each row's next token from its `[rows, vocab]` logits; rows that have ended take the padding token, and a
    /// row that chooses an end token stops running.
    private func choose(_ all: [Float], rows: [[Int]], running: inout [Bool]) throws -> [Int] {
        let vocab = all.count / max(rows.count, 1)
        return try rows.indices.map { i in
            // every row is scored and drawn for, ended or not, so that sampling takes torch's random numbers
            var scores = Array(all[i * vocab..<(i + 1) * vocab])
            process(&scores, tokens: rows[i])
            let token = config.doSample ? Sampling.sample(scores) : Sampling.greedy(scores)
            guard running[i] else {
                guard let pad = generator.padTokenID else { throw ModelError("a sequence ended but there is no pad_token_id or eos_token_id to fill it") }
                return pad
            }
            if config.eosTokenIDs.contains(token) { running[i] = false }
            return token
        }
    }

    /// Generation past the model's positions fails there, as transformers does (with an IndexError).
    private func checkRoom(_ length: Int) throws {
        guard length < generator.model.maxPositions else {
            throw ModelError("generation reached the \(generator.model.maxPositions) positions this model has before max_length (\(limit)) or an end token: lower max_length or max_new_tokens")
        }
    }

    /// Beam search over `batch` prompts of `num_beams` rows each, as transformers' `_beam_search` and
    /// `BeamSearchScorer`: each step the log-probabilities plus each beam's score, the best `2 * num_beams`
    /// continuations per prompt (or, with `do_sample`, as many drawn from their softmax), ended ones kept as
    /// hypotheses scored by length, the others the next beams.
    func beams(batch: Int, checkInterrupt: () throws -> Void) throws -> [[Int]] {
        let width = config.numBeams, promptLength = rows[0].count
        var (rows, masks) = (self.rows, self.masks)
        var scores = (0..<rows.count).map { $0 % width == 0 ? Float(0) : -1e9 }
        var hypotheses = (0..<batch).map { _ in BeamHypotheses(config: config, limit: limit, promptLength: promptLength) }
        var done = [Bool](repeating: false, count: batch)
        var step = (ids: rows, positions: masks.map(Generator.positions))
        var attended = masks.map { $0.reduce(0, +) }
        while true {
            let all = try logits(step.ids, positions: step.positions, masks: masks, checkInterrupt: checkInterrupt)
            let vocab = all.count / rows.count
            var next = [(score: Float, token: Int, source: Int)]()
            for b in 0..<batch {
                if done[b] {
                    // a finished prompt's beams are still drawn for when sampling, as torch draws for the whole batch
                    if config.doSample { _ = RandomGenerator.exponential(width * vocab) }
                    next += repeatElement((score: Float(0), token: generator.padTokenID ?? 0, source: 0), count: width)
                    continue
                }
                var candidates = [(score: Float, index: Int)]()
                for beam in 0..<width {
                    let row = b * width + beam
                    var logProbs = Sampling.logSoftmax(Array(all[row * vocab..<(row + 1) * vocab]))
                    process(&logProbs, tokens: rows[row])
                    candidates += logProbs.enumerated().map { ($0.element + scores[row], beam * vocab + $0.offset) }
                }
                let keep = max(2, 1 + config.eosTokenIDs.count) * width
                let best = config.doSample ? Sampling.sample(candidates, keep) : Sampling.topK(candidates, keep)
                var chosen = [(score: Float, token: Int, source: Int)]()
                for (rank, candidate) in best.enumerated() {
                    let (beam, token) = candidate.index.quotientAndRemainder(dividingBy: vocab)
                    let source = b * width + beam
                    if config.eosTokenIDs.contains(token) {
                        if rank < width { hypotheses[b].add(rows[source], score: candidate.score, length: rows[source].count + 1) }
                    } else {
                        chosen.append((candidate.score, token, source))
                    }
                    if chosen.count == width { break }
                }
                next += chosen
                done[b] = hypotheses[b].isDone(best: best.first?.score ?? -.infinity, length: rows[0].count + 1)
            }
            let sources = next.map(\.source)
            try session.reorder(sources)
            rows = sources.indices.map { rows[sources[$0]] + [next[$0].token] }
            masks = sources.map { masks[$0] + [1] }
            attended = sources.map { attended[$0] + 1 }
            scores = next.map(\.score)
            if !done.contains(false) || rows[0].count >= limit { break }
            try checkRoom(rows[0].count)
            step = (next.map { [$0.token] }, attended.map { [$0 - 1] })
        }
        return try finalize(rows, scores: scores, hypotheses: &hypotheses, done: done, promptLength: promptLength)
    }

    /// `BeamSearchScorer.finalize`: the open beams of unfinished prompts become hypotheses, the best
    /// `num_return_sequences` of each prompt are returned, padded to the longest with an end token after the shorter.
    private func finalize(_ rows: [[Int]], scores: [Float], hypotheses: inout [BeamHypotheses], done: [Bool],
                          promptLength: Int) throws -> [[Int]] {
        let width = config.numBeams
        for b in hypotheses.indices where !done[b] {
            for row in b * width..<(b + 1) * width { hypotheses[b].add(rows[row], score: scores[row], length: rows[row].count) }
        }
        let best = hypotheses.flatMap { $0.best(config.numReturnSequences) }
        let longest = min((best.map(\.count).max() ?? 0) + 1, limit)
        guard best.map(\.count).min() == best.map(\.count).max() || generator.padTokenID != nil else {
            throw ModelError("`pad_token_id` has to be defined")
        }
        return best.map { sequence in
            guard sequence.count < longest else { return sequence }
            return sequence + [config.eosTokenIDs.first ?? generator.padTokenID ?? 0]
                + [Int](repeating: generator.padTokenID ?? 0, count: longest - sequence.count - 1)
        }
    }
}

/// `BeamHypotheses`: the `num_beams` best ended sequences of one prompt, each scored by its summed log-probability
/// over its generated length (after the decoder's prompt) to the power `length_penalty`, in double as Python does.
struct BeamHypotheses {
    let config: GenerationConfig
    /// `max_length`, and the length of the prompt the lengths are counted after.
    let limit: Int, promptLength: Int
    private(set) var beams = [(score: Double, tokens: [Int])]()
    private var worst = 1e9

    init(config: GenerationConfig, limit: Int, promptLength: Int) {
        (self.config, self.limit, self.promptLength) = (config, limit, promptLength)
    }

    /// Keeps `tokens` if it is among the best: `score` its summed log-probability at total length `length`.
    mutating func add(_ tokens: [Int], score: Float, length: Int) {
        let value = Double(score) / pow(Double(length - promptLength), config.lengthPenalty)
        guard beams.count < config.numBeams || value > worst else { return }
        beams.append((value, tokens))
        guard beams.count > config.numBeams else { worst = min(value, worst); return }
        let order = beams.indices.sorted { (beams[$0].score, $0) < (beams[$1].score, $1) }
        worst = beams[order[1]].score
        beams.remove(at: order[0])
    }

    /// Whether no open beam can do better than the hypotheses kept, the best of them at `best` and total `length`.
    func isDone(best: Float, length: Int) -> Bool {
        guard beams.count >= config.numBeams else { return false }
        let reach: Int
        switch config.earlyStopping {
        case .stopOnceEnough: return true
        case .heuristic: reach = length
        case .never: reach = config.lengthPenalty > 0 ? limit : length
        }
        return worst >= Double(best) / pow(Double(reach - promptLength), config.lengthPenalty)
    }

    /// The `count` best, best first.
    func best(_ count: Int) -> [[Int]] {
        beams.enumerated().sorted { ($0.element.score, $0.offset) > ($1.element.score, $1.offset) }.prefix(count).map(\.element.tokens)
    }
}
