import TensorCore

/// transformers' `generate`: greedy search, sampling (`do_sample`) or beam search (`num_beams`), for a decoder-only
/// model continuing its prompts or an encoder-decoder writing new sequences for them; one pass over the prompt, then
/// one position per new token with the keys and values kept in a `KeyValueCache`.
public struct Generator {
    /// The model generating.
    public enum Model {
        case causal(any CausalLanguageModel)
        case seq2seq(any Seq2SeqLanguageModel)

        var maxPositions: Int {
            switch self {
            case .causal(let model): model.maxPositions
            case .seq2seq(let model): model.maxPositions
            }
        }
    }

    public let model: Model
    public let config: GenerationConfig
    /// Whether the caller set `max_length` itself (else transformers warns that the default of 20 is used).
    public var maxLengthGiven = false
    /// Where the warnings `generate` gives go, in transformers' order, once per call.
    public var warn: (GenerationWarning) -> Void = { _ in }

    public init(model: Model, config: GenerationConfig) {
        (self.model, self.config) = (model, config)
    }

    /// The padding token of finished rows: `pad_token_id`, else the first end token (transformers then warns:
    /// "Setting `pad_token_id` to `eos_token_id`").
    public var padTokenID: Int? { config.padTokenID ?? config.eosTokenIDs.first }

    /// The longest output for prompts of `promptLength` tokens: `max_new_tokens` after the prompt, else
    /// `max_length` (`Int.max` for a sum past it).
    public func maxLength(promptLength: Int) -> Int { config.maxNewTokens.map { promptLength.saturatingAdd($0) } ?? config.maxLength }

    /// What is generated for `prompts` (rows of equal length, left-padded where `mask` is 0): each prompt followed by
    /// its new tokens, or for an encoder-decoder the decoder's sequence; `num_return_sequences` rows per prompt, rows
    /// that ended padded up to the longest. `onStep` sees each step's new token of every row (a streamer; greedy and
    /// sampling only); `checkInterrupt` may throw between steps and layers.
    public func generate(_ prompts: [[Int]], mask: [[Int]]? = nil, onStep: ([Int]) throws -> Void = { _ in },
                         checkInterrupt: () throws -> Void = {}) throws -> [[Int]] {
        try GradMode.withoutRecording { try generateRecordingNothing(prompts, mask: mask, onStep: onStep, checkInterrupt: checkInterrupt) }
    }

    /// `generate`, with autograd's recording off (transformers' `generate` is decorated `@torch.no_grad()`).
    private func generateRecordingNothing(_ prompts: [[Int]], mask: [[Int]]?, onStep: ([Int]) throws -> Void,
                                          checkInterrupt: () throws -> Void) throws -> [[Int]] {
        try config.validate()
        warnings(hasMask: mask != nil)
        guard let length = prompts.first?.count, length > 0, prompts.allSatisfy({ $0.count == length }),
              mask.map({ $0.map(\.count) == prompts.map(\.count) }) ?? true else {
            throw ModelError("generate needs prompts of at least one token, all of one length (pad them), with a mask of the same shape")
        }
        let masks = mask ?? prompts.map(inferredMask)
        let copies = config.numBeams > 1 ? config.numBeams : config.numReturnSequences
        let (count, overflow) = prompts.count.multipliedReportingOverflow(by: copies)
        try Tensor.checkAllocation(bytes: overflow ? nil : count.multipliedReportingOverflow(by: 16 * length).partialValue)
        let start = try decoding(prompts, masks: masks, copies: copies, checkInterrupt: checkInterrupt)
        let limit = maxLength(promptLength: start.rows[0].count)
        guard start.rows[0].count < limit else {
            throw ModelError("Input length of input_ids is \(start.rows[0].count), but `max_length` is set to \(limit). This can lead to unexpected behavior. You should consider increasing `max_length` or, better yet, setting `max_new_tokens`.")
        }
        let search = Search(generator: self, session: start.session, rows: start.rows, masks: start.masks, limit: limit,
                            process: LogitsProcessors(config: config, promptLength: start.rows[0].count, maxLength: limit))
        return config.numBeams > 1
            ? try search.beams(batch: prompts.count, checkInterrupt: checkInterrupt)
            : try search.sampleOrGreedy(onStep: onStep, checkInterrupt: checkInterrupt)
    }

    /// The session, and the rows and masks the decoder starts from: the prompts themselves (decoder-only), or the
    /// decoder's start token after the encoder has read the prompts.
    private func decoding(_ prompts: [[Int]], masks: [[Int]], copies: Int,
                          checkInterrupt: () throws -> Void) throws -> (session: any DecodingSession, rows: [[Int]], masks: [[Int]]) {
        let capacity = min(maxLength(promptLength: prompts[0].count), model.maxPositions)
        switch model {
        case .causal(let causal):
            let rows = prompts.flatMap { repeatElement($0, count: copies) }
            return (try causal.session(rows: rows.count, capacity: capacity), rows, masks.flatMap { repeatElement($0, count: copies) })
        case .seq2seq(let seq2seq):
            let session = try seq2seq.session(encoding: Self.tensor(prompts), mask: Self.tensor(masks), copies: copies, capacity: capacity,
                                              checkInterrupt: checkInterrupt)
            let start = config.decoderStartTokenID ?? seq2seq.decoderStartTokenID
            let rows = [[Int]](repeating: [start], count: prompts.count * copies)
            return (session, rows, rows.map { _ in [1] })
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

    static func tensor(_ rows: [[Int]]) -> Tensor {
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
