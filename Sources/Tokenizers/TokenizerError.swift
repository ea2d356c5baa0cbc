/// A tokenizer that cannot be loaded or a call it cannot honour, in words that name the problem.
public struct TokenizerError: Error, CustomStringConvertible, Equatable {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
