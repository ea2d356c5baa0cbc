import Foundation
import TensorCore

/// T5 (`modeling_t5.py`): an encoder and a decoder of pre-norm blocks (RMS norm, no bias
/// anywhere) over one `shared` token table, with no position embeddings: the first block's self-attention adds a
/// learned bias per relative-position bucket (both directions in the encoder, only the past in the decoder) to the
/// unscaled attention scores, and every block reuses it. The decoder also attends to the encoder's output.
public struct T5Model: Module {
    public let config: T5Config
    let shared: Embedding
    let encoder: T5Stack
    let decoder: T5Stack

    init(_ weights: Weights, _ config: T5Config) throws {
        self.config = config
        let root = WeightScope(weights: weights, basePrefix: "", path: "")
        shared = try Embedding(root.child("shared"), count: config.vocabSize, dim: config.dModel)
        encoder = try T5Stack(root.child("encoder"), config, shared: shared, isDecoder: false)
        decoder = try T5Stack(root.child("decoder"), config, shared: shared, isDecoder: true)
    }

    /// `T5Model(input_ids=..., decoder_input_ids=...)` -> `Seq2SeqModelOutput`.
    public func callAsFunction(_ inputs: ModelInputs, checkInterrupt: () throws -> Void = {}) throws -> ModelOutput {
        let pass = try hiddenStates(inputs, decoderIDs: inputs.decoderInputIDs, checkInterrupt: checkInterrupt)
        return .seq2seq("Seq2SeqModelOutput", [("last_hidden_state", pass.decoded)], encoded: pass.encoded, past: pass.past)
    }
}

/// T5's encoder and decoder over their shared table, with or without a head.
protocol T5EncoderDecoder {
    var config: T5Config { get }
    var encoder: T5Stack { get }
    var decoder: T5Stack { get }
}

extension T5EncoderDecoder {
    /// The encoder's output, the decoder's last hidden state and, with `use_cache` (labels or not, unlike BART), the
    /// cache as `past_key_values`; the decoder reads `decoderIDs` (which T5 never makes up from the input: without them it
    /// is transformers' ValueError).
    func hiddenStates(_ inputs: ModelInputs, decoderIDs: Tensor?, checkInterrupt: () throws -> Void) throws
        -> (encoded: Tensor, decoded: Tensor, past: ModelOutput.Field?) {
        let (ids, mask) = try inputs.validated(maxPositions: .max, vocabSize: config.vocabSize)
        guard let decoderIDs else {
            throw ModelError("You have to specify either decoder_input_ids or decoder_inputs_embeds")
        }
        let encoded = try encoder(ids, mask: mask, past: 0, checkInterrupt: checkInterrupt)
        let decoderMask = Tensor(ints: [Int64](repeating: 1, count: decoderIDs.count), shape: decoderIDs.shape)
        let cache = inputs.useCache
            ? try KeyValueCache(layers: config.numDecoderLayers, batch: decoderIDs.shape[0], heads: config.numHeads, headDim: config.dKV,
                                capacity: decoderIDs.shape[1])
            : nil
        let attended = EncoderOutput(encoded, mask: mask)
        let decoded = try decoder(decoderIDs, mask: decoderMask, past: 0, encoded: attended, cache: cache, checkInterrupt: checkInterrupt)
        let past = try cache?.encoderDecoderPast(attended, recorded: .transpose, from: decoder.embed_tokens.weight)
        return (encoded, decoded, past)
    }
}

extension T5Model: T5EncoderDecoder {}

/// The encoder or the decoder: token embeddings, the blocks, a final norm.
struct T5Stack: Module {
    let embed_tokens: Embedding
    let block: [T5Block]
    let final_layer_norm: T5LayerNorm
    let dropout: Dropout
    let isDecoder: Bool

    init(_ s: WeightScope, _ c: T5Config, shared: Embedding, isDecoder: Bool) throws {
        embed_tokens = Embedding(tied: shared, className: "Embedding")
        let blocks = s.child("block")
        block = try (0..<(isDecoder ? c.numDecoderLayers : c.numLayers)).map {
            try T5Block(blocks.child("\($0)"), c, isDecoder: isDecoder, index: $0)
        }
        final_layer_norm = try T5LayerNorm(s.child("final_layer_norm"), c)
        dropout = Dropout(c.dropoutRate)
        self.isDecoder = isDecoder
    }

