import TensorCore

/// One generation running in a model: what it keeps between steps (the key/value cache, an encoder's output) and
/// the step itself.
public protocol DecodingSession: AnyObject {
    /// The logits `[rows, vocab]` of the token after `ids` (`[rows, n]` new tokens at `positions`, after the cached
    /// ones); `mask` `[rows, cached + n]` marks the tokens to attend to. Fills the cache with the new positions.
    func nextTokenLogits(_ ids: Tensor, positions: Tensor, mask: Tensor, checkInterrupt: () throws -> Void) throws -> Tensor
    /// Keeps the rows `rows` of what it caches, in that order (beam search following its best beams).
    func reorder(_ rows: [Int]) throws
}

/// A model that predicts the next token of its input (`GPT2LMHeadModel`).
public protocol CausalLanguageModel: TransformerModel {
    /// The longest sequence its positions cover.
    var maxPositions: Int { get }
    /// A session for `rows` sequences of up to `capacity` tokens.
    func session(rows: Int, capacity: Int) throws -> any DecodingSession
}

/// An encoder-decoder that writes a new sequence for its input (`BartForConditionalGeneration`).
public protocol Seq2SeqLanguageModel: TransformerModel {
    /// The longest sequence the decoder's positions cover.
    var maxPositions: Int { get }
    /// The token the decoder starts from.
    var decoderStartTokenID: Int { get }
    /// A session that has encoded `ids` (`[batch, length]`, `mask` alike), each row kept `copies` times (beams,
    /// returned sequences), for up to `capacity` decoder tokens.
    func session(encoding ids: Tensor, mask: Tensor, copies: Int, capacity: Int, checkInterrupt: () throws -> Void) throws -> any DecodingSession
}

/// A session that keeps a key/value cache, its step a closure over whatever else it needs (an encoder's output).
final class CachedDecodingSession: DecodingSession {
    let step: (Tensor, Tensor, Tensor, KeyValueCache, () throws -> Void) throws -> Tensor
    let cache: KeyValueCache

    init(cache: KeyValueCache, step: @escaping (Tensor, Tensor, Tensor, KeyValueCache, () throws -> Void) throws -> Tensor) {
        (self.cache, self.step) = (cache, step)
    }

    func nextTokenLogits(_ ids: Tensor, positions: Tensor, mask: Tensor, checkInterrupt: () throws -> Void) throws -> Tensor {
        try step(ids, positions, mask, cache, checkInterrupt)
    }

    func reorder(_ rows: [Int]) throws { try cache.reorder(rows) }
}
