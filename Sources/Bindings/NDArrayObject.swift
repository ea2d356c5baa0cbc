import Language
import TensorCore

/// A numpy int64 array, as `tokenizer(..., return_tensors="np")` gives: printed as numpy prints it, with `shape`,
/// `dtype`, `ndim`, `size`, `tolist()`, `len`, iteration and indexing by row; `torch.tensor(array)` makes a tensor.
final class NDArrayObject: IterableObject, MemberTableObject, TensorIndexable {
    let tensor: Tensor

    init(_ tensor: Tensor) { self.tensor = tensor.to(.int64) }

    var typeName: String { "ndarray" }
    var repr: String { NumpyPrinter.repr(tensor) }
    var str: String { NumpyPrinter.str(tensor) }

    /// The rows: sub-arrays, or ints for a 1-D array.
    var items: [Value] {
        guard tensor.rank > 0 else { return [] }
        return (0..<tensor.shape[0]).compactMap { i in
            guard let row = try? tensor.view(at: [.at(i)]) else { return nil }
            return row.rank == 0 ? .int(Int(row.int64s()[0])) : .object(NDArrayObject(row))
        }
    }

    func item(at indices: [TensorIndex]) throws -> Value {
        let item = try tensor.view(at: indices)
        return item.rank == 0 ? .int(Int(item.int64s()[0])) : .object(NDArrayObject(item))
    }

    static let members = MemberTable<NDArrayObject>("ndarray", [
        .attribute("shape", "the size of each dimension, a tuple") { .tuple($0.tensor.shape.map(Value.int)) },
        .attribute("dtype", "the element type, int64") { _ in .object(NumpyDType()) },
        .attribute("ndim", "the number of dimensions") { .int($0.tensor.rank) },
        .attribute("size", "the number of elements") { .int($0.tensor.count) },
        .method("tolist", "", "the elements as nested Python lists of ints") { a, _ in TensorMethods.toList(a.tensor) },
    ])
}

/// A numpy float32 scalar, as pipelines give scores: `np.float32(0.99916124)`, its shortest float32 digits.
final class NumpyFloat32: RealScalarObject {
    let value: Float

    init(_ value: Float) { self.value = value }

    var doubleValue: Double { Double(value) }
    var typeName: String { "float32" }
    var repr: String { "np.float32(\(str))" }
    var str: String { value.isFinite ? "\(value)" : value.isNaN ? "nan" : value < 0 ? "-inf" : "inf" }
}

/// `array.dtype`: numpy's int64.
final class NumpyDType: PyObject {
    var typeName: String { "dtype[int64]" }
    var repr: String { "dtype('int64')" }
    var str: String { "int64" }
}
