import TensorCore

/// GPT-2 (`modeling_gpt2.py`): token and position embeddings, a stack of pre-LayerNorm blocks with
/// causal self-attention, a final LayerNorm. With a `KeyValueCache`, only the new positions are computed.
public struct GPT2Model: Module {
    public let config: GPT2Config
    let wte, wpe: Embedding
    let drop: Dropout
    let h: [GPT2Block]
    let ln_f: LayerNorm

    init(_ weights: Weights, _ config: GPT2Config, prefix: String) throws {
        self.config = config
        let base = WeightScope(weights: weights, basePrefix: prefix, path: "")
        wte = try Embedding(base.child("wte"), count: config.vocabSize, dim: config.nEmbd)
        wpe = try Embedding(base.child("wpe"), count: config.nPositions, dim: config.nEmbd)
        drop = Dropout(config.embdPdrop)
        let blocks = base.child("h")
        h = try (0..<config.nLayer).map { try GPT2Block(blocks.child("\($0)"), config, layer: $0) }
        ln_f = try LayerNorm(base.child("ln_f"), dim: config.nEmbd, eps: config.layerNormEpsilon)
    }

    /// The final hidden states `[batch, n, n_embd]` of `ids` `[batch, n]` at `positions`, after the cached tokens;
    /// `mask` `[batch, cached + n]` marks the tokens to attend to. `recording` keeps what each block is given and
    /// the final states (as transformers' `hidden_states`: the last block's output only after `ln_f`), and each
    /// block's attention probabilities, when asked.
    func hiddenStates(_ ids: Tensor, positions: Tensor, mask: Tensor, cache: KeyValueCache?, recording: LayerOutputs? = nil,
                      checkInterrupt: () throws -> Void) throws -> Tensor {
        var x = try drop(wte(ids).combined(.add, wpe(positions)))
        for block in h {
            try checkInterrupt()
            recording?.record(hidden: x)
            x = try block(x, mask: mask, cache: cache, recording: recording)
        }
        cache?.advance(by: ids.shape[1])
        let final = try ln_f(x).reshaped(x.shape)   // transformers' `.view(output_shape)`: grad_fn ViewBackward0
        recording?.record(hidden: final)
        return final
    }

    /// The checked inputs with the positions `arange(n)` (no cache): what `model(**inputs)` runs.
    func inputs(_ inputs: ModelInputs) throws -> (ids: Tensor, mask: Tensor, positions: Tensor) {
        let (ids, mask) = try inputs.validated(maxPositions: config.nPositions, vocabSize: config.vocabSize)
        let n = ids.shape[1]
        return (ids, mask, Tensor(ints: (0..<Int64(n)).map { $0 }, shape: [1, n]))
    }

    /// `GPT2Model(**inputs)` -> `BaseModelOutputWithPastAndCrossAttentions`.
    public func callAsFunction(_ inputs: ModelInputs, checkInterrupt: () throws -> Void = {}) throws -> ModelOutput {
        let (hidden, past) = try run(inputs, checkInterrupt: checkInterrupt)
        return ModelOutput("BaseModelOutputWithPastAndCrossAttentions", [
            ("last_hidden_state", hidden), ("past_key_values", nil), ("hidden_states", nil), ("attentions", nil),
            ("cross_attentions", nil),
        ]).setting("past_key_values", past)
    }

    /// `model(**inputs)`'s pass: the final hidden states and, with `use_cache`, each block's keys and values (as
    /// transformers returns them: the heads split off by a permute, which names their `grad_fn`).
    func run(_ inputs: ModelInputs, checkInterrupt: () throws -> Void) throws -> (hidden: Tensor, past: ModelOutput.Field?) {
        let (ids, mask, positions) = try self.inputs(inputs)
        let cache = inputs.useCache
            ? try KeyValueCache(layers: config.nLayer, batch: ids.shape[0], heads: config.nHead, headDim: config.headDim, capacity: ids.shape[1])
            : nil
        let hidden = try hiddenStates(ids, positions: positions, mask: mask, cache: cache, recording: inputs.layerOutputs,
                                      checkInterrupt: checkInterrupt)
        let past = try cache?.filled().map { layer, pair in pair.map { $0.recorded(.permute, from: h[layer].attn.c_attn.weight) } }
        return (hidden, past.map(ModelOutput.Field.layers))
    }
}

