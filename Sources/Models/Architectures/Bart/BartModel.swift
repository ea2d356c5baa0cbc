import TensorCore

/// BART (`modeling_bart.py`): an encoder and a decoder of post-LayerNorm layers (`BartLayers.swift`) over
/// one `shared` token table, positions learned with an offset of 2, embeddings normalised. The decoder attends to its
/// own tokens causally (with a `KeyValueCache` when generating) and to the encoder's output.
public struct BartModel: Module {
    public let config: BartConfig
    let shared: Embedding
    let encoder: BartEncoder<BartSdpaAttention>
    let decoder: BartDecoder<BartSdpaAttention>

    init(_ weights: Weights, _ config: BartConfig, prefix: String) throws {
        self.config = config
        let base = WeightScope(weights: weights, basePrefix: prefix, path: "")
        shared = try Embedding(base.child("shared"), count: config.vocabSize, dim: config.dModel, paddingIdx: config.padTokenID,
                               className: "BartScaledWordEmbedding")
        let (encoding, decoding) = (base.child("encoder"), base.child("decoder"))
        encoder = try BartEncoder(encoding, config, tokens: Embedding(tied: shared, className: "BartScaledWordEmbedding"),
                                  positions: BartLearnedPositionalEmbedding(encoding.child("embed_positions"), config), normalized: true)
        decoder = try BartDecoder(decoding, config, tokens: Embedding(tied: shared, className: "BartScaledWordEmbedding"),
                                  positions: BartLearnedPositionalEmbedding(decoding.child("embed_positions"), config), normalized: true)
    }

    /// The decoder's input when none is given: the ids shifted one to the right after `decoder_start_token_id`.
    func shiftedRight(_ ids: Tensor) -> Tensor { ids.shiftedRight(start: config.decoderStartTokenID, pad: config.padTokenID) }

    /// The pass over `inputs`, the decoder reading `decoderIDs`, else the input ids shifted right (BART's default).
    func hiddenStates(_ inputs: ModelInputs, decoderIDs: Tensor? = nil, checkInterrupt: () throws -> Void) throws -> BartPass {
        try pass(inputs, decoderIDs: { decoderIDs ?? shiftedRight($0) }, checkInterrupt: checkInterrupt)
    }

    /// `BartModel(**inputs)` -> `Seq2SeqModelOutput`.
    public func callAsFunction(_ inputs: ModelInputs, checkInterrupt: () throws -> Void = {}) throws -> ModelOutput {
        let pass = try hiddenStates(inputs, decoderIDs: inputs.decoderInputIDs, checkInterrupt: checkInterrupt)
        return .seq2seq("Seq2SeqModelOutput", [("last_hidden_state", pass.decoded)], encoded: pass.encoded, past: pass.past)
    }
}

extension BartConfig: BartLayout {}

extension BartModel: BartStyleModel {
    var layout: BartConfig { config }
}

/// `embed_positions`: learned positions, looked up 2 rows on (BART's offset).
struct BartLearnedPositionalEmbedding: PositionalEmbedding {
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

/// BART's attention, which transformers runs with SDPA.
struct BartSdpaAttention: BartStyleAttention {
    static let family = "Bart"
    static let scaling = Attention.Scaling.sdpa
    let k_proj, v_proj, q_proj, out_proj: Linear
    let heads: Int
    let dropout: Double
    let mode = ModuleMode()
}

extension BartSdpaAttention: SdpaAttentionModule {
    var eagerFallbackWarning: String {
        sdpaFallbackWarning("BartModel is using BartSdpaAttention, but `torch.nn.functional.scaled_dot_product_attention` does not support `output_attentions=True` or `layer_head_mask` not None.")
    }
}
