import TensorCore

// BART's encoder and decoder, shared by the architectures transformers copies them to ("Copied from
// transformers.models.bart.modeling_bart.BartEncoderLayer with Bart->Marian"): the layers and stacks are generic
// over the family's attention class, whose `family` prefixes the class names `print(model)` shows, and each
// family brings its own positions (BART's learned, Marian's sinusoids) and says whether the embeddings are normalised.

/// The sizes BART's stacks are built from, which each family's config gives.
protocol BartLayout {
    /// The encoder's vocabulary (the ids `input_ids` may hold) and its positions.
    var vocabSize: Int { get }
    var maxPositionEmbeddings: Int { get }
    var dModel: Int { get }
    var encoderLayers: Int { get }
    var decoderLayers: Int { get }
    var encoderAttentionHeads: Int { get }
    var decoderAttentionHeads: Int { get }
    var encoderFFNDim: Int { get }
    var decoderFFNDim: Int { get }
    var activation: Activation { get }
    /// What token embeddings are multiplied by (`sqrt(d_model)` with `scale_embedding`, else 1).
    var embedScale: Float { get }
    /// What training mode drops.
    var dropouts: BartDropouts { get }
}

/// `embed_positions`: the embeddings of positions `past..<past + length`, `[length, d_model]`.
protocol PositionalEmbedding: Module {
    func callAsFunction(length: Int, past: Int) throws -> Tensor
}

/// Multi-head attention as BART computes it: `k_proj`, `v_proj`, `q_proj`, `out_proj`. Each family has its own class
/// (BART's `BartSdpaAttention`, which transformers runs with SDPA, Marian's eager `MarianAttention`).
protocol BartStyleAttention: TrainingAware {
    /// The family's name, which prefixes its modules' class names (`Bart`, `Marian`).
    static var family: String { get }
    /// How the family's attention scales its scores, which training mode's unfused attention follows.
    static var scaling: Attention.Scaling { get }
    var k_proj: Linear { get }
    var v_proj: Linear { get }
    var q_proj: Linear { get }
    var out_proj: Linear { get }
    var heads: Int { get }
    /// The attention weights' dropout probability, applied in training mode.
    var dropout: Double { get }
    init(k_proj: Linear, v_proj: Linear, q_proj: Linear, out_proj: Linear, heads: Int, dropout: Double)
}

extension BartStyleAttention {
    init(_ s: WeightScope, dim: Int, heads: Int, dropout: Double) throws {
        self.init(k_proj: try Linear(s.child("k_proj"), in: dim, out: dim), v_proj: try Linear(s.child("v_proj"), in: dim, out: dim),
                  q_proj: try Linear(s.child("q_proj"), in: dim, out: dim), out_proj: try Linear(s.child("out_proj"), in: dim, out: dim),
                  heads: heads, dropout: dropout)
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

    /// Attention of `query`'s projection to given keys and values (split into heads), `mask` over the keys; in
    /// training mode its weights dropped as the family's unfused attention drops them.
    func context(query: Tensor, keys: Tensor, values: Tensor, mask: Tensor, causal: Bool) throws -> Tensor {
        let (batch, n, dim) = (query.shape[0], query.shape[1], query.shape[2])
        let context = try Attention.attend(query: heads(q_proj(query)), key: keys, value: values, mask: mask,
                                           scale: 1 / Float(dim / heads).squareRoot(), causal: causal,
                                           dropout: whileTraining(dropout), scaling: Self.scaling)
        return try context.permuted([0, 2, 1, 3]).reshaped([batch, n, dim])
    }
}

/// The encoder: scaled token embeddings plus positions (normalised in BART), then the layers.
struct BartEncoder<SelfAttention: BartStyleAttention>: TrainingAware, BartStack {
    let embed_tokens: Embedding
    let embed_positions: any PositionalEmbedding
    let layers: [BartEncoderLayer<SelfAttention>]
    let layernorm_embedding: LayerNorm?
    let embedScale: Float
    let dropout, layerdrop: Double
    let mode = ModuleMode()

