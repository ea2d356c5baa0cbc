import TensorCore

/// BERT (`modeling_bert.py`), in eval mode, with its pooler. Field names mirror the checkpoint's tensor names.
public struct BertModel: Sendable {
    public let config: BertConfig

    struct Embeddings {
        let word_embeddings, position_embeddings, token_type_embeddings: Embedding
        let LayerNorm: LayerNorm

        init(_ s: WeightScope, _ c: BertConfig) throws {
            word_embeddings = try Embedding(s.child("word_embeddings"), count: c.vocabSize, dim: c.hiddenSize)
            position_embeddings = try Embedding(s.child("position_embeddings"), count: c.maxPositionEmbeddings, dim: c.hiddenSize)
            token_type_embeddings = try Embedding(s.child("token_type_embeddings"), count: c.typeVocabSize, dim: c.hiddenSize)
            LayerNorm = try Models.LayerNorm(s.child("LayerNorm"), dim: c.hiddenSize, eps: c.layerNormEps)
        }

        /// word + position + token type embeddings, normalised: `[batch, seq]` -> `[batch, seq, hidden]`.
        func callAsFunction(_ ids: Tensor, tokenTypes: Tensor) throws -> Tensor {
            let positions = Tensor(ints: (0..<Int64(ids.shape[1])).map { $0 }, shape: [ids.shape[1]])
            let sum = try word_embeddings(ids).combined(.add, token_type_embeddings(tokenTypes))
            return try LayerNorm(sum.combined(.add, position_embeddings(positions)))
        }
    }

    struct Layer {
        let query, key, value: Linear          // attention.self.*
        let attentionOutput: Linear            // attention.output.dense
        let attentionLayerNorm: LayerNorm      // attention.output.LayerNorm
        let intermediate: Linear               // intermediate.dense
        let output: Linear                     // output.dense
        let outputLayerNorm: LayerNorm         // output.LayerNorm
        let heads: Int
        let activation: Activation

        init(_ s: WeightScope, _ c: BertConfig) throws {
            let (h, i) = (c.hiddenSize, c.intermediateSize)
            let attention = s.child("attention")
            query = try Linear(attention.child("self").child("query"), in: h, out: h)
            key = try Linear(attention.child("self").child("key"), in: h, out: h)
            value = try Linear(attention.child("self").child("value"), in: h, out: h)
            attentionOutput = try Linear(attention.child("output").child("dense"), in: h, out: h)
            attentionLayerNorm = try LayerNorm(attention.child("output").child("LayerNorm"), dim: h, eps: c.layerNormEps)
            intermediate = try Linear(s.child("intermediate").child("dense"), in: h, out: i)
            output = try Linear(s.child("output").child("dense"), in: i, out: h)
            outputLayerNorm = try LayerNorm(s.child("output").child("LayerNorm"), dim: h, eps: c.layerNormEps)
            heads = c.numAttentionHeads
            activation = c.hiddenAct
        }

        /// Post-LayerNorm layer: self-attention, add & norm, feed-forward, add & norm.
        func callAsFunction(_ x: Tensor, mask: Tensor) throws -> Tensor {
            let context = try Attention.context(q: query(x), k: key(x), v: value(x), mask: mask, heads: heads)
            let attended = try attentionLayerNorm(attentionOutput(context, adding: x))
            return try outputLayerNorm(output(intermediate(attended, then: activation), adding: attended))
        }
    }

    let embeddings: Embeddings
    let layer: [Layer]
    /// `pooler.dense`: tanh(dense(first token)); nil when the checkpoint has no pooler.
    let pooler: Linear?

    init(_ weights: Weights, _ config: BertConfig, prefix: String, requirePooler: Bool = false) throws {
        self.config = config
        let base = WeightScope(weights: weights, basePrefix: prefix, path: "")
        embeddings = try Embeddings(base.child("embeddings"), config)
        let layers = base.child("encoder").child("layer")
        layer = try (0..<config.numHiddenLayers).map { try Layer(layers.child("\($0)"), config) }
        let hasPooler = weights.contains("pooler.dense.weight", prefix: prefix)
        pooler = hasPooler || requirePooler
            ? try Linear(base.child("pooler").child("dense"), in: config.hiddenSize, out: config.hiddenSize) : nil
    }

    func hiddenStates(_ inputs: ModelInputs, checkInterrupt: () throws -> Void) throws -> Tensor {
        let (ids, mask) = try inputs.validated(maxPositions: config.maxPositionEmbeddings, vocabSize: config.vocabSize)
        let types = inputs.tokenTypeIDs.map { $0.rank == 1 ? (try? $0.unsqueezed(0)) ?? $0 : $0 }
            ?? Tensor(zeros: ids.shape, dtype: .int64)
        guard types.shape == ids.shape, types.dtype == .int64 else {
            throw ModelError("token_type_ids has shape \(TensorShape(types.shape)) but input_ids has shape \(TensorShape(ids.shape))")
        }
        var x = try embeddings(ids, tokenTypes: types)
        for l in layer {
            try checkInterrupt()
            x = try l(x, mask: mask)
        }
        return x
    }

    /// The pooled first token, `tanh(pooler.dense(h[:, 0]))`.
    func pool(_ hidden: Tensor) throws -> Tensor? {
        try pooler.map { try $0(hidden.view(at: [.all, .at(0), .all])).tanh() }
    }

    /// `BertModel(**inputs)` -> `BaseModelOutputWithPoolingAndCrossAttentions`.
    public func callAsFunction(_ inputs: ModelInputs, checkInterrupt: () throws -> Void = {}) throws -> ModelOutput {
        let hidden = try hiddenStates(inputs, checkInterrupt: checkInterrupt)
        return .pooled(hidden, try pool(hidden))
    }
}

/// BERT with its classification head: pooler (dense + tanh) -> `classifier`.
public struct BertForSequenceClassification: Sendable {
    let bert: BertModel
    let classifier: Linear

    init(_ weights: Weights, _ config: BertConfig, numLabels: Int) throws {
        bert = try BertModel(weights, config, prefix: "bert.", requirePooler: true)
        classifier = try Linear(WeightScope(weights: weights, basePrefix: "", path: "").child("classifier"),
                                in: config.hiddenSize, out: numLabels)
    }

    /// `model(**inputs)` -> `SequenceClassifierOutput` with `logits` `[batch, num_labels]`.
    public func callAsFunction(_ inputs: ModelInputs, checkInterrupt: () throws -> Void = {}) throws -> ModelOutput {
        let hidden = try bert.hiddenStates(inputs, checkInterrupt: checkInterrupt)
        guard let pooled = try bert.pool(hidden) else { throw ModelError("BertForSequenceClassification needs a pooler") }
        return .classification(try classifier(pooled))
    }
}
