import PythonText

/// huggingface_hub raises a checkpoint it cannot find or fetch as an `OSError` (transformers' `EnvironmentError`).
extension HubError: PythonRaisable {
    public var exceptionKind: ExceptionKind { .osError }
}

/// A JSON file that cannot be read is a `ValueError`, as `json.load` raises.
extension JSONFileError: PythonRaisable {
    public var exceptionKind: ExceptionKind { .valueError }
}