    /// `normalized`: whether the embeddings go through `layernorm_embedding` (BART) or not (Marian).
    init(_ s: WeightScope, _ c: some BartLayout, tokens: Embedding, positions: any PositionalEmbedding, normalized: Bool) throws {
        embed_tokens = tokens
        embed_positions = positions
        let stack = s.child("layers")
        layers = try (0..<c.encoderLayers).map { try BartEncoderLayer(stack.child("\($0)"), c) }
        layernorm_embedding = normalized ? try LayerNorm(s.child("layernorm_embedding"), dim: c.dModel, eps: 1e-5) : nil
        embedScale = c.embedScale
        (dropout, layerdrop) = (c.dropouts.dropout, c.dropouts.encoderLayerdrop)
    }

    var className: String { SelfAttention.family + "Encoder" }

    /// The encoder's output; `recording` keeps the embeddings' and each layer's output and attention probabilities
    /// as `encoder_hidden_states` and `encoder_attentions`, when asked (None for a layer LayerDrop skips).
    func callAsFunction(_ ids: Tensor, mask: Tensor, recording: LayerOutputs? = nil, checkInterrupt: () throws -> Void) throws -> Tensor {
        let x = try embedded(ids, past: 0)
        recording?.record(hidden: x, stack: "encoder_")
        return try layers.reduce(x) { x, layer in
            try checkInterrupt()
            let skipped = skipsLayer()
            if skipped { recording?.recordNoAttention(stack: "encoder_") }
            let y = skipped ? x : try layer(x, mask: mask, recording: recording)
            recording?.record(hidden: y, stack: "encoder_")
            return y
        }
    }
}

/// Post-LayerNorm encoder layer: self-attention, add & norm, feed-forward, add & norm (each branch dropped out in
/// training mode).
struct BartEncoderLayer<SelfAttention: BartStyleAttention>: TrainingAware, BartFeedForward {
    let self_attn: SelfAttention
    let self_attn_layer_norm: LayerNorm
    let activation_fn: Activation
    let fc1, fc2: Linear
    let final_layer_norm: LayerNorm
    let dropout, activation_dropout: Double
    let mode = ModuleMode()

    init(_ s: WeightScope, _ c: some BartLayout) throws {
        (dropout, activation_dropout) = (c.dropouts.dropout, c.dropouts.activationDropout)
        self_attn = try SelfAttention(s.child("self_attn"), dim: c.dModel, heads: c.encoderAttentionHeads, dropout: c.dropouts.attentionDropout)
        self_attn_layer_norm = try LayerNorm(s.child("self_attn_layer_norm"), dim: c.dModel, eps: 1e-5)
        activation_fn = c.activation
        fc1 = try Linear(s.child("fc1"), in: c.dModel, out: c.encoderFFNDim)
        fc2 = try Linear(s.child("fc2"), in: c.encoderFFNDim, out: c.dModel)
        final_layer_norm = try LayerNorm(s.child("final_layer_norm"), dim: c.dModel, eps: 1e-5)
    }

    var className: String { SelfAttention.family + "EncoderLayer" }

    func callAsFunction(_ x: Tensor, mask: Tensor, recording: LayerOutputs?) throws -> Tensor {
        try recording?.record(stack: "encoder_") {
            try self_attn.probabilities(query: x, keys: self_attn.heads(self_attn.k_proj(x)), mask: mask, causal: false)
        }
        let own = try self_attn.context(x, keysFrom: x, mask: mask, causal: false)
        let attended = try self_attn_layer_norm(dropping(dropout, self_attn.out_proj, own, adding: x))
        return try final_layer_norm(feedForward(attended))
    }
}

/// The decoder: embeddings after the cached positions (normalised in BART), then the layers.
struct BartDecoder<SelfAttention: BartStyleAttention>: TrainingAware, BartStack {
    let embed_tokens: Embedding
    let embed_positions: any PositionalEmbedding
    let layers: [BartDecoderLayer<SelfAttention>]
    let layernorm_embedding: LayerNorm?
    let embedScale: Float
    let dropout, layerdrop: Double
    let mode = ModuleMode()

