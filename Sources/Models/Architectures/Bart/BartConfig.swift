import PythonText

/// BART's hyper-parameters, from `config.json`, defaults from its `Architecture`.
public struct BartConfig: Sendable {
    public let vocabSize: Int
    public let dModel: Int
    public let encoderLayers, decoderLayers: Int
    public let encoderAttentionHeads, decoderAttentionHeads: Int
    public let encoderFFNDim, decoderFFNDim: Int
    public let activation: Activation
    public let maxPositionEmbeddings: Int
    /// Whether token embeddings are multiplied by `sqrt(d_model)`.
    public let scaleEmbedding: Bool
    public let padTokenID: Int
    public let eosTokenID: Int
    public let decoderStartTokenID: Int
    /// Dropout probabilities (identity in eval mode; `print(model)` shows the classifier's).
    public let classifierDropout: Double

    public init(_ config: ModelConfig) throws {
        vocabSize = try config.positiveInt("vocab_size")
        dModel = try config.positiveInt("d_model")
        encoderLayers = try config.positiveInt("encoder_layers")
        decoderLayers = try config.positiveInt("decoder_layers")
        encoderAttentionHeads = try config.positiveInt("encoder_attention_heads")
        decoderAttentionHeads = try config.positiveInt("decoder_attention_heads")
        encoderFFNDim = try config.positiveInt("encoder_ffn_dim")
        decoderFFNDim = try config.positiveInt("decoder_ffn_dim")
        activation = try config.activation("activation_function")
        maxPositionEmbeddings = try config.positiveInt("max_position_embeddings")
        scaleEmbedding = config.field("scale_embedding")?.bool ?? false
        padTokenID = try config.optionalInt("pad_token_id") ?? 1
        eosTokenID = try config.optionalInt("eos_token_id") ?? 2
        decoderStartTokenID = try config.optionalInt("decoder_start_token_id") ?? 2
        classifierDropout = try config.probability("classifier_dropout")
        for (heads, name) in [(encoderAttentionHeads, "encoder_attention_heads"), (decoderAttentionHeads, "decoder_attention_heads")]
        where dModel % heads != 0 {
            throw ModelError("\(config.path): d_model \(dModel) is not a multiple of \(name) \(heads)")
        }
    }

    /// What token embeddings are multiplied by.
    var embedScale: Float { scaleEmbedding ? Float(dModel).squareRoot() : 1 }
}
