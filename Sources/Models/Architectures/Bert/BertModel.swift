import TensorCore

/// BERT (`modeling_bert.py`), in eval mode, with its pooler. Each module's properties are its children, named and
/// ordered as the checkpoint and `print(model)` name them (see `Module`).
public struct BertModel: Module {
    public let config: BertConfig
    let embeddings: BertEmbeddings
    let encoder: BertEncoder
    /// nil when the checkpoint has no pooler.
    let pooler: BertPooler?

    init(_ weights: Weights, _ config: BertConfig, prefix: String, requirePooler: Bool = false) throws {
        self.config = config
        let base = WeightScope(weights: weights, basePrefix: prefix, path: "")
        embeddings = try BertEmbeddings(base.child("embeddings"), config)
        encoder = try BertEncoder(base.child("encoder"), config)
        let hasPooler = weights.contains("pooler.dense.weight", prefix: prefix)
        pooler = hasPooler || requirePooler ? try BertPooler(base.child("pooler"), config) : nil
    }

    func hiddenStates(_ inputs: ModelInputs, checkInterrupt: () throws -> Void) throws -> Tensor {
        let (ids, mask) = try inputs.validated(maxPositions: config.maxPositionEmbeddings, vocabSize: config.vocabSize)
        let types = inputs.tokenTypeIDs.map { $0.rank == 1 ? (try? $0.unsqueezed(0)) ?? $0 : $0 }
            ?? Tensor(zeros: ids.shape, dtype: .int64)
        guard types.shape == ids.shape, types.dtype == .int64 else {
            throw ModelError("token_type_ids has shape \(TensorShape(types.shape)) but input_ids has shape \(TensorShape(ids.shape))")
        }
        var x = try embeddings(ids, tokenTypes: types)
        for l in encoder.layer {
            try checkInterrupt()
            x = try l(x, mask: mask)
        }
        return x
    }

    /// `BertModel(**inputs)` -> `BaseModelOutputWithPoolingAndCrossAttentions`.
    public func callAsFunction(_ inputs: ModelInputs, checkInterrupt: () throws -> Void = {}) throws -> ModelOutput {
        let hidden = try hiddenStates(inputs, checkInterrupt: checkInterrupt)
        return .pooled(hidden, try pooler.map { try $0(hidden) })
    }
}

/// Word + position + token type embeddings, normalised.
struct BertEmbeddings: Module {
    let word_embeddings, position_embeddings, token_type_embeddings: Embedding
    let LayerNorm: LayerNorm
    let dropout: Dropout

    init(_ s: WeightScope, _ c: BertConfig) throws {
        word_embeddings = try Embedding(s.child("word_embeddings"), count: c.vocabSize, dim: c.hiddenSize, paddingIdx: c.padTokenID)
        position_embeddings = try Embedding(s.child("position_embeddings"), count: c.maxPositionEmbeddings, dim: c.hiddenSize)
        token_type_embeddings = try Embedding(s.child("token_type_embeddings"), count: c.typeVocabSize, dim: c.hiddenSize)
        LayerNorm = try Models.LayerNorm(s.child("LayerNorm"), dim: c.hiddenSize, eps: c.layerNormEps)
        dropout = Dropout(c.hiddenDropoutProb)
    }

    /// word + position + token type embeddings, normalised: `[batch, seq]` -> `[batch, seq, hidden]`.
    func callAsFunction(_ ids: Tensor, tokenTypes: Tensor) throws -> Tensor {
        let positions = Tensor(ints: (0..<Int64(ids.shape[1])).map { $0 }, shape: [ids.shape[1]])
        let sum = try word_embeddings(ids).combined(.add, token_type_embeddings(tokenTypes))
        return try LayerNorm(sum.combined(.add, position_embeddings(positions)))
    }
}

/// The stack of layers.
struct BertEncoder: Module {
    let layer: [BertLayer]

    init(_ s: WeightScope, _ c: BertConfig) throws {
        let layers = s.child("layer")
        layer = try (0..<c.numHiddenLayers).map { try BertLayer(layers.child("\($0)"), c) }
    }
}

/// Post-LayerNorm layer: self-attention, add & norm, feed-forward, add & norm.
struct BertLayer: Module {
    let attention: BertAttention
    let intermediate: BertIntermediate
    let output: BertOutput

