import TensorCore

/// BART (`modeling_bart.py`), in eval mode: an encoder and a decoder of post-LayerNorm layers over one `shared`
/// token table, positions learned with an offset of 2. The decoder attends to its own tokens causally (with a
/// `KeyValueCache` when generating) and to the encoder's output.
public struct BartModel: Module {
    public let config: BartConfig
    let shared: Embedding
    let encoder: BartEncoder
    let decoder: BartDecoder

    init(_ weights: Weights, _ config: BartConfig, prefix: String) throws {
        self.config = config
        let base = WeightScope(weights: weights, basePrefix: prefix, path: "")
        shared = try Embedding(base.child("shared"), count: config.vocabSize, dim: config.dModel, paddingIdx: config.padTokenID,
                               className: "BartScaledWordEmbedding")
        encoder = try BartEncoder(base.child("encoder"), config, shared: shared)
        decoder = try BartDecoder(base.child("decoder"), config, shared: shared)
    }

    /// The decoder's input when none is given: the ids shifted one to the right after `decoder_start_token_id`.
    func shiftedRight(_ ids: Tensor) -> Tensor { ids.shiftedRight(start: config.decoderStartTokenID, pad: config.padTokenID) }

    /// What one pass over `inputs` gives: the encoder's output, the decoder's last hidden state and, with
    /// `use_cache` (and no labels, as transformers turns the cache off for a loss), each decoder layer's
    /// `(self key, self value, cross key, cross value)`, as `past_key_values` holds them.
    struct Pass {
        let encoded: Tensor, decoded: Tensor
        let past: ModelOutput.Field?
    }

    /// The pass over `inputs`, the decoder reading `decoderIDs`.
    func hiddenStates(_ inputs: ModelInputs, decoderIDs: Tensor? = nil, checkInterrupt: () throws -> Void) throws -> Pass {
        let (ids, mask) = try inputs.validated(maxPositions: config.maxPositionEmbeddings, vocabSize: config.vocabSize)
        let encoded = try encoder(ids, mask: mask, recording: inputs.layerOutputs, checkInterrupt: checkInterrupt)
        let decoderIDs = decoderIDs ?? shiftedRight(ids)
        let decoderMask = Tensor(ints: [Int64](repeating: 1, count: decoderIDs.count), shape: decoderIDs.shape)
        let cache = inputs.useCache && inputs.labels == nil
            ? try KeyValueCache(layers: config.decoderLayers, batch: decoderIDs.shape[0], heads: config.decoderAttentionHeads,
                                headDim: config.dModel / config.decoderAttentionHeads, capacity: decoderIDs.shape[1])
            : nil
        let attended = EncoderOutput(encoded, mask: mask)
        let decoded = try decoder(decoderIDs, mask: decoderMask, past: 0, encoded: attended, cache: cache,
                                  recording: inputs.layerOutputs, checkInterrupt: checkInterrupt)
        let past = try cache?.encoderDecoderPast(attended, recorded: .clone, from: shared.weight)
        return Pass(encoded: encoded, decoded: decoded, past: past)
    }

    /// `BartModel(**inputs)` -> `Seq2SeqModelOutput`.
    public func callAsFunction(_ inputs: ModelInputs, checkInterrupt: () throws -> Void = {}) throws -> ModelOutput {
        let pass = try hiddenStates(inputs, decoderIDs: inputs.decoderInputIDs, checkInterrupt: checkInterrupt)
        return .seq2seq("Seq2SeqModelOutput", [("last_hidden_state", pass.decoded)], encoded: pass.encoded, past: pass.past)
    }
}

/// `embed_positions`: learned positions, looked up 2 rows on (BART's offset).
struct BartLearnedPositionalEmbedding: Module {
    let weight: Tensor
    var className: String { "BartLearnedPositionalEmbedding" }

    init(_ s: WeightScope, _ c: BartConfig) throws {
        weight = try s.tensor("weight", [c.maxPositionEmbeddings + 2, c.dModel], initial: .normal())
    }