    init(_ s: WeightScope, _ c: some BartLayout, tokens: Embedding, positions: any PositionalEmbedding, normalized: Bool) throws {
        embed_tokens = tokens
        embed_positions = positions
        let stack = s.child("layers")
        layers = try (0..<c.decoderLayers).map { try BartDecoderLayer(stack.child("\($0)"), c, layer: $0) }
        layernorm_embedding = normalized ? try LayerNorm(s.child("layernorm_embedding"), dim: c.dModel, eps: 1e-5) : nil
        embedScale = c.embedScale
        (dropout, layerdrop) = (c.dropouts.dropout, c.dropouts.decoderLayerdrop)
    }

    var className: String { SelfAttention.family + "Decoder" }

    /// The hidden states of `ids` (`[batch, n]`, after `past` cached positions); `mask` `[batch, past + n]`.
    /// `recording` keeps what each layer is given and the last output, and each layer's attention probabilities,
    /// as `decoder_hidden_states`, `decoder_attentions` and `cross_attentions`, when asked; a layer LayerDrop skips
    /// adds no attentions and nothing to the cache, as in transformers.
    func callAsFunction(_ ids: Tensor, mask: Tensor, past: Int, encoded: EncoderOutput, cache: KeyValueCache?,
                        recording: LayerOutputs? = nil, checkInterrupt: () throws -> Void) throws -> Tensor {
        var x = try embedded(ids, past: past)
        recording?.beginAttentions(stacks: ["decoder_", "cross_"])
        for (i, layer) in layers.enumerated() {
            try checkInterrupt()
            recording?.record(hidden: x, stack: "decoder_")
            if skipsLayer() {
                try cache?.skip(layer: i)
                continue
            }
            x = try layer(x, mask: mask, encoded: encoded, cache: cache, recording: recording)
        }
        recording?.record(hidden: x, stack: "decoder_")
        cache?.advance(by: ids.shape[1])
        return x
    }
}

/// Post-LayerNorm decoder layer: causal self-attention, attention to the encoder, feed-forward, each added and
/// normalised (each branch dropped out in training mode).
struct BartDecoderLayer<SelfAttention: BartStyleAttention>: TrainingAware, BartFeedForward {
    let self_attn: SelfAttention
    let activation_fn: Activation
    let self_attn_layer_norm: LayerNorm
    let encoder_attn: SelfAttention
    let encoder_attn_layer_norm: LayerNorm
    let fc1, fc2: Linear
    let final_layer_norm: LayerNorm
    let layer: Int
    let dropout, activation_dropout: Double
    let mode = ModuleMode()

    init(_ s: WeightScope, _ c: some BartLayout, layer: Int) throws {
        (dropout, activation_dropout) = (c.dropouts.dropout, c.dropouts.activationDropout)
        let attentionDropout = c.dropouts.attentionDropout
        self_attn = try SelfAttention(s.child("self_attn"), dim: c.dModel, heads: c.decoderAttentionHeads, dropout: attentionDropout)
        activation_fn = c.activation
        self_attn_layer_norm = try LayerNorm(s.child("self_attn_layer_norm"), dim: c.dModel, eps: 1e-5)
        encoder_attn = try SelfAttention(s.child("encoder_attn"), dim: c.dModel, heads: c.decoderAttentionHeads, dropout: attentionDropout)
        encoder_attn_layer_norm = try LayerNorm(s.child("encoder_attn_layer_norm"), dim: c.dModel, eps: 1e-5)
        fc1 = try Linear(s.child("fc1"), in: c.dModel, out: c.decoderFFNDim)
        fc2 = try Linear(s.child("fc2"), in: c.decoderFFNDim, out: c.dModel)
        final_layer_norm = try LayerNorm(s.child("final_layer_norm"), dim: c.dModel, eps: 1e-5)
        self.layer = layer
    }

