import PythonText

/// An input a pipeline cannot take: transformers' `PipelineException` (a fill-mask text without a mask token), or
/// another class where transformers raises one.
public struct PipelineError: Error, CustomStringConvertible, Equatable, PythonRaisable {
    public let message: String
    public let exceptionKind: ExceptionKind

    public init(_ message: String, kind: ExceptionKind = .pipelineException) {
        self.message = message
        exceptionKind = kind
    }

    public var description: String { message }
}
