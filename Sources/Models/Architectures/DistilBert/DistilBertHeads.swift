import TensorCore

// DistilBERT with a task's head on top of `DistilBertModel`, one struct per transformers class, each reading top
// to bottom like its `forward`.

/// DistilBERT with its classification head: first token -> `pre_classifier` -> ReLU -> `classifier`.
public struct DistilBertForSequenceClassification: Module {
    let distilbert: DistilBertModel
    let pre_classifier: Linear
    let classifier: Linear
    let dropout: Dropout
    /// config.json's `problem_type`, which decides the loss.
    let problemType: ProblemType

    init(_ weights: Weights, _ config: DistilBertConfig, numLabels: Int, problemType: String?) throws {
        self.problemType = ProblemType(problemType)
        distilbert = try DistilBertModel(weights, config, prefix: "distilbert.")
        pre_classifier = try Linear(.head(weights, "pre_classifier"), in: config.dim, out: config.dim)
        classifier = try Linear(.head(weights, "classifier"), in: config.dim, out: numLabels)
        dropout = Dropout(config.seqClassifDropout)
    }

    /// `model(**inputs)` -> `SequenceClassifierOutput` with `logits` `[batch, num_labels]`.
    public func callAsFunction(_ inputs: ModelInputs, checkInterrupt: () throws -> Void = {}) throws -> ModelOutput {
        let hidden = try distilbert.hiddenStates(inputs, checkInterrupt: checkInterrupt)
        let first = try hidden.view(at: [.all, .at(0), .all])      // [batch, dim]
        return try .classification(classifier(dropout(pre_classifier(first).relu())), inputs, problemType: problemType)
    }
}

/// DistilBERT with its masked-language-modeling head: `vocab_transform`, the activation, `vocab_layer_norm`, then
/// `vocab_projector` onto the vocabulary (its weight the word embeddings, tied as transformers ties it).
public struct DistilBertForMaskedLM: Module {
    let activation: Activation
    let distilbert: DistilBertModel
    let vocab_transform: Linear
    let vocab_layer_norm: LayerNorm
    let vocab_projector: Linear
    let mlm_loss_fct = CrossEntropyLoss()

    init(_ weights: Weights, _ config: DistilBertConfig) throws {
        activation = config.activation
        distilbert = try DistilBertModel(weights, config, prefix: "distilbert.")
        vocab_transform = try Linear(.head(weights, "vocab_transform"), in: config.dim, out: config.dim)
        vocab_layer_norm = try LayerNorm(.head(weights, "vocab_layer_norm"), dim: config.dim, eps: 1e-12)
        let projector = WeightScope.head(weights, "vocab_projector")
        vocab_projector = Linear(weight: distilbert.embeddings.word_embeddings.weight,
                                 bias: try projector.tensor("bias", [config.vocabSize], initial: .zeros))
    }

    /// `model(**inputs)` -> `MaskedLMOutput` with `logits` `[batch, seq, vocab_size]`.
    public func callAsFunction(_ inputs: ModelInputs, checkInterrupt: () throws -> Void = {}) throws -> ModelOutput {
        let hidden = try distilbert.hiddenStates(inputs, checkInterrupt: checkInterrupt)
        return try .maskedLM(vocab_projector(vocab_layer_norm(vocab_transform(hidden, then: activation))), inputs)
    }
}

/// DistilBERT with a label per token: `classifier` on each hidden state (NER).
public struct DistilBertForTokenClassification: Module {
    let distilbert: DistilBertModel
    let dropout: Dropout
    let classifier: Linear

    init(_ weights: Weights, _ config: DistilBertConfig, numLabels: Int) throws {
        distilbert = try DistilBertModel(weights, config, prefix: "distilbert.")
        dropout = Dropout(config.dropout)
        classifier = try Linear(.head(weights, "classifier"), in: config.dim, out: numLabels)
    }

    /// `model(**inputs)` -> `TokenClassifierOutput` with `logits` `[batch, seq, num_labels]`.
    public func callAsFunction(_ inputs: ModelInputs, checkInterrupt: () throws -> Void = {}) throws -> ModelOutput {
        let hidden = try distilbert.hiddenStates(inputs, checkInterrupt: checkInterrupt)
        return try .tokenClassification(classifier(dropout(hidden)), inputs)
    }
}

/// DistilBERT for extractive question answering: `qa_outputs` scores each token as the answer's start and end.
public struct DistilBertForQuestionAnswering: Module {
    let distilbert: DistilBertModel
    let qa_outputs: Linear
    let dropout: Dropout

    init(_ weights: Weights, _ config: DistilBertConfig) throws {
        distilbert = try DistilBertModel(weights, config, prefix: "distilbert.")
        qa_outputs = try Linear(.head(weights, "qa_outputs"), in: config.dim, out: 2)
        dropout = Dropout(config.qaDropout)
    }

    /// `model(**inputs)` -> `QuestionAnsweringModelOutput` with `start_logits` and `end_logits` `[batch, seq]`.
    public func callAsFunction(_ inputs: ModelInputs, checkInterrupt: () throws -> Void = {}) throws -> ModelOutput {
        let hidden = try distilbert.hiddenStates(inputs, checkInterrupt: checkInterrupt)
        return try .spans(qa_outputs(dropout(hidden)), inputs)
    }
}
