/// An error from a tensor operation, with a message in the words torch uses where it has one.
public struct TensorError: Error, CustomStringConvertible, Equatable {
    /// What went wrong, e.g. `Dimension out of range (expected to be in range of [-2, 1], but got 2)`.
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
