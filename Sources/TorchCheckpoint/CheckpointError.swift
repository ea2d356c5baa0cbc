import PythonText

/// A `pytorch_model.bin` that cannot be read, in words that name the file and the problem.
public struct CheckpointError: Error, CustomStringConvertible, Equatable, PythonRaisable {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
    /// transformers raises an unreadable checkpoint as an `OSError`.
    public var exceptionKind: ExceptionKind { .osError }
}
