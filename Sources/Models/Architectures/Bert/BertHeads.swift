import TensorCore

// BERT with a task's head on top of `BertModel`, one struct per transformers class, each reading top to bottom
// like its `forward`.

/// BERT with its classification head: pooler (dense + tanh) -> `classifier`.
public struct BertForSequenceClassification: Module {
    let bert: BertModel
    let dropout: Dropout
    let classifier: Linear
    /// config.json's `problem_type`, which decides the loss.
    let problemType: ProblemType

    init(_ weights: Weights, _ config: BertConfig, numLabels: Int, problemType: String?) throws {
        self.problemType = ProblemType(problemType)
        bert = try BertModel(weights, config, prefix: "bert.", pooling: .required)
        dropout = Dropout(config.classifierDropout ?? config.hiddenDropoutProb)
        classifier = try Linear(.head(weights, "classifier"), in: config.hiddenSize, out: numLabels)
    }

    /// `model(**inputs)` -> `SequenceClassifierOutput` with `logits` `[batch, num_labels]`.
    public func callAsFunction(_ inputs: ModelInputs, checkInterrupt: () throws -> Void = {}) throws -> ModelOutput {
        let hidden = try bert.hiddenStates(inputs, checkInterrupt: checkInterrupt)
        guard let pooler = bert.pooler else { throw ModelError("BertForSequenceClassification needs a pooler") }
        return try .classification(classifier(dropout(pooler(hidden))), inputs, problemType: problemType)
    }
}

/// BERT with its masked-language-modeling head: `cls.predictions` transforms each hidden state and scores it
/// against every word embedding (the decoder's weight is the embedding table, tied as transformers ties it).
public struct BertForMaskedLM: Module {
    let bert: BertModel
    let cls: BertOnlyMLMHead

    init(_ weights: Weights, _ config: BertConfig) throws {
        bert = try BertModel(weights, config, prefix: "bert.", pooling: .none)
        cls = try BertOnlyMLMHead(.head(weights, "cls"), config, wordEmbeddings: bert.embeddings.word_embeddings.weight)
    }

    /// `model(**inputs)` -> `MaskedLMOutput` with `logits` `[batch, seq, vocab_size]`.
    public func callAsFunction(_ inputs: ModelInputs, checkInterrupt: () throws -> Void = {}) throws -> ModelOutput {
        let hidden = try bert.hiddenStates(inputs, checkInterrupt: checkInterrupt)
        let p = cls.predictions
        return try .maskedLM(p.decoder(p.transform.LayerNorm(p.transform.dense(hidden, then: p.transform.transform_act_fn))), inputs)
    }
}

/// `cls`: only the masked-LM predictions (BERT's pre-training head also has next-sentence prediction).
struct BertOnlyMLMHead: Module {
    let predictions: BertLMPredictionHead

    init(_ s: WeightScope, _ c: BertConfig, wordEmbeddings: Tensor) throws {
        predictions = try BertLMPredictionHead(s.child("predictions"), c, wordEmbeddings: wordEmbeddings)
    }
}

/// The transform, then the decoder onto the vocabulary, whose bias is the head's own `bias`.
struct BertLMPredictionHead: Module {
    let transform: BertPredictionHeadTransform
    let decoder: Linear

    init(_ s: WeightScope, _ c: BertConfig, wordEmbeddings: Tensor) throws {
        transform = try BertPredictionHeadTransform(s.child("transform"), c)
        decoder = Linear(weight: wordEmbeddings, bias: try s.tensor("bias", [c.vocabSize], initial: .zeros))
    }

    var parameters: [(name: String, tensor: Tensor)] { decoder.bias.map { [("bias", $0)] } ?? [] }
}

/// `dense`, the activation, `LayerNorm`.
struct BertPredictionHeadTransform: Module {
    let dense: Linear
    let transform_act_fn: Activation
    let LayerNorm: LayerNorm

    init(_ s: WeightScope, _ c: BertConfig) throws {
        dense = try Linear(s.child("dense"), in: c.hiddenSize, out: c.hiddenSize)
        transform_act_fn = c.hiddenAct
        LayerNorm = try Models.LayerNorm(s.child("LayerNorm"), dim: c.hiddenSize, eps: c.layerNormEps)
    }
}

/// BERT with a label per token: `classifier` on each hidden state (NER).
public struct BertForTokenClassification: Module {
    let bert: BertModel
    let dropout: Dropout
    let classifier: Linear

    init(_ weights: Weights, _ config: BertConfig, numLabels: Int) throws {
        bert = try BertModel(weights, config, prefix: "bert.", pooling: .none)
        dropout = Dropout(config.classifierDropout ?? config.hiddenDropoutProb)
        classifier = try Linear(.head(weights, "classifier"), in: config.hiddenSize, out: numLabels)
    }

    /// `model(**inputs)` -> `TokenClassifierOutput` with `logits` `[batch, seq, num_labels]`.
    public func callAsFunction(_ inputs: ModelInputs, checkInterrupt: () throws -> Void = {}) throws -> ModelOutput {
        let hidden = try bert.hiddenStates(inputs, checkInterrupt: checkInterrupt)
        return try .tokenClassification(classifier(dropout(hidden)), inputs)
    }
}

/// BERT for extractive question answering: `qa_outputs` scores each token as the answer's start and end.
public struct BertForQuestionAnswering: Module {
    let bert: BertModel
    let qa_outputs: Linear

    init(_ weights: Weights, _ config: BertConfig, numLabels: Int) throws {
        bert = try BertModel(weights, config, prefix: "bert.", pooling: .none)
        qa_outputs = try Linear(.head(weights, "qa_outputs"), in: config.hiddenSize, out: numLabels)
    }

    /// `model(**inputs)` -> `QuestionAnsweringModelOutput` with `start_logits` and `end_logits` `[batch, seq]`.
    public func callAsFunction(_ inputs: ModelInputs, checkInterrupt: () throws -> Void = {}) throws -> ModelOutput {
        try .spans(qa_outputs(bert.hiddenStates(inputs, checkInterrupt: checkInterrupt)), inputs)
    }
}
