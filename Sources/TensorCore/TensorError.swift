import PythonText

/// An error from a tensor operation, with a message in the words torch uses where it has one.
public struct TensorError: PythonRaisable, Equatable {
    /// What went wrong, e.g. `Dimension out of range (expected to be in range of [-2, 1], but got 2)`.
    public let message: String
    /// The Python exception torch raises for it: `RuntimeError` for shapes, types and values an operation cannot
    /// take, `IndexError` for an index or dimension outside the tensor.
    public let exceptionKind: ExceptionKind

    public init(_ message: String, kind: ExceptionKind = .runtimeError) {
        self.message = message
        self.exceptionKind = kind
    }

    public var description: String { message }
}