    /// The hidden states of `ids` (`[batch, n]`, after `past` cached positions); `mask` `[batch, past + n]`.
    func callAsFunction(_ ids: Tensor, mask: Tensor, past: Int, encoded: EncoderOutput? = nil, cache: KeyValueCache? = nil,
                        checkInterrupt: () throws -> Void) throws -> Tensor {
        let pass = T5Pass(mask: Attention.bias(mask, queries: ids.shape[1], causal: isDecoder, dtype: embed_tokens.weight.dtype), past: past, encoded: encoded, cache: cache)
        var x = try dropout(embed_tokens(ids))
        for layer in block {
            try checkInterrupt()
            x = try layer(x, pass)
        }
        cache?.advance(by: ids.shape[1])
        return try dropout(final_layer_norm(x))
    }

}

/// What the blocks of one pass share: the masks' biases, the position bias the first block computes, the cache.
final class T5Pass {
    let mask: Tensor
    let past: Int
    let encoded: EncoderOutput?
    let cache: KeyValueCache?
    /// The first self-attention's position bias plus the mask, which every later block adds as it is.
    var selfBias: Tensor?

    init(mask: Tensor, past: Int, encoded: EncoderOutput?, cache: KeyValueCache?) {
        (self.mask, self.past, self.encoded, self.cache) = (mask, past, encoded, cache)
    }
}

/// One sub-layer of a block (`T5Block.layer[i]`): each adds its output to the hidden states it reads.
protocol T5SubLayer: Module {
    func callAsFunction(_ x: Tensor, _ pass: T5Pass) throws -> Tensor
}

/// A block: self-attention, (in the decoder) attention to the encoder, feed-forward.
struct T5Block: Module {
    let layer: [any T5SubLayer]

    init(_ s: WeightScope, _ c: T5Config, isDecoder: Bool, index: Int) throws {
        let sub = s.child("layer")
        let attention = try T5LayerSelfAttention(sub.child("0"), c, isDecoder: isDecoder, block: index)
        let feedForward = try T5LayerFF(sub.child(isDecoder ? "2" : "1"), c)
        layer = isDecoder ? [attention, try T5LayerCrossAttention(sub.child("1"), c, block: index), feedForward] : [attention, feedForward]
    }

    func callAsFunction(_ x: Tensor, _ pass: T5Pass) throws -> Tensor { try layer.reduce(x) { try $1($0, pass) } }
}

/// `x + dropout(SelfAttention(layer_norm(x)))`, the decoder's keys and values cached when generating.
struct T5LayerSelfAttention: T5SubLayer {
    let SelfAttention: T5Attention
    let layer_norm: T5LayerNorm
    let dropout: Dropout
    let block: Int

    init(_ s: WeightScope, _ c: T5Config, isDecoder: Bool, block: Int) throws {
        SelfAttention = try T5Attention(s.child("SelfAttention"), c, positionBias: block == 0 ? !isDecoder : nil)
        layer_norm = try T5LayerNorm(s.child("layer_norm"), c)
        dropout = Dropout(c.dropoutRate)
        self.block = block
    }

    func callAsFunction(_ x: Tensor, _ pass: T5Pass) throws -> Tensor {
        let a = SelfAttention, normed = try layer_norm(x)
        var (k, v) = (try a.heads(a.k(normed)), try a.heads(a.v(normed)))
        if let cache = pass.cache { (k, v) = try cache.appending(layer: block, keys: k, values: v) }
        let bias = try pass.selfBias ?? a.positionBias(queries: pass.past..<pass.past + x.shape[1], keys: k.shape[2]).combined(.add, pass.mask)
        pass.selfBias = bias
        return try dropout(a.o, a.context(normed, keys: k, values: v, bias: bias), adding: x)
    }
}

/// `x + dropout(EncDecAttention(layer_norm(x), encoder output))`: no position bias, the encoder's padding masked.
struct T5LayerCrossAttention: T5SubLayer {
    let EncDecAttention: T5Attention
    let layer_norm: T5LayerNorm
    let dropout: Dropout
    let block: Int

    init(_ s: WeightScope, _ c: T5Config, block: Int) throws {
        EncDecAttention = try T5Attention(s.child("EncDecAttention"), c, positionBias: nil)
        layer_norm = try T5LayerNorm(s.child("layer_norm"), c)
        dropout = Dropout(c.dropoutRate)
        self.block = block
    }