    /// The embeddings of positions `past..<past + length`: `[length, d_model]`.
    func callAsFunction(length: Int, past: Int) throws -> Tensor {
        try weight.gatherRows(Tensor(ints: (0..<Int64(length)).map { $0 + Int64(past) + 2 }, shape: [length]))
    }

    var settings: String { "\(weight.shape[0]), \(weight.shape[1])" }
    var parameters: [(name: String, tensor: Tensor)] { [("weight", weight)] }
}

/// The encoder: embeddings, their layer norm, then the layers.
struct BartEncoder: Module {
    let embed_tokens: Embedding
    let embed_positions: BartLearnedPositionalEmbedding
    let layers: [BartEncoderLayer]
    let layernorm_embedding: LayerNorm
    let embedScale: Float

    init(_ s: WeightScope, _ c: BartConfig, shared: Embedding) throws {
        embed_tokens = Embedding(tied: shared, className: "BartScaledWordEmbedding")
        embed_positions = try BartLearnedPositionalEmbedding(s.child("embed_positions"), c)
        let stack = s.child("layers")
        layers = try (0..<c.encoderLayers).map { try BartEncoderLayer(stack.child("\($0)"), c) }
        layernorm_embedding = try LayerNorm(s.child("layernorm_embedding"), dim: c.dModel, eps: 1e-5)
        embedScale = c.embedScale
    }

    /// The encoder's output; `recording` keeps the embeddings' and each layer's output and attention probabilities
    /// as `encoder_hidden_states` and `encoder_attentions`, when asked.
    func callAsFunction(_ ids: Tensor, mask: Tensor, recording: LayerOutputs? = nil, checkInterrupt: () throws -> Void) throws -> Tensor {
        let x = try embedded(ids, past: 0)
        recording?.record(hidden: x, stack: "encoder_")
        return try layers.reduce(x) { x, layer in
            try checkInterrupt()
            let y = try layer(x, mask: mask, recording: recording)
            recording?.record(hidden: y, stack: "encoder_")
            return y
        }
    }
}

/// Post-LayerNorm encoder layer: self-attention, add & norm, feed-forward, add & norm.
struct BartEncoderLayer: Module {
    let self_attn: BartSdpaAttention
    let self_attn_layer_norm: LayerNorm
    let activation_fn: Activation
    let fc1, fc2: Linear
    let final_layer_norm: LayerNorm

    init(_ s: WeightScope, _ c: BartConfig) throws {
        self_attn = try BartSdpaAttention(s.child("self_attn"), dim: c.dModel, heads: c.encoderAttentionHeads)
        self_attn_layer_norm = try LayerNorm(s.child("self_attn_layer_norm"), dim: c.dModel, eps: 1e-5)
        activation_fn = c.activation
        fc1 = try Linear(s.child("fc1"), in: c.dModel, out: c.encoderFFNDim)
        fc2 = try Linear(s.child("fc2"), in: c.encoderFFNDim, out: c.dModel)
        final_layer_norm = try LayerNorm(s.child("final_layer_norm"), dim: c.dModel, eps: 1e-5)
    }

    func callAsFunction(_ x: Tensor, mask: Tensor, recording: LayerOutputs?) throws -> Tensor {
        try recording?.record(stack: "encoder_") {
            try self_attn.probabilities(query: x, keys: self_attn.heads(self_attn.k_proj(x)), mask: mask, causal: false)
        }
        let attended = try self_attn_layer_norm(self_attn.out_proj(self_attn.context(x, keysFrom: x, mask: mask, causal: false), adding: x))
        return try final_layer_norm(fc2(fc1(attended, then: activation_fn), adding: attended))
    }
}

/// The decoder: embeddings after the cached positions, their layer norm, then the layers.
struct BartDecoder: Module {
    let embed_tokens: Embedding
    let embed_positions: BartLearnedPositionalEmbedding
    let layers: [BartDecoderLayer]
    let layernorm_embedding: LayerNorm
    let embedScale: Float

