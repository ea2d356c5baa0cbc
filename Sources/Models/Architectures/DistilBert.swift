import TensorCore

/// DistilBERT (`modeling_distilbert.py`), in eval mode. Field names mirror the checkpoint's tensor names.
public struct DistilBertModel: Sendable {
    public let config: DistilBertConfig

    struct Embeddings {
        let word_embeddings: Embedding
        let position_embeddings: Embedding
        let LayerNorm: LayerNorm

        init(_ s: WeightScope, _ c: DistilBertConfig) throws {
            word_embeddings = try Embedding(s.child("word_embeddings"), count: c.vocabSize, dim: c.dim)
            position_embeddings = try Embedding(s.child("position_embeddings"), count: c.maxPositionEmbeddings, dim: c.dim)
            LayerNorm = try Models.LayerNorm(s.child("LayerNorm"), dim: c.dim, eps: c.layerNormEps)
        }

        /// `[batch, seq]` ids -> `[batch, seq, dim]`: word + position embeddings, normalised.
        func callAsFunction(_ ids: Tensor) throws -> Tensor {
            let positions = Tensor(ints: (0..<Int64(ids.shape[1])).map { $0 }, shape: [ids.shape[1]])
            return try LayerNorm(word_embeddings(ids).combined(.add, position_embeddings(positions)))
        }
    }

    struct TransformerBlock {
        let q_lin, k_lin, v_lin, out_lin: Linear
        let sa_layer_norm: LayerNorm
        let lin1, lin2: Linear
        let output_layer_norm: LayerNorm
        let heads: Int
        let activation: Activation

        init(_ s: WeightScope, _ c: DistilBertConfig) throws {
            let attention = s.child("attention"), ffn = s.child("ffn")
            q_lin = try Linear(attention.child("q_lin"), in: c.dim, out: c.dim)
            k_lin = try Linear(attention.child("k_lin"), in: c.dim, out: c.dim)
            v_lin = try Linear(attention.child("v_lin"), in: c.dim, out: c.dim)
            out_lin = try Linear(attention.child("out_lin"), in: c.dim, out: c.dim)
            sa_layer_norm = try LayerNorm(s.child("sa_layer_norm"), dim: c.dim, eps: c.layerNormEps)
            lin1 = try Linear(ffn.child("lin1"), in: c.dim, out: c.hiddenDim)
            lin2 = try Linear(ffn.child("lin2"), in: c.hiddenDim, out: c.dim)
            output_layer_norm = try LayerNorm(s.child("output_layer_norm"), dim: c.dim, eps: c.layerNormEps)
            heads = c.nHeads
            activation = c.activation
        }

        /// Post-LayerNorm block: self-attention, add & norm, feed-forward, add & norm.
        func callAsFunction(_ x: Tensor, mask: Tensor) throws -> Tensor {
            let context = try Attention.context(q: q_lin(x), k: k_lin(x), v: v_lin(x), mask: mask, heads: heads)
            let attended = try sa_layer_norm(out_lin(context, adding: x))
            return try output_layer_norm(lin2(lin1(attended, then: activation), adding: attended))
        }
    }

    let embeddings: Embeddings
    let layer: [TransformerBlock]

    init(_ weights: Weights, _ config: DistilBertConfig, prefix: String) throws {
        self.config = config
        let base = WeightScope(weights: weights, basePrefix: prefix, path: "")
        embeddings = try Embeddings(base.child("embeddings"), config)
        let layers = base.child("transformer").child("layer")
        layer = try (0..<config.nLayers).map { try TransformerBlock(layers.child("\($0)"), config) }
    }

    /// `last_hidden_state` `[batch, seq, dim]`; `checkInterrupt` runs between layers and may throw to stop.
    func hiddenStates(_ inputs: ModelInputs, checkInterrupt: () throws -> Void) throws -> Tensor {
        let (ids, mask) = try inputs.validated(maxPositions: config.maxPositionEmbeddings, vocabSize: config.vocabSize)
        var x = try embeddings(ids)
        for block in layer {
            try checkInterrupt()
            x = try block(x, mask: mask)
        }
        return x
    }

    /// `DistilBertModel(**inputs)` -> `BaseModelOutput`.
    public func callAsFunction(_ inputs: ModelInputs, checkInterrupt: () throws -> Void = {}) throws -> ModelOutput {
        .base(try hiddenStates(inputs, checkInterrupt: checkInterrupt))
    }
}

/// DistilBERT with its classification head: first token -> `pre_classifier` -> ReLU -> `classifier`.
public struct DistilBertForSequenceClassification: Sendable {
    let distilbert: DistilBertModel
    let pre_classifier: Linear
    let classifier: Linear

    init(_ weights: Weights, _ config: DistilBertConfig, numLabels: Int) throws {
        distilbert = try DistilBertModel(weights, config, prefix: "distilbert.")
        let head = WeightScope(weights: weights, basePrefix: "", path: "")
        pre_classifier = try Linear(head.child("pre_classifier"), in: config.dim, out: config.dim)
        classifier = try Linear(head.child("classifier"), in: config.dim, out: numLabels)
    }

    /// `model(**inputs)` -> `SequenceClassifierOutput` with `logits` `[batch, num_labels]`.
    public func callAsFunction(_ inputs: ModelInputs, checkInterrupt: () throws -> Void = {}) throws -> ModelOutput {
        let hidden = try distilbert.hiddenStates(inputs, checkInterrupt: checkInterrupt)
        let first = try hidden.view(at: [.all, .at(0), .all])      // [batch, dim]
        return .classification(try classifier(pre_classifier(first).relu()))
    }
}
