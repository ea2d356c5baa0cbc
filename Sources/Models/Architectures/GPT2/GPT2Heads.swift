import TensorCore

/// GPT-2 with its language-modeling head: `lm_head` scores each final hidden state against every token embedding
/// (its weight is `wte`'s, tied, with no bias).
public struct GPT2LMHeadModel: Module {
    let transformer: GPT2Model
    let lm_head: Linear

    init(_ weights: Weights, _ config: GPT2Config) throws {
        transformer = try GPT2Model(weights, config, prefix: "transformer.")
        lm_head = Linear(weight: transformer.wte.weight, bias: nil)
    }

    /// `model(**inputs)` -> `CausalLMOutputWithCrossAttentions` with `logits` `[batch, seq, vocab_size]`, and the
    /// loss of predicting each next token when the inputs have `labels`.
    public func callAsFunction(_ inputs: ModelInputs, checkInterrupt: () throws -> Void = {}) throws -> ModelOutput {
        let (hidden, past) = try transformer.run(inputs, checkInterrupt: checkInterrupt)
        let logits = try lm_head(hidden)
        return ModelOutput("CausalLMOutputWithCrossAttentions", [
            ("loss", try Losses.nextToken(logits, inputs.labels)), ("logits", logits), ("past_key_values", nil),
            ("hidden_states", nil), ("attentions", nil), ("cross_attentions", nil),
        ]).setting("past_key_values", past)
    }
}

extension GPT2LMHeadModel: CausalLanguageModel {
    public var maxPositions: Int { transformer.config.nPositions }

    public func session(rows: Int, capacity: Int) throws -> any DecodingSession {
        let c = transformer.config
        let cache = try KeyValueCache(layers: c.nLayer, batch: rows, heads: c.nHead, headDim: c.headDim, capacity: capacity)
        return CachedDecodingSession(cache: cache) { ids, positions, mask, cache, checkInterrupt in
            let hidden = try transformer.hiddenStates(ids, positions: positions, mask: mask, cache: cache, checkInterrupt: checkInterrupt)
            return try lm_head(hidden.view(at: [.all, .at(-1), .all]))
        }
    }
}
