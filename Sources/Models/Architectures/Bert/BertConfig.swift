import PythonText

/// BERT's hyper-parameters, from `config.json`, defaults from its `Architecture`.
public struct BertConfig: Sendable {
    public let vocabSize: Int
    public let hiddenSize: Int
    public let numHiddenLayers: Int
    public let numAttentionHeads: Int
    public let intermediateSize: Int
    public let hiddenAct: Activation
    public let maxPositionEmbeddings: Int
    public let typeVocabSize: Int
    public let layerNormEps: Double
    /// The embeddings' `padding_idx`; nil when `pad_token_id` is null.
    public let padTokenID: Int?
    /// Dropout probabilities (identity in eval mode; `print(model)` shows them).
    public let hiddenDropoutProb, attentionProbsDropoutProb: Double
    /// The classification head's dropout; transformers uses `hidden_dropout_prob` when this is null.
    public let classifierDropout: Double?

    public init(_ config: ModelConfig) throws {
        vocabSize = try config.positiveInt("vocab_size")
        hiddenSize = try config.positiveInt("hidden_size")
        numHiddenLayers = try config.positiveInt("num_hidden_layers")
        numAttentionHeads = try config.positiveInt("num_attention_heads")
        intermediateSize = try config.positiveInt("intermediate_size")
        hiddenAct = try config.activation("hidden_act")
        maxPositionEmbeddings = try config.positiveInt("max_position_embeddings")
        typeVocabSize = try config.positiveInt("type_vocab_size")
        layerNormEps = try config.positiveDouble("layer_norm_eps")
        padTokenID = try config.optionalInt("pad_token_id")
        hiddenDropoutProb = try config.probability("hidden_dropout_prob")
        attentionProbsDropoutProb = try config.probability("attention_probs_dropout_prob")
        classifierDropout = try config.optionalProbability("classifier_dropout")
        guard hiddenSize % numAttentionHeads == 0 else {
            throw ModelError("\(config.path): hidden_size \(hiddenSize) is not a multiple of num_attention_heads \(numAttentionHeads)")
        }
        if let type = config.field("position_embedding_type")?.string, type != "absolute" {
            throw ModelError("\(config.path): position_embedding_type '\(type)' is not supported (sbpl has 'absolute')")
        }
    }
}
