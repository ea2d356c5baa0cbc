/// An error from a tensor operation, with a message in the words torch uses where it has one.
public struct TensorError: Error, CustomStringConvertible, Equatable {
    /// The Python exception torch raises for it.
    public enum Kind: Sendable {
        /// `RuntimeError`: shapes, types and values an operation cannot take.
        case runtime
        /// `IndexError`: an index or dimension outside the tensor.
        case index
    }

    /// What went wrong, e.g. `Dimension out of range (expected to be in range of [-2, 1], but got 2)`.
    public let message: String
    public let kind: Kind

    public init(_ message: String, kind: Kind = .runtime) {
        self.message = message
        self.kind = kind
    }

    public var description: String { message }
}
