import TensorCore

/// DistilBERT (`modeling_distilbert.py`). Each module's properties are its children, named and
/// ordered as the checkpoint and `print(model)` name them (see `Module`).
public struct DistilBertModel: Module {
    public let config: DistilBertConfig
    let embeddings: Embeddings
    let transformer: Transformer

    init(_ weights: Weights, _ config: DistilBertConfig, prefix: String) throws {
        self.config = config
        let base = WeightScope(weights: weights, basePrefix: prefix, path: "")
        embeddings = try Embeddings(base.child("embeddings"), config)
        transformer = try Transformer(base.child("transformer"), config)
    }

    /// `last_hidden_state` `[batch, seq, dim]`; `checkInterrupt` runs between layers and may throw to stop.
    func hiddenStates(_ inputs: ModelInputs, checkInterrupt: () throws -> Void) throws -> Tensor {
        let (ids, mask) = try inputs.validated(maxPositions: config.maxPositionEmbeddings, vocabSize: config.vocabSize)
        let recording = inputs.layerOutputs
        var x = try embeddings(ids)
        recording?.record(hidden: x)
        for block in transformer.layer {
            try checkInterrupt()
            x = try block(x, mask: mask, recording: recording)
            recording?.record(hidden: x)
        }
        return x
    }

    /// `DistilBertModel(**inputs)` -> `BaseModelOutput`.
    public func callAsFunction(_ inputs: ModelInputs, checkInterrupt: () throws -> Void = {}) throws -> ModelOutput {
        .base(try hiddenStates(inputs, checkInterrupt: checkInterrupt))
    }
}

/// Word + position embeddings, normalised.
struct Embeddings: Module {
    let word_embeddings: Embedding
    let position_embeddings: Embedding
    let LayerNorm: LayerNorm
    let dropout: Dropout

    init(_ s: WeightScope, _ c: DistilBertConfig) throws {
        word_embeddings = try Embedding(s.child("word_embeddings"), count: c.vocabSize, dim: c.dim, paddingIdx: c.padTokenID)
        position_embeddings = try Embedding(s.child("position_embeddings"), count: c.maxPositionEmbeddings, dim: c.dim)
        LayerNorm = try Models.LayerNorm(s.child("LayerNorm"), dim: c.dim, eps: c.layerNormEps)
        dropout = Dropout(c.dropout)
    }

    /// `[batch, seq]` ids -> `[batch, seq, dim]`: word + position embeddings, normalised (and dropped out in
    /// training).
    func callAsFunction(_ ids: Tensor) throws -> Tensor {
        let positions = Tensor(ints: (0..<Int64(ids.shape[1])).map { $0 }, shape: [ids.shape[1]])
        return try dropout(LayerNorm(word_embeddings(ids).combined(.add, position_embeddings(positions))))
    }
}

/// The stack of blocks.
struct Transformer: Module {
    let layer: [TransformerBlock]

    init(_ s: WeightScope, _ c: DistilBertConfig) throws {
        let layers = s.child("layer")
        layer = try (0..<c.nLayers).map { try TransformerBlock(layers.child("\($0)"), c) }
    }
}

/// Post-LayerNorm block: self-attention, add & norm, feed-forward, add & norm.
struct TransformerBlock: Module {
    let attention: DistilBertSdpaAttention
    let sa_layer_norm: LayerNorm
    let ffn: FFN
    let output_layer_norm: LayerNorm

    init(_ s: WeightScope, _ c: DistilBertConfig) throws {
        attention = try DistilBertSdpaAttention(s.child("attention"), c)
        sa_layer_norm = try LayerNorm(s.child("sa_layer_norm"), dim: c.dim, eps: c.layerNormEps)
        ffn = try FFN(s.child("ffn"), c)
        output_layer_norm = try LayerNorm(s.child("output_layer_norm"), dim: c.dim, eps: c.layerNormEps)
    }

    func callAsFunction(_ x: Tensor, mask: Tensor, recording: LayerOutputs?) throws -> Tensor {
        let a = attention
        let context = try Attention.context(q: a.q_lin(x), k: a.k_lin(x), v: a.v_lin(x), mask: mask, heads: a.heads,
                                            dropout: a.whileTraining(a.dropout.p), weightsDropout: a.dropout, recording: recording)
        let attended = try sa_layer_norm(a.out_lin(context, adding: x))
        return try output_layer_norm(ffn.dropout(ffn.lin2, ffn.lin1(attended, then: ffn.activation), adding: attended))
    }
}

/// Multi-head self-attention's projections.
struct DistilBertSdpaAttention: TrainingAware {
    let dropout: Dropout
    let q_lin, k_lin, v_lin, out_lin: Linear
    let heads: Int
    let mode = ModuleMode()

    init(_ s: WeightScope, _ c: DistilBertConfig) throws {
        dropout = Dropout(c.attentionDropout)
        q_lin = try Linear(s.child("q_lin"), in: c.dim, out: c.dim)
        k_lin = try Linear(s.child("k_lin"), in: c.dim, out: c.dim)
        v_lin = try Linear(s.child("v_lin"), in: c.dim, out: c.dim)
        out_lin = try Linear(s.child("out_lin"), in: c.dim, out: c.dim)
        heads = c.nHeads
    }
}

/// The feed-forward network: `lin2(activation(lin1(x)))`.
struct FFN: Module {
    let dropout: Dropout
    let lin1, lin2: Linear
    let activation: Activation

    init(_ s: WeightScope, _ c: DistilBertConfig) throws {
        dropout = Dropout(c.dropout)
        lin1 = try Linear(s.child("lin1"), in: c.dim, out: c.hiddenDim)
        lin2 = try Linear(s.child("lin2"), in: c.hiddenDim, out: c.dim)
        activation = c.activation
    }
}

extension DistilBertSdpaAttention: SdpaAttentionModule {
    var eagerFallbackWarning: String { sdpaFallbackWarning(sdpaUnsupported(className)) }
}
