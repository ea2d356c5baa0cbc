import PythonText

/// DistilBERT's hyper-parameters, from `config.json` with transformers' defaults.
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
    public let dropout, attentionDropout, seqClassifDropout: Double

    public init(_ config: ModelConfig) throws {
        vocabSize = try config.positiveInt("vocab_size", default: 30522)
        dim = try config.positiveInt("dim", default: 768)
        nLayers = try config.positiveInt("n_layers", default: 6)
        nHeads = try config.positiveInt("n_heads", default: 12)
        hiddenDim = try config.positiveInt("hidden_dim", default: 3072)
        activation = try config.activation("activation", default: "gelu")
        maxPositionEmbeddings = try config.positiveInt("max_position_embeddings", default: 512)
        padTokenID = try config.optionalInt("pad_token_id", default: 0)
        dropout = try config.probability("dropout", default: 0.1)
        attentionDropout = try config.probability("attention_dropout", default: 0.1)
        seqClassifDropout = try config.probability("seq_classif_dropout", default: 0.2)
        guard dim % nHeads == 0 else {
            throw ModelError("\(config.path): dim \(dim) is not a multiple of n_heads \(nHeads)")
        }
        if let raw = config.json["sinusoidal_pos_embds"], JSONNumber(raw) == .bool(true) {
            throw ModelError("\(config.path): sinusoidal_pos_embds is not supported by sbpl")
        }
    }
}