    var className: String { SelfAttention.family + "DecoderLayer" }

    func callAsFunction(_ x: Tensor, mask: Tensor, encoded: EncoderOutput, cache: KeyValueCache?, recording: LayerOutputs?) throws -> Tensor {
        var (k, v) = (try self_attn.heads(self_attn.k_proj(x)), try self_attn.heads(self_attn.v_proj(x)))
        if let cache { (k, v) = try cache.appending(layer: layer, keys: k, values: v) }
        try recording?.record(stack: "decoder_") { try self_attn.probabilities(query: x, keys: k, mask: mask, causal: true) }
        let own = try self_attn.context(query: x, keys: k, values: v, mask: mask, causal: true)
        let attended = try self_attn_layer_norm(dropping(dropout, self_attn.out_proj, own, adding: x))
        let (ck, cv) = try encoded.keysAndValues[layer] ?? (encoder_attn.heads(encoder_attn.k_proj(encoded.hidden)),
                                                            encoder_attn.heads(encoder_attn.v_proj(encoded.hidden)))
        if cache != nil { encoded.keysAndValues[layer] = (ck, cv) }
        try recording?.record(stack: "cross_") { try encoder_attn.probabilities(query: attended, keys: ck, mask: encoded.mask, causal: false) }
        let crossed = try encoder_attn.context(query: attended, keys: ck, values: cv, mask: encoded.mask, causal: false)
        let informed = try encoder_attn_layer_norm(dropping(dropout, encoder_attn.out_proj, crossed, adding: attended))
        return try final_layer_norm(feedForward(informed))
    }
}

/// The encoder and the decoder: they embed their input alike (scaled token embeddings plus positions, normalised
/// when the family has `layernorm_embedding`, dropped out in training mode), and in training mode each may skip a
/// layer (LayerDrop).
protocol BartStack: TrainingAware {
    var embed_tokens: Embedding { get }
    var embed_positions: any PositionalEmbedding { get }
    var layernorm_embedding: LayerNorm? { get }
    var embedScale: Float { get }
    var dropout: Double { get }
    var layerdrop: Double { get }
}

extension BartStack {
    /// `dropout(embed_tokens(ids) * scale + embed_positions(positions past..<past + n))`, through `layernorm_embedding`.
    func embedded(_ ids: Tensor, past: Int) throws -> Tensor {
        let tokens = try embed_tokens(ids).combined(.mul, .float(Double(embedScale)))
        let x = try tokens.combined(.add, embed_positions(length: ids.shape[1], past: past))
        return try (layernorm_embedding.map { try $0(x) } ?? x).dropout(p: whileTraining(dropout))
    }

