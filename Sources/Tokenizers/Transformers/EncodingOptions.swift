/// `padding=`: what transformers calls the padding strategy.
public enum Padding: String, Sendable {
    case doNotPad = "do_not_pad", longest, maxLength = "max_length"
}

/// `truncation=`: what transformers calls the truncation strategy.
public enum Truncation: String, Sendable {
    case doNotTruncate = "do_not_truncate", longestFirst = "longest_first", onlyFirst = "only_first",
         onlySecond = "only_second"
}

/// `padding_side`: where padding goes.
public enum PaddingSide: String, Sendable {
    case right, left
}

/// The keyword arguments of a tokenizer call, with transformers' defaults.
public struct EncodingOptions: Sendable {
    public var padding: Padding = .doNotPad
    /// `nil` is transformers' `truncation=None`: off, unless `maxLength` is given without padding.
    public var truncation: Truncation? = nil
    public var maxLength: Int? = nil
    /// `stride`: how many tokens the overflowing windows repeat from the one before.
    public var stride = 0
    /// `return_overflowing_tokens=True`: a truncated text's cut-off tokens in further windows (each a row of the
    /// result, `overflow_to_sample_mapping` saying whose).
    public var returnOverflowingTokens = false
    /// `return_offsets_mapping=True`: each token's `(start, end)` in its text.
    public var returnOffsetsMapping = false
    /// `return_special_tokens_mask=True`: 1 for each special or padding token, 0 for the text's.
    public var returnSpecialTokensMask = false
    /// `return_length=True`: each sequence's length (padding included), as `length`.
    public var returnLength = false
    /// `return_tensors="pt"`: int64 tensors instead of lists.
    public var returnTensors = false
    public var addSpecialTokens = true
    public var returnAttentionMask: Bool? = nil
    public var returnTokenTypeIDs: Bool? = nil
    /// Padded lengths are rounded up to a multiple of this.
    public var padToMultipleOf: Int? = nil
    /// nil uses the tokenizer's `padding_side`.
    public var paddingSide: PaddingSide? = nil

    public init() {}
}
