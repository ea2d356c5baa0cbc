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
    /// `stride`: how many tokens overflowing pieces would repeat (sbpl returns no overflowing tokens).
    public var stride = 0
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
