import PythonText

/// Marian's hyper-parameters (`MarianConfig`), from `config.json`, defaults from its `Architecture`.
public struct MarianConfig: Sendable {
    /// The encoder's vocabulary, and the decoder's when the two share one table.
    public let vocabSize: Int
    /// The decoder's vocabulary when it has a table of its own (`decoder_vocab_size`, else `vocab_size`).
    public let decoderVocabSize: Int
    public let dModel: Int
    public let encoderLayers, decoderLayers: Int
    public let encoderAttentionHeads, decoderAttentionHeads: Int
    public let encoderFFNDim, decoderFFNDim: Int
    public let activation: Activation
    /// The positions the sinusoid table covers.
    public let maxPositionEmbeddings: Int
    /// Whether token embeddings are multiplied by `sqrt(d_model)`.
    public let scaleEmbedding: Bool
    /// Whether the encoder and the decoder read one `shared` table (else each its own `embed_tokens`).
    public let sharesEmbeddings: Bool
    /// Whether `lm_head` is the decoder's token table (`tie_word_embeddings`), else a weight of its own.
    public let tiesWordEmbeddings: Bool
    /// The padding token (the last of opus-mt's vocabularies), whose embedding row stays zero; nil when null.
    public let padTokenID: Int?
    /// The token the decoder starts from: the pad token in opus-mt's checkpoints.
    public let decoderStartTokenID: Int
    public let dropouts: BartDropouts

    public init(_ config: ModelConfig) throws {
        vocabSize = try config.positiveInt("vocab_size")
        // transformers' `decoder_vocab_size or vocab_size`: absent, it is the config's vocabulary, not the class default's
        decoderVocabSize = config.json["decoder_vocab_size"] == nil ? vocabSize : try config.optionalInt("decoder_vocab_size") ?? vocabSize
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
        sharesEmbeddings = config.field("share_encoder_decoder_embeddings")?.bool ?? true
        tiesWordEmbeddings = config.field("tie_word_embeddings")?.bool ?? true
        padTokenID = try config.optionalInt("pad_token_id")
        guard let start = try config.optionalInt("decoder_start_token_id") else {
            throw ModelError("\(config.path): decoder_start_token_id is null, but Marian's decoder starts from it (opus-mt's is the pad token)")
        }
        decoderStartTokenID = start
        dropouts = try BartDropouts(config)
        for (heads, name) in [(encoderAttentionHeads, "encoder_attention_heads"), (decoderAttentionHeads, "decoder_attention_heads")]
        where dModel % heads != 0 {
            throw ModelError("\(config.path): d_model \(dModel) is not a multiple of \(name) \(heads)")
        }
    }

    /// The vocabulary `lm_head` scores: the shared one, else the decoder's.
    var targetVocabSize: Int { sharesEmbeddings ? vocabSize : decoderVocabSize }
}

extension MarianConfig: BartLayout {
    var embedScale: Float { scaleEmbedding ? Float(dModel).squareRoot() : 1 }
}
