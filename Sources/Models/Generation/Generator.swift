import TensorCore

/// transformers' `generate` for a causal language model: greedy search, or sampling when `do_sample`; one pass
/// over the prompts, then one position per new token with the keys and values kept in a `KeyValueCache`.
public struct Generator {
    public let model: any CausalLanguageModel
    public let config: GenerationConfig
    /// Whether the caller set `max_length` itself (else transformers warns that the default of 20 is used).
    public var maxLengthGiven = false
    /// Where the warnings `generate` gives go, in transformers' order, once per call.
    public var warn: (GenerationWarning) -> Void = { _ in }

    public init(model: any CausalLanguageModel, config: GenerationConfig) {
        (self.model, self.config) = (model, config)
    }

    /// The padding token of finished rows: `pad_token_id`, else the first end token (transformers then warns:
    /// "Setting `pad_token_id` to `eos_token_id`").
    public var padTokenID: Int? { config.padTokenID ?? config.eosTokenIDs.first }

    /// The longest output for prompts of `promptLength` tokens: `max_new_tokens` after the prompt, else
    /// `max_length`.
    public func maxLength(promptLength: Int) -> Int { config.maxNewTokens.map { promptLength + $0 } ?? config.maxLength }

    /// Each prompt (the rows of equal length, left-padded where `mask` is 0) followed by its generated tokens,
    /// `num_return_sequences` rows per prompt; a row that ended is padded up to the longest. `onStep` sees each
    /// step's new token of every row (a streamer); `checkInterrupt` may throw between steps and layers.
    public func generate(_ prompts: [[Int]], mask: [[Int]]? = nil, onStep: ([Int]) throws -> Void = { _ in },
                         checkInterrupt: () throws -> Void = {}) throws -> [[Int]] {
        try config.validate()
        warnings(hasMask: mask != nil)
        let copies = config.numReturnSequences
        var rows = prompts.flatMap { repeatElement($0, count: copies) }
        var masks = (mask ?? prompts.map { $0.map { _ in 1 } }).flatMap { repeatElement($0, count: copies) }
        guard let length = rows.first?.count, length > 0, rows.allSatisfy({ $0.count == length }),
              masks.map(\.count) == rows.map(\.count) else {
            throw ModelError("generate needs prompts of at least one token, all of one length (pad them), with a mask of the same shape")
        }
        let limit = maxLength(promptLength: length)
        guard length < limit else {
            throw ModelError("Input length of input_ids is \(length), but `max_length` is set to \(limit). This can lead to unexpected behavior. You should consider increasing `max_length` or, better yet, setting `max_new_tokens`.")
        }
        guard limit <= model.maxPositions else {
            throw ModelError("generating up to \(limit) tokens goes past the \(model.maxPositions) positions this model has: lower max_length or max_new_tokens")
        }
        var cache = try model.emptyCache(batch: rows.count, capacity: limit)
        var running = [Bool](repeating: true, count: rows.count)
        let process = LogitsProcessors(config: config, promptLength: length)
        var step = (ids: rows, positions: masks.map(Self.positions))
        while true {
            try checkInterrupt()
            let logits = try model.nextTokenLogits(Self.tensor(step.ids), positions: Self.tensor(step.positions), mask: Self.tensor(masks),
                                                   cache: &cache, checkInterrupt: checkInterrupt)
            let next = try choose(logits, rows: rows, running: &running, process: process)
            for i in rows.indices { rows[i].append(next[i]); masks[i].append(1) }
            try onStep(next)
            if !running.contains(true) || rows[0].count >= limit { return rows }
            step = (next.map { [$0] }, masks.map { [$0.reduce(0, +) - 1] })
        }
    }

    /// Each row's next token from its `[rows, vocab]` logits; rows that have ended take the padding token, and a
    /// row that chooses an end token stops running.
    private func choose(_ logits: Tensor, rows: [[Int]], running: inout [Bool], process: LogitsProcessors) throws -> [Int] {
        let vocab = logits.shape[1], all = logits.contiguous().floats()
        return try rows.indices.map { i in
            guard running[i] else {
                guard let pad = padTokenID else { throw ModelError("a sequence ended but there is no pad_token_id or eos_token_id to fill it") }
                return pad
            }
            var scores = Array(all[i * vocab..<(i + 1) * vocab])
            process(&scores, tokens: rows[i])
            let token = config.doSample ? Sampling.sample(scores) : Sampling.greedy(scores)
            if config.eosTokenIDs.contains(token) { running[i] = false }
            return token
        }
    }

    /// The warnings transformers' `generate` gives before it starts, in its order.
    private func warnings(hasMask: Bool) {
        if config.padTokenID == nil, !config.eosTokenIDs.isEmpty {
            if !hasMask { warn(.noAttentionMaskNorPadToken) }
            warn(.padTokenSetToEOS)
        }
        if !hasMask, let pad = padTokenID, config.eosTokenIDs.contains(pad) { warn(.attentionMaskNotInferable) }
        if !maxLengthGiven, config.maxNewTokens == nil, config.maxLength == 20 { warn(.defaultMaxLength) }
        if maxLengthGiven, let newTokens = config.maxNewTokens { warn(.bothLengths(maxNewTokens: newTokens, maxLength: config.maxLength)) }
    }

    /// Positions as transformers derives them from the mask: `cumsum(mask) - 1`, padding at 1.
    static func positions(_ mask: [Int]) -> [Int] {
        var count = 0
        return mask.map { m in
            count += m
            return m == 0 ? 1 : count - 1
        }
    }

    private static func tensor(_ rows: [[Int]]) -> Tensor {
        Tensor(ints: rows.flatMap { $0.map(Int64.init) }, shape: [rows.count, rows.first?.count ?? 0])
    }
}

/// A warning transformers' `generate` gives about its settings.
public enum GenerationWarning: Sendable, Equatable {
    /// No attention mask was passed and there is no padding token.
    case noAttentionMaskNorPadToken
    /// The end token pads the sequences that end early.
    case padTokenSetToEOS
    /// No attention mask was passed and padding cannot be told from the end token.
    case attentionMaskNotInferable
    /// The length limit is the model-agnostic default of 20 (a Python `UserWarning`).
    case defaultMaxLength
    /// Both limits were set: `max_new_tokens` wins.
    case bothLengths(maxNewTokens: Int, maxLength: Int)
}
