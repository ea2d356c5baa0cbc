import PythonText

/// transformers' `PipelineException`: the input does not suit the task (a fill-mask text without a mask token).
public struct PipelineError: Error, CustomStringConvertible, Equatable, PythonRaisable {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
    public var exceptionKind: ExceptionKind { .pipelineException }
}