    func callAsFunction(_ x: Tensor, _ pass: T5Pass) throws -> Tensor {
        guard let encoded = pass.encoded else { throw ModelError("T5's decoder needs the encoder's output") }
        let a = EncDecAttention
        let (k, v) = try encoded.keysAndValues[block] ?? (a.heads(a.k(encoded.hidden)), a.heads(a.v(encoded.hidden)))
        if pass.cache != nil { encoded.keysAndValues[block] = (k, v) }
        let bias = Attention.bias(encoded.mask, queries: 1, causal: false, dtype: a.q.weight.dtype)
        return try dropout(a.o, a.context(layer_norm(x), keys: k, values: v, bias: bias), adding: x)
    }
}

/// `x + dropout(DenseReluDense(layer_norm(x)))`.
struct T5LayerFF: T5SubLayer {
    let DenseReluDense: any T5FeedForward
    let layer_norm: T5LayerNorm
    let dropout: Dropout

    init(_ s: WeightScope, _ c: T5Config) throws {
        DenseReluDense = c.isGatedAct ? try T5DenseGatedActDense(s.child("DenseReluDense"), c) : try T5DenseActDense(s.child("DenseReluDense"), c)
        layer_norm = try T5LayerNorm(s.child("layer_norm"), c)
        dropout = Dropout(c.dropoutRate)
    }

    func callAsFunction(_ x: Tensor, _ pass: T5Pass) throws -> Tensor { try dropout(DenseReluDense, layer_norm(x), adding: x) }
}

/// A feed-forward: a projection whose output can be added to a residual in its last product.
protocol T5FeedForward: Module, Projection {}

/// `wo(dropout(act(wi(x))))`, both without bias.
struct T5DenseActDense: T5FeedForward {
    let wi, wo: Linear
    let dropout: Dropout
    let act: Activation

    init(_ s: WeightScope, _ c: T5Config) throws {
        wi = try Linear(s.child("wi"), in: c.dModel, out: c.dFF, bias: false)
        wo = try Linear(s.child("wo"), in: c.dFF, out: c.dModel, bias: false)
        dropout = Dropout(c.dropoutRate)
        act = c.activation
    }

    func callAsFunction(_ x: Tensor) throws -> Tensor { try wo(activated(x)) }

    func callAsFunction(_ x: Tensor, adding residual: Tensor) throws -> Tensor { try wo(activated(x), adding: residual) }

    private func activated(_ x: Tensor) throws -> Tensor { try dropout(wi(x, then: act)) }
}

/// T5 v1.1's gated feed-forward: `wo(dropout(act(wi_0(x)) * wi_1(x)))`, all without bias.
struct T5DenseGatedActDense: T5FeedForward {
    let wi_0, wi_1, wo: Linear
    let dropout: Dropout
    let act: Activation

    init(_ s: WeightScope, _ c: T5Config) throws {
        wi_0 = try Linear(s.child("wi_0"), in: c.dModel, out: c.dFF, bias: false)
        wi_1 = try Linear(s.child("wi_1"), in: c.dModel, out: c.dFF, bias: false)
        wo = try Linear(s.child("wo"), in: c.dFF, out: c.dModel, bias: false)
        dropout = Dropout(c.dropoutRate)
        act = c.activation
    }

    func callAsFunction(_ x: Tensor) throws -> Tensor { try wo(gated(x)) }

    func callAsFunction(_ x: Tensor, adding residual: Tensor) throws -> Tensor { try wo(gated(x), adding: residual) }

    private func gated(_ x: Tensor) throws -> Tensor { try dropout(wi_0(x, then: act).combined(.mul, wi_1(x))) }
}

/// `T5LayerNorm`: RMS normalisation, `weight * x / sqrt(mean(x^2) + eps)`, no mean subtracted and no bias.
struct T5LayerNorm: Module {
    let weight: Tensor
    let eps: Double

    init(_ s: WeightScope, _ c: T5Config) throws {
        weight = try s.tensor("weight", [c.dModel], initial: .ones)
        eps = c.layerNormEpsilon
    }

    /// In float32 (a float16 or bfloat16 `x` too), converted back to the weight's type before the weight scales it.
    func callAsFunction(_ x: Tensor) throws -> Tensor {
        let x32 = x.to(.float32)
        let variance = try x32.combined(.mul, x32).mean(dim: -1, keepDim: true)
        return try x32.combined(.div, variance.combined(.add, .float(eps)).sqrt()).to(weight.dtype).combined(.mul, weight)
    }

