import PythonText

/// DistilBERT's hyper-parameters, from `config.json`, defaults from its `Architecture`.
public struct DistilBertConfig: Sendable {
    public let vocabSize: Int
    public let dim: Int
    public let nLayers: Int
    public let nHeads: Int
    public let hiddenDim: Int
    public let activation: Activation
    public let maxPositionEmbeddings: Int
    /// DistilBERT's LayerNorms use 1e-12 whatever the config says, as in transformers.
    public let layerNormEps = 1e-12
    /// The word embeddings' `padding_idx`; nil when `pad_token_id` is null.
    public let padTokenID: Int?
    /// Dropout probabilities (identity in eval mode; `print(model)` shows them).
    public let dropout, attentionDropout, seqClassifDropout, qaDropout: Double

    public init(_ config: ModelConfig) throws {
        vocabSize = try config.positiveInt("vocab_size")
        dim = try config.positiveInt("dim")
        nLayers = try config.positiveInt("n_layers")
        nHeads = try config.positiveInt("n_heads")
        hiddenDim = try config.positiveInt("hidden_dim")
        activation = try config.activation("activation")
        maxPositionEmbeddings = try config.positiveInt("max_position_embeddings")
        padTokenID = try config.optionalInt("pad_token_id")
        dropout = try config.probability("dropout")
        attentionDropout = try config.probability("attention_dropout")
        seqClassifDropout = try config.probability("seq_classif_dropout")
        qaDropout = try config.probability("qa_dropout")
        guard dim % nHeads == 0 else {
            throw ModelError("\(config.path): dim \(dim) is not a multiple of n_heads \(nHeads)")
        }
        if config.field("sinusoidal_pos_embds") == .bool(true) {
            throw ModelError("\(config.path): sinusoidal_pos_embds is not supported by sbpl")
        }
    }
}
