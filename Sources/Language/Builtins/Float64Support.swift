import TensorCore

/// Where float64 tensors stop: sbpl computes them in double in arithmetic, comparisons, `pow`, `where` and the
/// operations that only move elements; the operations that compute in float32 (softmax, layers, losses, most
/// functions) refuse them rather than give float32 digits in a float64 tensor.
public enum Float64Support {
    /// Throws sbpl's NotImplementedError naming `name` when a tensor among `arguments` is float64.
    public static func reject(_ name: String, _ arguments: Arguments) throws {
        try reject(name, (arguments.positional + arguments.keywords.map(\.value)).compactMap { if case .tensor(let t) = $0 { t } else { nil } })
    }

    /// Throws sbpl's NotImplementedError naming `name` when one of `tensors` is float64.
    static func reject(_ name: String, _ tensors: [Tensor]) throws {
        if tensors.contains(where: { $0.dtype == .float64 }) { throw PyError.notImplemented("\(name)() on float64 tensors") }
    }
}

/// A builtin function that computes in float32: float64 arguments are refused (`Float64Support`).
public func float32Builtin(_ name: String, _ body: @escaping (Arguments) throws -> Value) -> Value {
    builtin(name) { arguments in
        try Float64Support.reject(name, arguments)
        return try body(arguments)
    }
}
