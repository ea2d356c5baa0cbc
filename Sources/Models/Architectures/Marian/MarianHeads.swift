import TensorCore

/// Marian with its language-modeling head (`MarianMTModel`): the decoder's states scored against the decoder's token
/// table (`lm_head`, tied to it unless `tie_word_embeddings` is off) plus `final_logits_bias`; generates with
/// `Seq2SeqLanguageModel`, from the pad token.
public struct MarianMTModel: Module {
    let model: MarianModel
    let lm_head: Linear
    /// A buffer, not trained: zeros when the checkpoint lacks it, as transformers leaves it.
    let finalLogitsBias: Tensor

    init(_ weights: Weights, _ config: MarianConfig) throws {
        model = try MarianModel(weights, config, prefix: "model.")
        let vocab = config.targetVocabSize
        lm_head = config.tiesWordEmbeddings ? Linear(weight: model.decoder.embed_tokens.weight, bias: nil)
            : try Linear(WeightScope.head(weights, "lm_head"), in: config.dModel, out: vocab, bias: false)
        finalLogitsBias = weights.contains("final_logits_bias")
            ? try weights.tensor("final_logits_bias", shape: [1, vocab], initial: .zeros) : Tensor(zeros: [1, vocab], dtype: weights.dtype)
    }

    public var parameters: [(name: String, tensor: Tensor)] { [("final_logits_bias", finalLogitsBias)] }
    public var buffers: Set<String> { ["final_logits_bias"] }

    /// The decoder's input for `labels`: shifted one to the right after the start token, -100 read as padding.
    func shiftedRight(_ labels: Tensor) throws -> Tensor {
        guard let pad = model.config.padTokenID else { throw ModelError("self.model.config.pad_token_id has to be defined.") }
        return labels.shiftedRight(start: model.config.decoderStartTokenID, pad: pad)
    }

    func logits(_ decoded: Tensor) throws -> Tensor { try lm_head(decoded).combined(.add, finalLogitsBias) }

    /// `model(**inputs, decoder_input_ids=...)` (or `labels=`, shifted right after the decoder's start token as its
    /// input, whose loss it then computes) -> `Seq2SeqLMOutput` with `logits` `[batch, decoder_seq, vocab]`.
    public func callAsFunction(_ inputs: ModelInputs, checkInterrupt: () throws -> Void = {}) throws -> ModelOutput {
        let pass = try model.hiddenStates(inputs, decoderIDs: inputs.decoderInputIDs ?? inputs.labels.map(shiftedRight),
                                          checkInterrupt: checkInterrupt)
        let logits = try logits(pass.decoded)
        return .seq2seq("Seq2SeqLMOutput", [("loss", try Losses.perToken(logits, inputs.labels)), ("logits", logits)],
                        encoded: pass.encoded, past: pass.past)
    }
}

extension MarianMTModel: Seq2SeqLanguageModel {
    public var maxPositions: Int { model.config.maxPositionEmbeddings }
    public var decoderStartTokenID: Int { model.config.decoderStartTokenID }

    public func session(encoding ids: Tensor, mask: Tensor, copies: Int, capacity: Int,
                        checkInterrupt: () throws -> Void) throws -> any DecodingSession {
        try model.session(encoding: ids, mask: mask, copies: copies, capacity: capacity, checkInterrupt: checkInterrupt, logits: logits)
    }
}
