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
    /// `max_length` (`Int.max` for a sum past it).
    public func maxLength(promptLength: Int) -> Int { config.maxNewTokens.map { promptLength.saturatingAdd($0) } ?? config.maxLength }

    /// Each prompt (the rows of equal length, left-padded where `mask` is 0) followed by its generated tokens,
    /// `num_return_sequences` rows per prompt; a row that ended is padded up to the longest. `onStep` sees each
    /// step's new token of every row (a streamer); `checkInterrupt` may throw between steps and layers.
    public func generate(_ prompts: [[Int]], mask: [[Int]]? = nil, onStep: ([Int]) throws -> Void = { _ in },
                         checkInterrupt: () throws -> Void = {}) throws -> [[Int]] {
        try config.validate()
        warnings(hasMask: mask != nil)
        guard let length = prompts.first?.count, length > 0, prompts.allSatisfy({ $0.count == length }),
              mask.map({ $0.map(\.count) == prompts.map(\.count) }) ?? true else {
            throw ModelError("generate needs prompts of at least one token, all of one length (pad them), with a mask of the same shape")
        }
        let limit = maxLength(promptLength: length)
        let copies = config.numReturnSequences
        let (count, overflow) = prompts.count.multipliedReportingOverflow(by: copies)
        try Tensor.checkAllocation(bytes: overflow ? nil : count.multipliedReportingOverflow(by: 16 * length).partialValue)
        var rows = prompts.flatMap { repeatElement($0, count: copies) }
        var masks = (mask ?? prompts.map(inferredMask)).flatMap { repeatElement($0, count: copies) }
        guard length < limit else {
            throw ModelError("Input length of input_ids is \(length), but `max_length` is set to \(limit). This can lead to unexpected behavior. You should consider increasing `max_length` or, better yet, setting `max_new_tokens`.")
        }
        let cache = try model.emptyCache(batch: rows.count, capacity: min(limit, model.maxPositions))
        var running = [Bool](repeating: true, count: rows.count)
        let process = LogitsProcessors(config: config, promptLength: length)
        var step = (ids: rows, positions: masks.map(Self.positions))
        var attended = masks.map { $0.reduce(0, +) }  // each row's tokens to attend to
        while true {
            try checkInterrupt()
            let logits = try model.nextTokenLogits(Self.tensor(step.ids), positions: Self.tensor(step.positions), mask: Self.tensor(masks),
                                                   cache: cache, checkInterrupt: checkInterrupt)
            let next = try choose(logits, rows: rows, running: &running, process: process)
            for i in rows.indices { rows[i].append(next[i]); masks[i].append(1); attended[i] += 1 }
            try onStep(next)
            if !running.contains(true) || rows[0].count >= limit { return rows }
            guard rows[0].count < model.maxPositions else {
                throw ModelError("generation reached the \(model.maxPositions) positions this model has before max_length (\(limit)) or an end token: lower max_length or max_new_tokens")
            }
            step = (next.map { [$0] }, attended.map { [$0 - 1] })
        }
    }

    /// Each row's next token from its `[rows, vocab]` logits; rows that have ended take the padding token, and a
    /// row that chooses an end token stops running.
    private func choose(_ logits: Tensor, rows: [[Int]], running: inout [Bool], process: LogitsProcessors) throws -> [Int] {
        let vocab = logits.shape[1], all = logits.contiguous().floats()
        return try rows.indices.map { i in
            // every row is scored and drawn for, ended or not, so that sampling takes torch's random numbers
            var scores = Array(all[i * vocab..<(i + 1) * vocab])
            process(&scores, tokens: rows[i])
            let token = config.doSample ? Sampling.sample(scores) : Sampling.greedy(scores)
            guard running[i] else {
                guard let pad = padTokenID else { throw ModelError("a sequence ended but there is no pad_token_id or eos_token_id to fill it") }
                return pad
            }
            if config.eosTokenIDs.contains(token) { running[i] = false }
            return token
        }
    }

    /// The mask transformers infers for a prompt given without one: 0 at the padding token when there is one, in
    /// the prompt, and it is not an end token; else all 1.
    private func inferredMask(_ prompt: [Int]) -> [Int] {
        guard let pad = config.padTokenID, !config.eosTokenIDs.contains(pad), prompt.contains(pad) else { return prompt.map { _ in 1 } }
        return prompt.map { $0 == pad ? 0 : 1 }
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

extension Int {
    /// `self + other`, or `Int.max` when the sum would overflow.
    public func saturatingAdd(_ other: Int) -> Int {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other > 0 ? .max : .min) : sum
    }
}
