import HeapModule

/// The steps transformers applies to each row of next-token scores before choosing, in its order
/// (`_get_logits_processor`): the processors that shape them (repetition penalty, banned n-grams, bad words, the
/// minimum length, forced tokens), then, when sampling, the warpers (temperature, top-k, top-p), and last, with
/// `renormalize_logits`, `LogitNormalization`.
struct LogitsProcessors {
    let config: GenerationConfig
    /// The length of the prompt, for `min_new_tokens`.
    let promptLength: Int
    /// The longest output, for `forced_eos_token_id`.
    let maxLength: Int

    /// Processes `scores` (one row, the vocabulary) for the sequence `tokens` so far (prompt included).
    func callAsFunction(_ scores: inout [Float], tokens: [Int]) {
        if config.repetitionPenalty != 1 { penalizeRepetitions(&scores, tokens) }
        if config.noRepeatNgramSize > 0 { banRepeatedNgrams(&scores, tokens) }
        if let words = config.badWordsIDs { banBadWords(&scores, words, tokens) }
        let minimum = max(config.minLength, promptLength.saturatingAdd(config.minNewTokens ?? 0))
        if tokens.count < minimum { for eos in config.eosTokenIDs where scores.indices.contains(eos) { scores[eos] = -.infinity } }
        if let bos = config.forcedBOSTokenID, tokens.count == 1 { force(&scores, bos) }
        if let eos = config.forcedEOSTokenID, tokens.count == maxLength - 1 { force(&scores, eos) }
        if config.doSample { warp(&scores) }
        if config.renormalizeLogits { scores = Sampling.logSoftmax(scores) }
    }

    /// The warpers of sampling: temperature, top-k, top-p.
    private func warp(_ scores: inout [Float]) {
        if config.temperature != 1 { let t = Float(config.temperature); for i in scores.indices { scores[i] /= t } }
        let k = max(config.topK, minTokensToKeep)
        if config.topK > 0 && k < scores.count { keepTopK(&scores, k) }
        if config.topP < 1 { keepTopP(&scores, Float(config.topP)) }
    }

    /// The fewest tokens top-k and top-p leave: one, or with beams one more than there are end tokens (at least
    /// two), so that a beam can go on past an end token.
    private var minTokensToKeep: Int { config.numBeams > 1 ? max(1, config.eosTokenIDs.count) + 1 : 1 }

    /// `NoBadWordsLogitsProcessor`: the token that would complete a bad word scores -inf; a one-token word always
    /// (unless it is an end token), a longer one when the sequence, at least as long as the word, ends with the rest
    /// of it.
    private func banBadWords(_ scores: inout [Float], _ words: [[Int]], _ tokens: [Int]) {
        for word in words where !(word.count == 1 && config.eosTokenIDs.contains(word[0])) {
            guard let last = word.last, scores.indices.contains(last), word.count == 1 || word.count <= tokens.count else { continue }
            if tokens.suffix(word.count - 1).elementsEqual(word.dropLast()) { scores[last] = -.infinity }
        }
    }

    /// `ForcedBOSTokenLogitsProcessor` / `ForcedEOSTokenLogitsProcessor`: only `token` may come (score 0).
    private func force(_ scores: inout [Float], _ token: Int) {
        guard scores.indices.contains(token) else { return }
        scores = [Float](repeating: -.infinity, count: scores.count)
        scores[token] = 0
    }

    /// `RepetitionPenaltyLogitsProcessor`: each token already in the sequence scores `s / penalty` (`s * penalty`
    /// when negative).
    private func penalizeRepetitions(_ scores: inout [Float], _ tokens: [Int]) {
        let penalty = Float(config.repetitionPenalty)
        for token in Set(tokens) where scores.indices.contains(token) {
            scores[token] = scores[token] < 0 ? scores[token] * penalty : scores[token] / penalty
        }
    }

    /// `NoRepeatNGramLogitsProcessor`: a token that would repeat an n-gram of the sequence scores -inf.
    private func banRepeatedNgrams(_ scores: inout [Float], _ tokens: [Int]) {
        let n = config.noRepeatNgramSize
        guard tokens.count >= n else { return }
        let prefix = tokens.suffix(n - 1)
        for start in 0...(tokens.count - n) where tokens[start..<start + n - 1].elementsEqual(prefix) {
            let banned = tokens[start + n - 1]
            if scores.indices.contains(banned) { scores[banned] = -.infinity }
        }
    }

    /// `TopKLogitsWarper`: scores below the k-th largest become -inf (ties with it are kept). The k largest are
    /// kept in a heap as the scores go by, not sorted out of the whole vocabulary.
    private func keepTopK(_ scores: inout [Float], _ k: Int) {
        var largest = Heap<Float>()
        for score in scores where largest.count < k || score > (largest.min ?? -.infinity) {
            largest.insert(score)
            if largest.count > k { largest.removeMin() }
        }
        guard let kth = largest.min else { return }
        for i in scores.indices where scores[i] < kth { scores[i] = -.infinity }
    }

    /// `TopPLogitsWarper`: the least likely tokens whose probabilities add up to at most `1 - p` become -inf
    /// (the `minTokensToKeep` most likely always stay). Tokens already at -inf (cut by top-k) stay out of the sort.
    private func keepTopP(_ scores: inout [Float], _ p: Float) {
        let finite = scores.indices.filter { scores[$0] > -.infinity }
        let order = finite.sorted { scores[$0] < scores[$1] }  // ascending, as transformers sorts
        let probabilities = Sampling.softmax(order.map { scores[$0] })
        var cumulative: Float = 0
        for (rank, index) in order.enumerated() where rank < order.count - minTokensToKeep {
            cumulative += probabilities[rank]
            if cumulative <= 1 - p { scores[index] = -.infinity } else { break }
        }
    }
}
