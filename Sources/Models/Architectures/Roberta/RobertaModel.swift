import TensorCore

/// RoBERTa (`modeling_roberta.py`): BERT's encoder (built under the family name `Roberta`) over
/// embeddings whose positions count only the tokens that are not padding, from `padding_idx + 1` on.
public struct RobertaModel: Module {
    public let config: BertConfig
    let embeddings: RobertaEmbeddings
    let encoder: BertEncoder
    /// nil when the checkpoint has no pooler, and for the heads (`add_pooling_layer=False`).
    let pooler: BertPooler?

    init(_ weights: Weights, _ config: BertConfig, prefix: String, pooling: Bool = true) throws {
        self.config = config
        let base = WeightScope(weights: weights, basePrefix: prefix, path: "")
        embeddings = try RobertaEmbeddings(base.child("embeddings"), config)
        encoder = try BertEncoder(base.child("encoder"), config, family: "Roberta")
        let wanted = pooling && weights.contains("pooler.dense.weight", prefix: prefix)
        pooler = wanted ? try BertPooler(base.child("pooler"), config, family: "Roberta") : nil
    }

    func hiddenStates(_ inputs: ModelInputs, checkInterrupt: () throws -> Void) throws -> Tensor {
        // positions run from padding_idx + 1, so two fewer than the table holds
        let usable = config.maxPositionEmbeddings - (config.padTokenID ?? 1) - 1
        let (ids, mask) = try inputs.validated(maxPositions: usable, vocabSize: config.vocabSize)
        return try encoder(embeddings(ids), mask: mask, recording: inputs.layerOutputs, checkInterrupt: checkInterrupt)
    }
}

extension RobertaModel: BertPooledModel {}

/// Word + position + token type embeddings, normalised; the positions come from the ids (`padding_idx` for padding).
struct RobertaEmbeddings: Module {
    let word_embeddings, position_embeddings, token_type_embeddings: Embedding
    let LayerNorm: LayerNorm
    let dropout: Dropout
    let paddingIdx: Int

    init(_ s: WeightScope, _ c: BertConfig) throws {
        paddingIdx = c.padTokenID ?? 1
        word_embeddings = try Embedding(s.child("word_embeddings"), count: c.vocabSize, dim: c.hiddenSize, paddingIdx: c.padTokenID)
        position_embeddings = try Embedding(s.child("position_embeddings"), count: c.maxPositionEmbeddings, dim: c.hiddenSize,
                                            paddingIdx: c.padTokenID)
        token_type_embeddings = try Embedding(s.child("token_type_embeddings"), count: c.typeVocabSize, dim: c.hiddenSize)
        LayerNorm = try Models.LayerNorm(s.child("LayerNorm"), dim: c.hiddenSize, eps: c.layerNormEps)
        dropout = Dropout(c.hiddenDropoutProb)
    }

    /// `create_position_ids_from_input_ids`: each token that is not padding counts up from `padding_idx + 1`.
    func positions(_ ids: Tensor) -> Tensor {
        let (rows, length) = (ids.shape[0], ids.shape[1])
        var positions = [Int64](repeating: Int64(paddingIdx), count: rows * length)
        let flat = ids.int64s()
        for row in 0..<rows {
            var count = 0
            for i in row * length..<(row + 1) * length where flat[i] != Int64(paddingIdx) {
                count += 1
                positions[i] = Int64(paddingIdx + count)
            }
        }
        return Tensor(ints: positions, shape: ids.shape)
    }

    /// `[batch, seq]` ids -> `[batch, seq, hidden]` (dropped out in training); token type 0 throughout.
    func callAsFunction(_ ids: Tensor) throws -> Tensor {
        let types = Tensor(zeros: ids.shape, dtype: .int64)
        let sum = try word_embeddings(ids).combined(.add, token_type_embeddings(types))
        return try dropout(LayerNorm(sum.combined(.add, position_embeddings(positions(ids)))))
    }
}