    init(_ s: WeightScope, _ c: BartConfig, shared: Embedding) throws {
        embed_tokens = Embedding(tied: shared, className: "BartScaledWordEmbedding")
        embed_positions = try BartLearnedPositionalEmbedding(s.child("embed_positions"), c)
        let stack = s.child("layers")
        layers = try (0..<c.decoderLayers).map { try BartDecoderLayer(stack.child("\($0)"), c, layer: $0) }
        layernorm_embedding = try LayerNorm(s.child("layernorm_embedding"), dim: c.dModel, eps: 1e-5)
        embedScale = c.embedScale
    }

    /// The hidden states of `ids` (`[batch, n]`, after `past` cached positions); `mask` `[batch, past + n]`.
    /// `recording` keeps the embeddings' and each layer's output and attention probabilities as
    /// `decoder_hidden_states`, `decoder_attentions` and `cross_attentions`, when asked.
    func callAsFunction(_ ids: Tensor, mask: Tensor, past: Int, encoded: EncoderOutput, cache: KeyValueCache?,
                        recording: LayerOutputs? = nil, checkInterrupt: () throws -> Void) throws -> Tensor {
        var x = try embedded(ids, past: past)
        recording?.record(hidden: x, stack: "decoder_")
        for layer in layers {
            try checkInterrupt()
            x = try layer(x, mask: mask, encoded: encoded, cache: cache, recording: recording)
            recording?.record(hidden: x, stack: "decoder_")
        }
        cache?.advance(by: ids.shape[1])
        return x
    }
}

/// Post-LayerNorm decoder layer: causal self-attention, attention to the encoder, feed-forward, each added and
/// normalised.
struct BartDecoderLayer: Module {
    let self_attn: BartSdpaAttention
    let activation_fn: Activation
    let self_attn_layer_norm: LayerNorm
    let encoder_attn: BartSdpaAttention
    let encoder_attn_layer_norm: LayerNorm
    let fc1, fc2: Linear
    let final_layer_norm: LayerNorm
    let layer: Int

    init(_ s: WeightScope, _ c: BartConfig, layer: Int) throws {
        self_attn = try BartSdpaAttention(s.child("self_attn"), dim: c.dModel, heads: c.decoderAttentionHeads)
        activation_fn = c.activation
        self_attn_layer_norm = try LayerNorm(s.child("self_attn_layer_norm"), dim: c.dModel, eps: 1e-5)
        encoder_attn = try BartSdpaAttention(s.child("encoder_attn"), dim: c.dModel, heads: c.decoderAttentionHeads)
        encoder_attn_layer_norm = try LayerNorm(s.child("encoder_attn_layer_norm"), dim: c.dModel, eps: 1e-5)
        fc1 = try Linear(s.child("fc1"), in: c.dModel, out: c.decoderFFNDim)
        fc2 = try Linear(s.child("fc2"), in: c.decoderFFNDim, out: c.dModel)
        final_layer_norm = try LayerNorm(s.child("final_layer_norm"), dim: c.dModel, eps: 1e-5)
        self.layer = layer
    }

    func callAsFunction(_ x: Tensor, mask: Tensor, encoded: EncoderOutput, cache: KeyValueCache?, recording: LayerOutputs?) throws -> Tensor {
        var (k, v) = (try self_attn.heads(self_attn.k_proj(x)), try self_attn.heads(self_attn.v_proj(x)))
        if let cache { (k, v) = try cache.appending(layer: layer, keys: k, values: v) }
        try recording?.record(stack: "decoder_") { try self_attn.probabilities(query: x, keys: k, mask: mask, causal: true) }
        let own = try self_attn.context(query: x, keys: k, values: v, mask: mask, causal: true)
        let attended = try self_attn_layer_norm(self_attn.out_proj(own, adding: x))
        let (ck, cv) = try encoded.keysAndValues[layer] ?? (encoder_attn.heads(encoder_attn.k_proj(encoded.hidden)),
                                                            encoder_attn.heads(encoder_attn.v_proj(encoded.hidden)))
        if cache != nil { encoded.keysAndValues[layer] = (ck, cv) }
        try recording?.record(stack: "cross_") { try encoder_attn.probabilities(query: attended, keys: ck, mask: encoded.mask, causal: false) }
        let crossed = try encoder_attn.context(query: attended, keys: ck, values: cv, mask: encoded.mask, causal: false)
        let informed = try encoder_attn_layer_norm(encoder_attn.out_proj(crossed, adding: attended))
        return try final_layer_norm(fc2(fc1(informed, then: activation_fn), adding: informed))
    }
}

