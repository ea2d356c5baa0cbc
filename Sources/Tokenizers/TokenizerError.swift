/// A tokenizer that cannot be loaded or a call it cannot honour, in words that name the problem.
public struct TokenizerError: Error, CustomStringConvertible, Equatable {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }

    /// huggingface/tokenizers' errors when `only_first` / `only_second` truncation cannot be done.
    public static let sequenceTooShort = TokenizerError("Truncation error: Sequence to truncate too short to respect the provided max_length")
    public static let noSecondSequence = TokenizerError("Truncation error: Second sequence not provided")
}

extension TokenizerError {
    /// transformers' error for padding with a tokenizer that has no padding token (GPT-2's).
    public static let noPaddingToken = TokenizerError("Asking to pad but the tokenizer does not have a padding token. Please select a token to use as `pad_token` `(tokenizer.pad_token = tokenizer.eos_token e.g.)` or add a new pad token via `tokenizer.add_special_tokens({'pad_token': '[PAD]'})`.")
}
