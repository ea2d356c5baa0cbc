import TensorCore

/// A numpy int64 array, as `tokenizer(..., return_tensors="np")` gives: printed as numpy prints it, with `shape`,
/// `dtype`, `ndim`, `size`, `tolist()`, `len`, iteration and indexing by row; `torch.tensor(array)` makes a tensor.
final class NDArrayObject: IterableObject {
    let tensor: Tensor

    init(_ tensor: Tensor) { self.tensor = tensor.to(.int64) }

    var typeName: String { "ndarray" }
    var repr: String { NumpyPrinter.repr(tensor) }
    var str: String { NumpyPrinter.str(tensor) }
    var attributeNames: [String] { ["shape", "dtype", "ndim", "size", "tolist"] }

    /// The rows: sub-arrays, or ints for a 1-D array.
    var items: [Value] {
        guard tensor.rank > 0 else { return [] }
        return (0..<tensor.shape[0]).compactMap { i in
            guard let row = try? tensor.view(at: [.at(i)]) else { return nil }
            return row.rank == 0 ? .int(Int(row.int64s()[0])) : .object(NDArrayObject(row))
        }
    }

    func attribute(_ name: String, _ interpreter: Interpreter) throws -> Value? {
        switch name {
        case "shape": return .tuple(tensor.shape.map(Value.int))
        case "dtype": return .object(NumpyDType())
        case "ndim": return .int(tensor.rank)
        case "size": return .int(tensor.count)
        case "tolist": return Attributes.method(name) { [self] _ in TensorMethods.toList(tensor) }
        default: return nil
        }
    }
}

/// `array.dtype`: numpy's int64.
final class NumpyDType: PyObject {
    var typeName: String { "dtype[int64]" }
    var repr: String { "dtype('int64')" }
    var str: String { "int64" }
}