/// Multi-head attention: `k_proj`, `v_proj`, `q_proj`, `out_proj`.
struct BartSdpaAttention: Module {
    let k_proj, v_proj, q_proj, out_proj: Linear
    let heads: Int

    init(_ s: WeightScope, dim: Int, heads: Int) throws {
        k_proj = try Linear(s.child("k_proj"), in: dim, out: dim)
        v_proj = try Linear(s.child("v_proj"), in: dim, out: dim)
        q_proj = try Linear(s.child("q_proj"), in: dim, out: dim)
        out_proj = try Linear(s.child("out_proj"), in: dim, out: dim)
        self.heads = heads
    }

    /// `[batch, n, dim]` split into heads: `[batch, heads, n, head_dim]` (a view).
    func heads(_ x: Tensor) throws -> Tensor {
        let (batch, n, dim) = (x.shape[0], x.shape[1], x.shape[2])
        return try x.reshaped([batch, n, heads, dim / heads]).permuted([0, 2, 1, 3])
    }

    /// Attention of `x` to `source` (itself, or the encoder's output) before `out_proj`: `[batch, n, dim]`.
    func context(_ x: Tensor, keysFrom source: Tensor, mask: Tensor, causal: Bool) throws -> Tensor {
        try context(query: x, keys: heads(k_proj(source)), values: heads(v_proj(source)), mask: mask, causal: causal)
    }

    /// The attention probabilities of `query`'s projection over given keys (split into heads), as `output_attentions`
    /// returns them.
    func probabilities(query: Tensor, keys: Tensor, mask: Tensor, causal: Bool) throws -> Tensor {
        try Attention.probabilities(query: heads(q_proj(query)), key: keys, mask: mask,
                                    scale: 1 / Float(query.shape[2] / heads).squareRoot(), causal: causal)
    }

    /// Attention of `query`'s projection to given keys and values (split into heads), `mask` over the keys.
    func context(query: Tensor, keys: Tensor, values: Tensor, mask: Tensor, causal: Bool) throws -> Tensor {
        let (batch, n, dim) = (query.shape[0], query.shape[1], query.shape[2])
        let context = try Tensor.scaledDotProductAttention(query: heads(q_proj(query)), key: keys, value: values, keyMask: mask,
                                                           scale: 1 / Float(dim / heads).squareRoot(), causal: causal)
        return try context.permuted([0, 2, 1, 3]).reshaped([batch, n, dim])
    }
}

/// BART's encoder and decoder embed their input alike: scaled token embeddings plus learned positions, normalised.
protocol BartEmbedding {
    var embed_tokens: Embedding { get }
    var embed_positions: BartLearnedPositionalEmbedding { get }
    var layernorm_embedding: LayerNorm { get }
    var embedScale: Float { get }
}

extension BartEmbedding {
    /// `layernorm_embedding(embed_tokens(ids) * scale + embed_positions(positions past..<past + n))`.
    func embedded(_ ids: Tensor, past: Int) throws -> Tensor {
        let tokens = try embed_tokens(ids).combined(.mul, .float(Double(embedScale)))
        return try layernorm_embedding(tokens.combined(.add, embed_positions(length: ids.shape[1], past: past)))
    }
}

extension BartEncoder: BartEmbedding {}
extension BartDecoder: BartEmbedding {}

extension BartSdpaAttention: SdpaAttentionModule {
    var eagerFallbackWarning: String {
        sdpaFallbackWarning("BartModel is using BartSdpaAttention, but `torch.nn.functional.scaled_dot_product_attention` does not support `output_attentions=True` or `layer_head_mask` not None.")
    }
}
