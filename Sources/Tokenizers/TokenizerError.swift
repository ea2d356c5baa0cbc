/// A tokenizer that cannot be loaded or a call it cannot honour, in words that name the problem.
public struct TokenizerError: Error, CustomStringConvertible, Equatable {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }

    /// huggingface/tokenizers' errors when `only_first` / `only_second` truncation cannot be done.
    public static let sequenceTooShort = TokenizerError("Truncation error: Sequence to truncate too short to respect the provided max_length")
    public static let noSecondSequence = TokenizerError("Truncation error: Second sequence not provided")
}
