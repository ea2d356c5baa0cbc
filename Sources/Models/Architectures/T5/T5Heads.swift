import TensorCore

/// T5 with its language-modeling head: the decoder's states (scaled by `d_model ** -0.5` when `lm_head` is the tied
/// `shared` table) scored against every token; generates with `Seq2SeqLanguageModel`.
public struct T5ForConditionalGeneration: Module {
    let shared: Embedding
    let encoder: T5Stack
    let decoder: T5Stack
    let lm_head: Linear
    let config: T5Config

    init(_ weights: Weights, _ config: T5Config) throws {
        let base = try T5Model(weights, config)
        (shared, encoder, decoder, self.config) = (base.shared, base.encoder, base.decoder, config)
        lm_head = config.tieWordEmbeddings ? Linear(weight: shared.weight, bias: nil)
            : try Linear(WeightScope.head(weights, "lm_head"), in: config.dModel, out: config.vocabSize, bias: false)
    }

    func logits(_ decoded: Tensor) throws -> Tensor {
        try lm_head(config.tieWordEmbeddings ? decoded.combined(.mul, .float(1 / Double(config.dModel).squareRoot())) : decoded)
    }

    /// `model(**inputs, decoder_input_ids=...)` (or `labels=`, shifted right as the decoder's input, whose loss it
    /// then computes) -> `Seq2SeqLMOutput` with `logits` `[batch, decoder_seq, vocab_size]`.
    public func callAsFunction(_ inputs: ModelInputs, checkInterrupt: () throws -> Void = {}) throws -> ModelOutput {
        let decoderIDs = inputs.decoderInputIDs
            ?? inputs.labels.map { $0.shiftedRight(start: config.decoderStartTokenID, pad: config.padTokenID) }
        let pass = try hiddenStates(inputs, decoderIDs: decoderIDs, checkInterrupt: checkInterrupt)
        let logits = try logits(pass.decoded)
        return .seq2seq("Seq2SeqLMOutput", [("loss", try Losses.perToken(logits, inputs.labels)), ("logits", logits)],
                        encoded: pass.encoded, past: pass.past)
    }
}

extension T5ForConditionalGeneration: T5EncoderDecoder {}

extension T5ForConditionalGeneration: Seq2SeqLanguageModel {
    /// Relative positions bound no length.
    public var maxPositions: Int { .max }
    public var decoderStartTokenID: Int { config.decoderStartTokenID }

    public func session(encoding ids: Tensor, mask: Tensor, copies: Int, capacity: Int,
                        checkInterrupt: () throws -> Void) throws -> any DecodingSession {
        let (ids, mask) = try ModelInputs(inputIDs: ids, attentionMask: mask).validated(maxPositions: maxPositions, vocabSize: config.vocabSize)
        let encoded = try encoder(ids, mask: mask, past: 0, checkInterrupt: checkInterrupt)
        let rows = (0..<ids.shape[0]).flatMap { repeatElement($0, count: copies) }
        let cache = try KeyValueCache(layers: config.numDecoderLayers, batch: rows.count, heads: config.numHeads,
                                      headDim: config.dKV, capacity: capacity)
        let output = try EncoderOutput(encoded, mask: mask).selecting(rows)
        return CachedDecodingSession(cache: cache) { ids, _, mask, cache, checkInterrupt in
            let decoded = try decoder(ids, mask: mask, past: cache.length, encoded: output, cache: cache, checkInterrupt: checkInterrupt)
            return try logits(decoded.view(at: [.all, .at(-1), .all]))
        }
    }
}
