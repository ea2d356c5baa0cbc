import TensorCore

// BART with a task's head on top of `BartModel`, one struct per transformers class.

/// BART with its language-modeling head: the decoder's states scored against every token embedding (`lm_head`,
/// tied to `shared`) plus `final_logits_bias`; generates with `Seq2SeqLanguageModel`.
public struct BartForConditionalGeneration: Module {
    let model: BartModel
    let lm_head: Linear
    let finalLogitsBias: Tensor

    init(_ weights: Weights, _ config: BartConfig) throws {
        model = try BartModel(weights, config, prefix: "model.")
        lm_head = Linear(weight: model.shared.weight, bias: nil)
        finalLogitsBias = try WeightScope(weights: weights, basePrefix: "", path: "").tensor("final_logits_bias", [1, config.vocabSize], initial: .zeros)
    }

    public var parameters: [(name: String, tensor: Tensor)] { [("final_logits_bias", finalLogitsBias)] }
    public var buffers: Set<String> { ["final_logits_bias"] }

    func logits(_ decoded: Tensor) throws -> Tensor { try lm_head(decoded).combined(.add, finalLogitsBias) }

    /// `model(**inputs)` -> `Seq2SeqLMOutput` with `logits` `[batch, decoder_seq, vocab_size]` (the decoder reading
    /// the ids shifted right, or the labels shifted right when given, whose loss it then computes).
    public func callAsFunction(_ inputs: ModelInputs, checkInterrupt: () throws -> Void = {}) throws -> ModelOutput {
        let pass = try model.hiddenStates(inputs, decoderIDs: inputs.decoderInputIDs ?? inputs.labels.map(model.shiftedRight), checkInterrupt: checkInterrupt)
        let logits = try logits(pass.decoded)
        return .seq2seq("Seq2SeqLMOutput", [("loss", try Losses.perToken(logits, inputs.labels)), ("logits", logits)],
                        encoded: pass.encoded, past: pass.past)
    }
}

extension BartForConditionalGeneration: Seq2SeqLanguageModel {
    public var maxPositions: Int { model.config.maxPositionEmbeddings }
    public var decoderStartTokenID: Int { model.config.decoderStartTokenID }

    public func session(encoding ids: Tensor, mask: Tensor, copies: Int, capacity: Int,
                        checkInterrupt: () throws -> Void) throws -> any DecodingSession {
        try model.session(encoding: ids, mask: mask, copies: copies, capacity: capacity, checkInterrupt: checkInterrupt, logits: logits)
    }
}

/// BART with its classification head on the decoder's state at the last end token (`</s>`) of each sequence.
public struct BartForSequenceClassification: Module {
    let model: BartModel
    let classification_head: BartClassificationHead
    let problemType: ProblemType

    init(_ weights: Weights, _ config: BartConfig, numLabels: Int, problemType: String?) throws {
        self.problemType = ProblemType(problemType)
        model = try BartModel(weights, config, prefix: "model.")
        classification_head = try BartClassificationHead(.head(weights, "classification_head"), config, numLabels: numLabels)
    }

    /// `model(**inputs)` -> `Seq2SeqSequenceClassifierOutput` with `logits` `[batch, num_labels]`.
    public func callAsFunction(_ inputs: ModelInputs, checkInterrupt: () throws -> Void = {}) throws -> ModelOutput {
        let pass = try model.hiddenStates(inputs, checkInterrupt: checkInterrupt)
        let decoded = pass.decoded
        let last = try lastEndTokens(inputs.inputIDs.rank == 1 ? inputs.inputIDs.unsqueezed(0) : inputs.inputIDs)
        let length = decoded.shape[1]
        let sentence = try decoded.reshaped([-1, decoded.shape[2]]).indexSelect(last.map { $0.row * length + $0.position })
        let logits = try classification_head(sentence)
        return .seq2seq("Seq2SeqSequenceClassifierOutput",
                        [("loss", try Losses.classification(logits, inputs.labels, problemType: problemType)), ("logits", logits)],
                        encoded: pass.encoded, past: pass.past)
    }

    /// Each row's last end token; every row must have as many (transformers' rule).
    private func lastEndTokens(_ ids: Tensor) throws -> [(row: Int, position: Int)] {
        let (rows, length) = (ids.shape[0], ids.shape[1])
        let flat = ids.int64s(), eos = Int64(model.config.eosTokenID)
        let positions = (0..<rows).map { row in (0..<length).filter { flat[row * length + $0] == eos } }
        guard let count = positions.first?.count, count > 0, positions.allSatisfy({ $0.count == count }) else {
            throw ModelError("All examples must have the same number of <eos> tokens.")
        }
        return positions.enumerated().map { ($0.offset, $0.element.last ?? 0) }
    }
}

/// `classification_head`: dropout, `dense`, tanh, dropout, `out_proj`.
struct BartClassificationHead: Module {
    let dense: Linear
    let dropout: Dropout
    let out_proj: Linear

    init(_ s: WeightScope, _ c: BartConfig, numLabels: Int) throws {
        dense = try Linear(s.child("dense"), in: c.dModel, out: c.dModel)
        dropout = Dropout(c.classifierDropout)
        out_proj = try Linear(s.child("out_proj"), in: c.dModel, out: numLabels)
    }

    func callAsFunction(_ sentence: Tensor) throws -> Tensor { try out_proj(dropout(dense(dropout(sentence)).tanh())) }
}
