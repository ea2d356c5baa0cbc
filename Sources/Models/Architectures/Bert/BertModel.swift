import TensorCore

/// BERT (`modeling_bert.py`), with its pooler (the encoder's modules are in BertEncoder.swift). Each
/// module's properties are its children, named and ordered as the checkpoint and `print(model)` name them (see
/// `Module`).
public struct BertModel: Module {
    public let config: BertConfig
    let embeddings: BertEmbeddings
    let encoder: BertEncoder
    /// nil when the checkpoint has no pooler.
    let pooler: BertPooler?

    /// Whether the model has its pooler: `BertModel` when the checkpoint has one, the sequence classifier always,
    /// the heads on each token never (`add_pooling_layer=False`).
    enum Pooling { case ifInCheckpoint, required, none }

    init(_ weights: Weights, _ config: BertConfig, prefix: String, pooling: Pooling = .ifInCheckpoint) throws {
        self.config = config
        let base = WeightScope(weights: weights, basePrefix: prefix, path: "")
        embeddings = try BertEmbeddings(base.child("embeddings"), config)
        encoder = try BertEncoder(base.child("encoder"), config, family: "Bert")
        let wanted: Bool
        switch pooling {
        case .required: wanted = true
        case .ifInCheckpoint: wanted = weights.contains("pooler.dense.weight", prefix: prefix)
        case .none: wanted = false
        }
        pooler = wanted ? try BertPooler(base.child("pooler"), config, family: "Bert") : nil
    }

    func hiddenStates(_ inputs: ModelInputs, checkInterrupt: () throws -> Void) throws -> Tensor {
        let (ids, mask) = try inputs.validated(maxPositions: config.maxPositionEmbeddings, vocabSize: config.vocabSize)
        let types = inputs.tokenTypeIDs.map { $0.rank == 1 ? (try? $0.unsqueezed(0)) ?? $0 : $0 }
            ?? Tensor(zeros: ids.shape, dtype: .int64)
        guard types.shape == ids.shape, types.dtype == .int64 else {
            throw ModelError("token_type_ids has shape \(TensorShape(types.shape)) but input_ids has shape \(TensorShape(ids.shape))")
        }
        return try encoder(embeddings(ids, tokenTypes: types), mask: mask, recording: inputs.layerOutputs, checkInterrupt: checkInterrupt)
    }
}

extension BertModel: BertPooledModel {}

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

    /// word + position + token type embeddings, normalised (and dropped out in training): `[batch, seq]` ->
    /// `[batch, seq, hidden]`.
    func callAsFunction(_ ids: Tensor, tokenTypes: Tensor) throws -> Tensor {
        let positions = Tensor(ints: (0..<Int64(ids.shape[1])).map { $0 }, shape: [ids.shape[1]])
        let sum = try word_embeddings(ids).combined(.add, token_type_embeddings(tokenTypes))
        return try dropout(LayerNorm(sum.combined(.add, position_embeddings(positions))))
    }
}
