import PythonText

/// The safetensors library raises a malformed file as an error Python sees as a `ValueError`.
extension SafetensorsError: PythonRaisable {
    public var exceptionKind: ExceptionKind { .valueError }
}
