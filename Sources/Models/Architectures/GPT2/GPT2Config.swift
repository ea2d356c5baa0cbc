import PythonText

/// GPT-2's hyper-parameters, from `config.json`, defaults from its `Architecture`.
public struct GPT2Config: Sendable {
    public let vocabSize: Int
    /// The longest sequence the position table covers (`n_positions`).
    public let nPositions: Int
    public let nEmbd: Int
    public let nLayer: Int
    public let nHead: Int
    /// The feed-forward width (`n_inner`, four times `n_embd` when null).
    public let nInner: Int
    public let activation: Activation
    public let layerNormEpsilon: Double
    /// Dropout probabilities (identity in eval mode; `print(model)` shows them).
    public let residPdrop, embdPdrop, attnPdrop: Double
    /// Whether scores are divided by `sqrt(head_dim)`, and also by the layer's number.
    public let scaleAttnWeights: Bool, scaleAttnByInverseLayerIdx: Bool

    public init(_ config: ModelConfig) throws {
        vocabSize = try config.positiveInt("vocab_size")
        nPositions = try config.positiveInt("n_positions")
        nEmbd = try config.positiveInt("n_embd")
        nLayer = try config.positiveInt("n_layer")
        nHead = try config.positiveInt("n_head")
        nInner = try config.optionalInt("n_inner") ?? 4 * nEmbd
        activation = try config.activation("activation_function")
        layerNormEpsilon = try config.positiveDouble("layer_norm_epsilon")
        residPdrop = try config.probability("resid_pdrop")
        embdPdrop = try config.probability("embd_pdrop")
        attnPdrop = try config.probability("attn_pdrop")
        scaleAttnWeights = config.field("scale_attn_weights")?.bool ?? true
        scaleAttnByInverseLayerIdx = config.field("scale_attn_by_inverse_layer_idx")?.bool ?? false
        guard nEmbd % nHead == 0 else {
            throw ModelError("\(config.path): n_embd \(nEmbd) is not a multiple of n_head \(nHead)")
        }
    }

    /// Each head's width.
    public var headDim: Int { nEmbd / nHead }
}
