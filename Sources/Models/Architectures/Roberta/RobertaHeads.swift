import TensorCore

// RoBERTa with a task's head on top of `RobertaModel` (built without its pooler), one struct per transformers class.

/// RoBERTa with its classification head on the first token (`<s>`): dense, tanh, `out_proj`.
public struct RobertaForSequenceClassification: Module {
    let roberta: RobertaModel
    let classifier: RobertaClassificationHead
    /// config.json's `problem_type`, which decides the loss.
    let problemType: ProblemType

    init(_ weights: Weights, _ config: BertConfig, numLabels: Int, problemType: String?) throws {
        self.problemType = ProblemType(problemType)
        roberta = try RobertaModel(weights, config, prefix: "roberta.", pooling: false)
        classifier = try RobertaClassificationHead(.head(weights, "classifier"), config, numLabels: numLabels)
    }

    /// `model(**inputs)` -> `SequenceClassifierOutput` with `logits` `[batch, num_labels]`.
    public func callAsFunction(_ inputs: ModelInputs, checkInterrupt: () throws -> Void = {}) throws -> ModelOutput {
        let hidden = try roberta.hiddenStates(inputs, checkInterrupt: checkInterrupt)
        return try .classification(classifier(hidden.view(at: [.all, .at(0), .all])), inputs, problemType: problemType)
    }
}

/// `classifier`: `dense` (with tanh after it) and `out_proj` onto the labels.
struct RobertaClassificationHead: Module {
    let dense: Linear
    let dropout: Dropout
    let out_proj: Linear

    init(_ s: WeightScope, _ c: BertConfig, numLabels: Int) throws {
        dense = try Linear(s.child("dense"), in: c.hiddenSize, out: c.hiddenSize)
        dropout = Dropout(c.classifierDropout ?? c.hiddenDropoutProb)
        out_proj = try Linear(s.child("out_proj"), in: c.hiddenSize, out: numLabels)
    }

    /// The first token's hidden state -> logits: dropout, `dense`, tanh, dropout, `out_proj`.
    func callAsFunction(_ first: Tensor) throws -> Tensor {
        try out_proj(dropout(dense(dropout(first)).tanh()))
    }
}

/// RoBERTa with its masked-language-modeling head: `lm_head` transforms each hidden state (dense, GELU, layer norm)
/// and scores it against every word embedding (the decoder's weight is the embedding table, tied).
public struct RobertaForMaskedLM: Module {
    let roberta: RobertaModel
    let lm_head: RobertaLMHead

    init(_ weights: Weights, _ config: BertConfig) throws {
        roberta = try RobertaModel(weights, config, prefix: "roberta.", pooling: false)
        lm_head = try RobertaLMHead(.head(weights, "lm_head"), config, wordEmbeddings: roberta.embeddings.word_embeddings.weight)
    }

    /// `model(**inputs)` -> `MaskedLMOutput` with `logits` `[batch, seq, vocab_size]`.
    public func callAsFunction(_ inputs: ModelInputs, checkInterrupt: () throws -> Void = {}) throws -> ModelOutput {
        let hidden = try roberta.hiddenStates(inputs, checkInterrupt: checkInterrupt)
        return try .maskedLM(lm_head.decoder(lm_head.layer_norm(lm_head.dense(hidden, then: .gelu))), inputs)
    }
}

/// `lm_head`: `dense`, `layer_norm`, and `decoder` onto the vocabulary with the head's own `bias`.
struct RobertaLMHead: Module {
    let dense: Linear
    let layer_norm: LayerNorm
    let decoder: Linear

    init(_ s: WeightScope, _ c: BertConfig, wordEmbeddings: Tensor) throws {
        dense = try Linear(s.child("dense"), in: c.hiddenSize, out: c.hiddenSize)
        layer_norm = try LayerNorm(s.child("layer_norm"), dim: c.hiddenSize, eps: c.layerNormEps)
        decoder = Linear(weight: wordEmbeddings, bias: try s.tensor("bias", [c.vocabSize], initial: .zeros))
    }

    var parameters: [(name: String, tensor: Tensor)] { decoder.bias.map { [("bias", $0)] } ?? [] }
}
