/// A model that cannot be built or run, in words that name the problem.
public struct ModelError: Error, CustomStringConvertible, Equatable {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }

    /// Raised between layers when the user interrupts a forward pass.
    public static let interrupted = ModelError("KeyboardInterrupt")
}