/// Pre-LayerNorm block: `x + attn(ln_1(x))`, then `x + mlp(ln_2(x))`.
struct GPT2Block: Module {
    let ln_1: LayerNorm
    let attn: GPT2SdpaAttention
    let ln_2: LayerNorm
    let mlp: GPT2MLP

    init(_ s: WeightScope, _ c: GPT2Config, layer: Int) throws {
        ln_1 = try LayerNorm(s.child("ln_1"), dim: c.nEmbd, eps: c.layerNormEpsilon)
        attn = try GPT2SdpaAttention(s.child("attn"), c, layer: layer)
        ln_2 = try LayerNorm(s.child("ln_2"), dim: c.nEmbd, eps: c.layerNormEpsilon)
        mlp = try GPT2MLP(s.child("mlp"), c)
    }

    func callAsFunction(_ x: Tensor, mask: Tensor, cache: KeyValueCache?, recording: LayerOutputs?) throws -> Tensor {
        let attended = try attn.resid_dropout(attn.c_proj, attn.context(ln_1(x), mask: mask, cache: cache, recording: recording), adding: x)
        return try mlp.dropout(mlp.c_proj, mlp.act(mlp.c_fc(ln_2(attended))), adding: attended)
    }
}

/// Causal self-attention: `c_attn` makes the queries, keys and values in one product, `c_proj` merges the heads.
struct GPT2SdpaAttention: TrainingAware {
    let c_attn, c_proj: Conv1D
    let attn_dropout, resid_dropout: Dropout
    let heads: Int
    /// The scores' scale: `1 / sqrt(head_dim)` (and `/ (layer + 1)` with `scale_attn_by_inverse_layer_idx`).
    let scale: Float
    /// Which layer it is, to find its keys and values in the cache.
    let layer: Int
    let mode = ModuleMode()

    init(_ s: WeightScope, _ c: GPT2Config, layer: Int) throws {
        c_attn = try Conv1D(s.child("c_attn"), in: c.nEmbd, out: 3 * c.nEmbd)
        c_proj = try Conv1D(s.child("c_proj"), in: c.nEmbd, out: c.nEmbd)
        attn_dropout = Dropout(c.attnPdrop)
        resid_dropout = Dropout(c.residPdrop)
        heads = c.nHead
        var scale = c.scaleAttnWeights ? 1 / Float(c.headDim).squareRoot() : 1
        if c.scaleAttnByInverseLayerIdx { scale /= Float(layer + 1) }
        self.scale = scale
        self.layer = layer
    }

    /// The attention's output before `c_proj`: `[batch, n, n_embd]` for the new positions of `x`.
    func context(_ x: Tensor, mask: Tensor, cache: KeyValueCache?, recording: LayerOutputs?) throws -> Tensor {
        let (batch, n, dim) = (x.shape[0], x.shape[1], x.shape[2])
        let qkv = try c_attn(x)
        /// The `part`-th third of `qkv` (query, key, value), split into heads: `[batch, heads, n, head_dim]`.
        func heads(_ part: Int) throws -> Tensor {
            try qkv.view(at: [.all, .all, .slice(start: part * dim, stop: (part + 1) * dim, step: nil)])
                .reshaped([batch, n, self.heads, dim / self.heads]).permuted([0, 2, 1, 3])
        }
        var (k, v) = (try heads(1), try heads(2))
        if let cache { (k, v) = try cache.appending(layer: layer, keys: k, values: v) }
        let context = try Attention.attend(query: heads(0), key: k, value: v, mask: mask, scale: scale, causal: true,
                                           dropout: whileTraining(attn_dropout.p), weightsDropout: attn_dropout, recording: recording)
        return try context.permuted([0, 2, 1, 3]).reshaped([batch, n, dim])
    }
}

/// The feed-forward block: `c_proj(act(c_fc(x)))`.
struct GPT2MLP: Module {
    let c_fc, c_proj: Conv1D
    let act: Activation
    let dropout: Dropout

    init(_ s: WeightScope, _ c: GPT2Config) throws {
        c_fc = try Conv1D(s.child("c_fc"), in: c.nEmbd, out: c.nInner)
        c_proj = try Conv1D(s.child("c_proj"), in: c.nInner, out: c.nEmbd)
        act = c.activation
        dropout = Dropout(c.residPdrop)
    }
}

extension GPT2SdpaAttention: SdpaAttentionModule {
    var eagerFallbackWarning: String { sdpaFallbackWarning(sdpaUnsupported("`\(className)`")) }
}
