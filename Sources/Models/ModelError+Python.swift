import PythonText

/// transformers raises a model that cannot be built or run as a `ValueError`.
extension ModelError: PythonRaisable {
    public var exceptionKind: ExceptionKind { .valueError }
}
