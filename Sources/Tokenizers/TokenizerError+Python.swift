import PythonText

/// transformers raises bad tokenizer input and files as a `ValueError`.
extension TokenizerError: PythonRaisable {
    public var exceptionKind: ExceptionKind { .valueError }
}
