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
    public let dropouts: BartDropouts

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
        dropouts = try BartDropouts(config)
        for (heads, name) in [(encoderAttentionHeads, "encoder_attention_heads"), (decoderAttentionHeads, "decoder_attention_heads")]
        where dModel % heads != 0 {
            throw ModelError("\(config.path): d_model \(dModel) is not a multiple of \(name) \(heads)")
        }
    }

    /// What token embeddings are multiplied by.
    var embedScale: Float { scaleEmbedding ? Float(dModel).squareRoot() : 1 }
}

/// The probabilities BART's stacks drop with in training mode (BART's and Marian's configs name them alike).
public struct BartDropouts: Sendable {
    /// After the embeddings and each attention and feed-forward (`dropout`).
    public let dropout: Double
    /// The attention weights' (`attention_dropout`).
    public let attentionDropout: Double
    /// The feed-forward's inner activations' (`activation_dropout`).
    public let activationDropout: Double
    /// The chance that training skips a whole layer (`encoder_layerdrop`, `decoder_layerdrop`).
    public let encoderLayerdrop, decoderLayerdrop: Double

    init(_ config: ModelConfig) throws {
        dropout = try config.probability("dropout")
        attentionDropout = try config.probability("attention_dropout")
        activationDropout = try config.probability("activation_dropout")
        encoderLayerdrop = try config.probability("encoder_layerdrop")
        decoderLayerdrop = try config.probability("decoder_layerdrop")
    }
}
