import PythonText

/// huggingface_hub raises a checkpoint it cannot find or fetch as an `OSError` (transformers' `EnvironmentError`);
/// a download Ctrl-C stopped is the `KeyboardInterrupt` Python would raise.
extension HubError: PythonRaisable {
    public var exceptionKind: ExceptionKind {
        if case .interrupted = self { return .keyboardInterrupt }
        return .osError
    }
}

/// A JSON file that cannot be read is a `ValueError`, as `json.load` raises.
extension JSONFileError: PythonRaisable {
    public var exceptionKind: ExceptionKind { .valueError }
}