    init(_ s: WeightScope, _ c: BertConfig) throws {
        attention = try BertAttention(s.child("attention"), c)
        intermediate = try BertIntermediate(s.child("intermediate"), c)
        output = try BertOutput("BertOutput", s.child("output"), c, in: c.intermediateSize)
    }

    func callAsFunction(_ x: Tensor, mask: Tensor) throws -> Tensor {
        let (q, out) = (attention.`self`, attention.output)
        let context = try Attention.context(q: q.query(x), k: q.key(x), v: q.value(x), mask: mask, heads: q.heads)
        let attended = try out.LayerNorm(out.dense(context, adding: x))
        let hidden = try intermediate.dense(attended, then: intermediate.intermediate_act_fn)
        return try output.LayerNorm(output.dense(hidden, adding: attended))
    }
}

/// Self-attention and its output projection.
struct BertAttention: Module {
    let `self`: BertSdpaSelfAttention
    let output: BertOutput

    init(_ s: WeightScope, _ c: BertConfig) throws {
        self.`self` = try BertSdpaSelfAttention(s.child("self"), c)
        output = try BertOutput("BertSelfOutput", s.child("output"), c, in: c.hiddenSize)
    }
}

/// The query, key and value projections.
struct BertSdpaSelfAttention: Module {
    let query, key, value: Linear
    let dropout: Dropout
    let heads: Int

    init(_ s: WeightScope, _ c: BertConfig) throws {
        let h = c.hiddenSize
        query = try Linear(s.child("query"), in: h, out: h)
        key = try Linear(s.child("key"), in: h, out: h)
        value = try Linear(s.child("value"), in: h, out: h)
        dropout = Dropout(c.attentionProbsDropoutProb)
        heads = c.numAttentionHeads
    }
}

/// `BertSelfOutput` and `BertOutput`: a projection back to the hidden size, added to the residual and normalised.
struct BertOutput: Module {
    let className: String
    let dense: Linear
    let LayerNorm: LayerNorm
    let dropout: Dropout

    init(_ className: String, _ s: WeightScope, _ c: BertConfig, in inputs: Int) throws {
        self.className = className
        dense = try Linear(s.child("dense"), in: inputs, out: c.hiddenSize)
        LayerNorm = try Models.LayerNorm(s.child("LayerNorm"), dim: c.hiddenSize, eps: c.layerNormEps)
        dropout = Dropout(c.hiddenDropoutProb)
    }
}

/// The feed-forward expansion and its activation.
struct BertIntermediate: Module {
    let dense: Linear
    let intermediate_act_fn: Activation

    init(_ s: WeightScope, _ c: BertConfig) throws {
        dense = try Linear(s.child("dense"), in: c.hiddenSize, out: c.intermediateSize)
        intermediate_act_fn = c.hiddenAct
    }
}

/// The pooled first token, `tanh(dense(h[:, 0]))`.
struct BertPooler: Module {
    let dense: Linear
    let activation = Tanh()

    init(_ s: WeightScope, _ c: BertConfig) throws {
        dense = try Linear(s.child("dense"), in: c.hiddenSize, out: c.hiddenSize)
    }

    func callAsFunction(_ hidden: Tensor) throws -> Tensor {
        try dense(hidden.view(at: [.all, .at(0), .all])).tanh()
    }
}

/// BERT with its classification head: pooler (dense + tanh) -> `classifier`.
public struct BertForSequenceClassification: Module {
    let bert: BertModel
    let dropout: Dropout
    let classifier: Linear

    init(_ weights: Weights, _ config: BertConfig, numLabels: Int) throws {
        bert = try BertModel(weights, config, prefix: "bert.", requirePooler: true)
        dropout = Dropout(config.classifierDropout ?? config.hiddenDropoutProb)
        classifier = try Linear(WeightScope(weights: weights, basePrefix: "", path: "").child("classifier"),
                                in: config.hiddenSize, out: numLabels)
    }

    /// `model(**inputs)` -> `SequenceClassifierOutput` with `logits` `[batch, num_labels]`.
    public func callAsFunction(_ inputs: ModelInputs, checkInterrupt: () throws -> Void = {}) throws -> ModelOutput {
        let hidden = try bert.hiddenStates(inputs, checkInterrupt: checkInterrupt)
        guard let pooler = bert.pooler else { throw ModelError("BertForSequenceClassification needs a pooler") }
        return .classification(try classifier(pooler(hidden)))
    }
}