    var parameters: [(name: String, tensor: Tensor)] { [("weight", weight)] }
}

/// Multi-head attention without scaling: `o(dropout(softmax(q k^T + bias)) v)`, heads of `d_kv`; the first block's
/// self-attention also holds the relative-position bias table.
struct T5Attention: TrainingAware {
    let q, k, v, o: Linear
    let relative_attention_bias: Embedding?
    let heads, headDim: Int
    /// The attention weights' dropout probability (`config.dropout_rate`), applied in training mode.
    let dropout: Double
    let mode = ModuleMode()
    /// Whether a key after the query has buckets of its own (the encoder), and the bucketing's settings.
    let bidirectional: Bool
    let buckets, maxDistance: Int

    /// `positionBias`: nil for no table, else whether it is bidirectional.
    init(_ s: WeightScope, _ c: T5Config, positionBias: Bool?) throws {
        let inner = c.numHeads * c.dKV
        q = try Linear(s.child("q"), in: c.dModel, out: inner, bias: false)
        k = try Linear(s.child("k"), in: c.dModel, out: inner, bias: false)
        v = try Linear(s.child("v"), in: c.dModel, out: inner, bias: false)
        o = try Linear(s.child("o"), in: inner, out: c.dModel, bias: false)
        relative_attention_bias = try positionBias.map { _ in
            try Embedding(s.child("relative_attention_bias"), count: c.relativeAttentionNumBuckets, dim: c.numHeads)
        }
        (heads, headDim, dropout) = (c.numHeads, c.dKV, c.dropoutRate)
        bidirectional = positionBias ?? false
        (buckets, maxDistance) = (c.relativeAttentionNumBuckets, c.relativeAttentionMaxDistance)
    }

    /// `[batch, n, heads * d_kv]` split into heads: `[batch, heads, n, d_kv]` (a view).
    func heads(_ x: Tensor) throws -> Tensor {
        try x.reshaped([x.shape[0], x.shape[1], heads, headDim]).permuted([0, 2, 1, 3])
    }

    /// `dropout(softmax(q(x) k^T + bias)) v` with the heads merged, what `o` projects: `[batch, n, heads * d_kv]`;
    /// `bias` broadcasts to `[batch, heads, n, keys]`.
    func context(_ x: Tensor, keys: Tensor, values: Tensor, bias: Tensor) throws -> Tensor {
        let (batch, n) = (x.shape[0], x.shape[1])
        let scores = try heads(q(x)).contiguous().matmul(keys.transposed(2, 3).contiguous()).combined(.add, bias)
        let weights = try scores.to(.float32).softmax(dim: -1).to(scores.dtype).dropout(p: whileTraining(dropout))
        let context = try weights.matmul(values.contiguous())  // [batch, heads, n, d_kv]
        return try context.permuted([0, 2, 1, 3]).contiguous().reshaped([batch, n, heads * headDim])
    }

    /// The learned bias of each query at `queries` for each key `0..<keys`: `[1, heads, queries, keys]` (zeros
    /// without a table).
    func positionBias(queries: Range<Int>, keys: Int) throws -> Tensor {
        guard let table = relative_attention_bias else { return Tensor(zeros: [1, heads, queries.count, keys], dtype: q.weight.dtype) }
        let ids = queries.flatMap { i in (0..<keys).map { Int64(bucket(relative: $0 - i)) } }
        return try table(Tensor(ints: ids, shape: [queries.count, keys])).permuted([2, 0, 1]).unsqueezed(0)
    }

    /// `_relative_position_bucket`: exact buckets for the nearest half, then logarithmically wider ones up to
    /// `maxDistance` (in float32, as torch computes them); bidirectional tables give keys after the query the
    /// upper half of the buckets, unidirectional ones see the past only.
    func bucket(relative: Int) -> Int {
        var count = buckets, offset = 0, distance = max(-relative, 0)
        if bidirectional {
            count /= 2
            offset = relative > 0 ? count : 0
            distance = abs(relative)
        }
        let maxExact = count / 2
        guard distance >= maxExact else { return offset + distance }
        let ratio = logf(Float(distance) / Float(maxExact)) / Float(log(Double(maxDistance) / Double(maxExact)))
        return offset + min(maxExact + Int(ratio * Float(count - maxExact)), count - 1)
    }
}