    /// Whether training skips the next layer: in training mode each layer draws `torch.rand([])` from torch's
    /// generator, as transformers does whatever `layerdrop` is, and is skipped when the draw is below it (compared
    /// in float32, as torch compares a float32 tensor with a Python float).
    func skipsLayer() -> Bool {
        guard mode.isTraining else { return false }
        return RandomGenerator.uniform(1)[0] < Float(layerdrop)
    }
}

/// A layer's feed-forward, `x + dropout(fc2(dropout(activation_fn(fc1(x)), activation_dropout)))`.
protocol BartFeedForward: TrainingAware {
    var activation_fn: Activation { get }
    var fc1: Linear { get }
    var fc2: Linear { get }
    var dropout: Double { get }
    var activation_dropout: Double { get }
}

extension BartFeedForward {
    func feedForward(_ x: Tensor) throws -> Tensor {
        let hidden = try fc1(x, then: activation_fn).dropout(p: whileTraining(activation_dropout))
        return try dropping(dropout, fc2, hidden, adding: x)
    }
}

/// What one pass of an encoder-decoder of BART's stacks gives: the encoder's output, the decoder's last hidden state
/// and, with `use_cache` (and no labels, as transformers turns the cache off for a loss), each decoder layer's
/// `(self key, self value, cross key, cross value)`, as `past_key_values` holds them.
struct BartPass {
    let encoded: Tensor, decoded: Tensor
    let past: ModelOutput.Field?
}

/// A base model of BART's stacks (BART's, Marian's): its config's sizes, the encoder and the decoder.
protocol BartStyleModel {
    associatedtype SelfAttention: BartStyleAttention
    associatedtype Layout: BartLayout
    var layout: Layout { get }
    var encoder: BartEncoder<SelfAttention> { get }
    var decoder: BartDecoder<SelfAttention> { get }
}

extension BartStyleModel {
    /// The pass over `inputs`, the decoder reading `decoderIDs(ids)` (of the checked input ids).
    func pass(_ inputs: ModelInputs, decoderIDs: (Tensor) -> Tensor, checkInterrupt: () throws -> Void) throws -> BartPass {
        let (ids, mask) = try inputs.validated(maxPositions: layout.maxPositionEmbeddings, vocabSize: layout.vocabSize)
        let decoderIDs = decoderIDs(ids)
        let encoded = try encoder(ids, mask: mask, recording: inputs.layerOutputs, checkInterrupt: checkInterrupt)
        let decoderMask = Tensor(ints: [Int64](repeating: 1, count: decoderIDs.count), shape: decoderIDs.shape)
        let cache = inputs.useCache && inputs.labels == nil ? try cache(batch: decoderIDs.shape[0], capacity: decoderIDs.shape[1]) : nil
        let attended = EncoderOutput(encoded, mask: mask)
        let decoded = try decoder(decoderIDs, mask: decoderMask, past: 0, encoded: attended, cache: cache,
                                  recording: inputs.layerOutputs, checkInterrupt: checkInterrupt)
        let past = try cache?.encoderDecoderPast(attended, recorded: .clone, from: decoder.embed_tokens.weight)
        return BartPass(encoded: encoded, decoded: decoded, past: past)
    }

    /// A generation session: the encoder's output for `ids`, each row kept `copies` times, and a decoder step whose
    /// last position `logits` scores.
    func session(encoding ids: Tensor, mask: Tensor, copies: Int, capacity: Int, checkInterrupt: () throws -> Void,
                 logits: @escaping (Tensor) throws -> Tensor) throws -> any DecodingSession {
        let (ids, mask) = try ModelInputs(inputIDs: ids, attentionMask: mask).validated(maxPositions: layout.maxPositionEmbeddings,
                                                                                         vocabSize: layout.vocabSize)
        let encoded = try encoder(ids, mask: mask, checkInterrupt: checkInterrupt)
        let rows = (0..<ids.shape[0]).flatMap { repeatElement($0, count: copies) }
        let output = try EncoderOutput(encoded, mask: mask).selecting(rows)
        let decoder = decoder
        return CachedDecodingSession(cache: try cache(batch: rows.count, capacity: capacity)) { ids, _, mask, cache, checkInterrupt in
            let decoded = try decoder(ids, mask: mask, past: cache.length, encoded: output, cache: cache, checkInterrupt: checkInterrupt)
            return try logits(decoded.view(at: [.all, .at(-1), .all]))
        }
    }

    /// The decoder's key/value cache for `batch` rows of up to `capacity` tokens.
    private func cache(batch: Int, capacity: Int) throws -> KeyValueCache {
        try KeyValueCache(layers: layout.decoderLayers, batch: batch, heads: layout.decoderAttentionHeads,
                          headDim: layout.dModel / layout.decoderAttentionHeads, capacity: capacity)
    }
}
