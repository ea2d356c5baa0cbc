import Foundation
import TensorCore

/// Marian (`modeling_marian.py`): BART's post-LayerNorm encoder and decoder (`BartLayers.swift`) with
/// sinusoidal positions and no embedding layer norm, over one `shared` token table (or, with
/// `share_encoder_decoder_embeddings` off, a table each). The decoder reads the ids it is given: Marian never makes
/// them up from the input.
public struct MarianModel: Module {
    public let config: MarianConfig
    let shared: Embedding?
    let encoder: BartEncoder<MarianAttention>
    let decoder: BartDecoder<MarianAttention>
    /// transformers registers `shared`, then sets it to None when the tables are not shared.
    public var noneChildren: Set<String> { shared == nil ? ["shared"] : [] }

    init(_ weights: Weights, _ config: MarianConfig, prefix: String) throws {
        self.config = config
        let base = WeightScope(weights: weights, basePrefix: prefix, path: "")
        let (encoding, decoding) = (base.child("encoder"), base.child("decoder"))
        let tokens: (encoder: Embedding, decoder: Embedding)
        if config.sharesEmbeddings {
            let table = try Embedding(base.child("shared"), count: config.vocabSize, dim: config.dModel, paddingIdx: config.padTokenID)
            (shared, tokens) = (table, (Embedding(tied: table, className: "Embedding"), Embedding(tied: table, className: "Embedding")))
        } else {
            shared = nil
            tokens = (try Embedding(encoding.child("embed_tokens"), count: config.vocabSize, dim: config.dModel, paddingIdx: config.padTokenID),
                      try Embedding(decoding.child("embed_tokens"), count: config.decoderVocabSize, dim: config.dModel,
                                    paddingIdx: config.padTokenID))
        }
        // a table each, as transformers registers two parameters (counted twice by num_parameters())
        func positions() -> MarianSinusoidalPositionalEmbedding { MarianSinusoidalPositionalEmbedding(count: config.maxPositionEmbeddings, dim: config.dModel, dtype: weights.dtype) }
        encoder = try BartEncoder(encoding, config, tokens: tokens.encoder, positions: positions(), normalized: false)
        decoder = try BartDecoder(decoding, config, tokens: tokens.decoder, positions: positions(), normalized: false)
    }

    /// The pass over `inputs`, the decoder reading `decoderIDs`; without them it is transformers' ValueError.
    func hiddenStates(_ inputs: ModelInputs, decoderIDs: Tensor?, checkInterrupt: () throws -> Void) throws -> BartPass {
        guard let decoderIDs else { throw ModelError("You have to specify either decoder_input_ids or decoder_inputs_embeds") }
        return try pass(inputs, decoderIDs: { _ in decoderIDs }, checkInterrupt: checkInterrupt)
    }

    /// `MarianModel(input_ids=..., decoder_input_ids=...)` -> `Seq2SeqModelOutput`.
    public func callAsFunction(_ inputs: ModelInputs, checkInterrupt: () throws -> Void = {}) throws -> ModelOutput {
        let pass = try hiddenStates(inputs, decoderIDs: inputs.decoderInputIDs, checkInterrupt: checkInterrupt)
        return .seq2seq("Seq2SeqModelOutput", [("last_hidden_state", pass.decoded)], encoded: pass.encoded, past: pass.past)
    }
}

extension MarianModel: BartStyleModel {
    var layout: MarianConfig { config }
}

/// `embed_positions` (`MarianSinusoidalPositionalEmbedding`): fixed sinusoids, computed as `_init_weight` computes
/// them (in double, then float32) whether or not the checkpoint stores them, and never trained (no grad). Position
/// `p`, pair `k` of `d_model`: `sin(p / 10000^(2k / d_model))` in the first half of the row (the extra column of an odd
/// `d_model` with them), `cos` of the same in the second, not interleaved; rounded to the model's `dtype`.
struct MarianSinusoidalPositionalEmbedding: PositionalEmbedding {
    let weight: Tensor

    init(count: Int, dim: Int, dtype: DType) {
        let sines = (dim + 1) / 2
        var values = [Float](repeating: 0, count: count * dim)
        for position in 0..<count {
            for column in 0..<dim {
                let pair = column < sines ? column : column - sines
                let angle = Double(position) / Foundation.pow(10000, Double(2 * pair) / Double(dim))
                values[position * dim + column] = Float(column < sines ? Foundation.sin(angle) : Foundation.cos(angle))
            }
        }
        weight = Tensor(floats: values, shape: [count, dim]).to(dtype)
    }

    /// The embeddings of positions `past..<past + length`: `[length, d_model]`.
    func callAsFunction(length: Int, past: Int) throws -> Tensor {
        try weight.gatherRows(Tensor(ints: (0..<Int64(length)).map { $0 + Int64(past) }, shape: [length]))
    }

    var settings: String { "\(weight.shape[0]), \(weight.shape[1])" }
    var parameters: [(name: String, tensor: Tensor)] { [("weight", weight)] }
}

/// Marian's attention: BART's, which transformers runs eagerly for Marian (no SDPA, so nothing to warn about
/// under `output_attentions`).
struct MarianAttention: BartStyleAttention {
    static let family = "Marian"
    static let scaling = Attention.Scaling.eager
    let k_proj, v_proj, q_proj, out_proj: Linear
    let heads: Int
    let dropout: Double
    let mode = ModuleMode()
}
