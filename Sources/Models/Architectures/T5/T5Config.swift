import PythonText

/// T5's hyper-parameters, from `config.json`, defaults from its `Architecture`.
public struct T5Config: Sendable {
    public let vocabSize: Int
    public let dModel: Int
    /// Each head's size (`d_kv`), not necessarily `d_model / num_heads`.
    public let dKV: Int
    public let dFF: Int
    public let numLayers, numDecoderLayers: Int
    public let numHeads: Int
    /// How many relative-position buckets the first layer's bias table has, and the distance past which every
    /// position falls in the last one.
    public let relativeAttentionNumBuckets: Int
    public let relativeAttentionMaxDistance: Int
    public let layerNormEpsilon: Double
    public let dropoutRate: Double
    /// The feed-forward's activation (`dense_act_fn`, from `feed_forward_proj`: `relu` for T5 v1.0, `gated-gelu`'s
    /// `gelu_new` for v1.1 and FLAN-T5), and whether a second projection gates it.
    public let activation: Activation
    public let isGatedAct: Bool
    /// Whether `lm_head` is the `shared` table, the decoder's output then scaled by `d_model ** -0.5`.
    public let tieWordEmbeddings: Bool
    public let padTokenID: Int
    public let decoderStartTokenID: Int

    public init(_ config: ModelConfig) throws {
        vocabSize = try config.positiveInt("vocab_size")
        dModel = try config.positiveInt("d_model")
        dKV = try config.positiveInt("d_kv")
        dFF = try config.positiveInt("d_ff")
        numLayers = try config.positiveInt("num_layers")
        numDecoderLayers = try config.optionalInt("num_decoder_layers") ?? numLayers
        numHeads = try config.positiveInt("num_heads")
        relativeAttentionNumBuckets = try config.positiveInt("relative_attention_num_buckets")
        relativeAttentionMaxDistance = try config.positiveInt("relative_attention_max_distance")
        layerNormEpsilon = config.field("layer_norm_epsilon")?.number ?? 1e-6
        dropoutRate = try config.probability("dropout_rate")
        let projection = (config.field("feed_forward_proj")?.string ?? "relu").split(separator: "-").map(String.init)
        isGatedAct = projection.count == 2 && projection[0] == "gated"
        let name = projection == ["gated", "gelu"] ? "gelu_new" : projection.last ?? "relu"
        guard let activation = Activation(rawValue: name), projection.count == 1 || isGatedAct else {
            throw ModelError("\(config.path): feed_forward_proj '\(projection.joined(separator: "-"))' is not supported by sbpl (it has relu, gelu, gelu_new and their gated- forms)")
        }
        self.activation = activation
        tieWordEmbeddings = config.field("tie_word_embeddings")?.bool ?? true
        padTokenID = try config.optionalInt("pad_token_id") ?? 0
        decoderStartTokenID = try config.optionalInt("decoder_start_token_id") ?? padTokenID
    }
}
