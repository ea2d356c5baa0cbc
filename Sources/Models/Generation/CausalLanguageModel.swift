import TensorCore

/// A model that predicts the next token (`GPT2LMHeadModel`), as generation drives it: one pass over the prompt,
/// then one position per new token, its keys and values kept in a `KeyValueCache`.
public protocol CausalLanguageModel: TransformerModel {
    /// The longest sequence its positions cover.
    var maxPositions: Int { get }
    /// A cache for `batch` sequences of up to `capacity` tokens.
    func emptyCache(batch: Int, capacity: Int) throws -> KeyValueCache
    /// The logits `[batch, vocab]` of the token after `ids` (`[batch, n]`, at `positions`, after the cached ones);
    /// `mask` `[batch, cached + n]` marks the tokens to attend to. Fills the cache with the new positions.
    func nextTokenLogits(_ ids: Tensor, positions: Tensor, mask: Tensor, cache: KeyValueCache,
                         checkInterrupt: () throws -> Void) throws -> Tensor
}
