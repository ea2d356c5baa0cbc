import Foundation
import TensorCore

/// How values become numpy arrays and dtypes: `np.array([[1, 2], [3, 4]])`, `np.asarray(tensor)`,
/// `dtype=np.float32` / `"float32"` / `float`, as numpy reads them.
enum NumpyConversion {
    /// The dtypes sbpl's arrays hold, by numpy's name.
    static let dtypes: [String: DType] = ["float64": .float64, "float32": .float32, "int64": .int64, "bool": .bool]

    /// numpy's other dtypes, which sbpl's arrays do not hold yet.
    private static let otherDTypes: Set<String> = ["int8", "int16", "int32", "uint8", "uint16", "uint32", "uint64", "float16",
                                                   "complex64", "complex128", "object", "str", "bytes"]

    /// The dtype a numpy name or alias stands for (`float32`, `bool_`, `f8`, Python's `float` and `int`).
    private static func named(_ name: String) -> DType? {
        let aliases = ["bool_": "bool", "float": "float64", "double": "float64", "f8": "float64", "f4": "float32",
                       "single": "float32", "int": "int64", "i8": "int64"]
        return dtypes[aliases[name] ?? name]
    }

    /// The dtype `value` names: a dtype, a numpy scalar type (`np.float32`), its name, or a Python type (`float` is
    /// float64, `int` int64).
    static func dtype(_ value: Value) throws -> DType {
        switch value {
        case .object(let d as NumpyDType): return d.dtype
        case .object(let type as TypeObject):
            let name = type.qualifiedName
            if name.hasPrefix("numpy.") || ["float", "int", "bool"].contains(name), let dtype = named(String(name.dropFirst(name.hasPrefix("numpy.") ? 6 : 0))) {
                return dtype
            }
        case .str(let name):
            if let dtype = named(name) { return dtype }
            if !otherDTypes.contains(name) { throw PyError.type("data type '\(name)' not understood") }
        case .dtype(let dtype) where dtypes[NumpyPrinter.dtypeName(dtype)] != nil: return dtype
        default: break
        }
        throw PyError.notImplemented("numpy arrays of dtype \(value.repr) (sbpl's are float64, float32, int64 and bool)")
    }

    /// The array `value` stands for: itself, a tensor's elements (as `np.asarray(tensor)` reads them), a numpy
    /// scalar, or nested lists and tuples of numbers.
    static func array(_ value: Value, dtype: DType? = nil) throws -> NDArrayObject {
        if case .object(let array as NDArrayObject) = value, dtype == nil || dtype == array.tensor.dtype { return array }
        return NDArrayObject(try tensor(value, dtype: dtype))
    }

    /// A new tensor holding the elements of `value` (copied), in `dtype` or the one numpy infers.
    static func tensor(_ value: Value, dtype: DType?) throws -> Tensor {
        switch value {
        case .object(let array as NDArrayObject): return array.tensor.to(dtype ?? array.tensor.dtype).copy()
        case .tensor(let t):
            return try NDArrayObject(converting: t, force: false).tensor.to(dtype ?? t.dtype).copy()
        default:
            var shape = [Int](), flat = [Value]()
            try flatten(value, depth: 0, into: &shape, &flat)
            let target = try dtype ?? inferredDType(flat)
            switch target {
            case .bool: return Tensor(bools: try flat.map { try $0.isTruthy() }, shape: shape)
            case .int64: return Tensor(ints: try flat.map(int64), shape: shape)
            default: return Tensor(doubles: try flat.map { try $0.asDouble("element") }, shape: shape).to(target)
            }
        }
    }

    /// numpy's dtype for a list's elements: float64 with any float (float32 when all are `np.float32`), int64 with
    /// any int, else bool.
    private static func inferredDType(_ flat: [Value]) throws -> DType {
        var dtype = DType.bool
        for v in flat {
            switch v {
            case .bool, .object(_ as NumpyBool): break
            case .int, .bigInt, .object(_ as NumpyInt64): if dtype == .bool { dtype = .int64 }
            case .object(_ as NumpyFloat32): if dtype != .float64 { dtype = .float32 }
            case .float, .object(_ as NumpyFloat64): dtype = .float64
            default: throw PyError.notImplemented("numpy arrays of \(v.typeName) (sbpl's hold numbers and bools)")
            }
        }
        return flat.isEmpty ? .float64 : dtype
    }

    /// Appends the numbers of `value` to `flat` in row-major order, finding the `shape` on the way: numpy's
    /// ValueError for ragged lists.
    private static func flatten(_ value: Value, depth: Int, into shape: inout [Int], _ flat: inout [Value]) throws {
        switch value {
        case .list, .tuple, .object(_ as NDArrayObject), .tensor:
            guard depth < maxDimensions else {
                throw PyError.value("setting an array element with a sequence. The requested array would exceed the maximum number of dimension of \(maxDimensions).")
            }
            let items = try Iteration.materialize(value)
            if depth == shape.count && flat.isEmpty { shape.append(items.count) }
            guard depth < shape.count, shape[depth] == items.count else { throw inhomogeneous(shape, depth) }
            for item in items { try flatten(item, depth: depth + 1, into: &shape, &flat) }
        default:
            guard depth == shape.count else { throw inhomogeneous(shape, depth) }
            flat.append(value)
        }
    }

    /// numpy's most dimensions (`NPY_MAXDIMS`).
    private static let maxDimensions = 64

    private static func inhomogeneous(_ shape: [Int], _ depth: Int) -> PyError {
        let detected = NumpyPrinter.pythonTuple(Array(shape.prefix(depth)))
        return PyError.value("setting an array element with a sequence. The requested array has an inhomogeneous shape after \(depth) dimensions. The detected shape was \(detected) + inhomogeneous part.")
    }

    /// An int64 element: numpy's OverflowError past 64 bits; a float is truncated.
    private static func int64(_ v: Value) throws -> Int64 {
        switch v {
        case .bigInt: throw PyError(.overflowError, "Python int too large to convert to C long")
        case .float(let f):
            guard let i = Int64(exactly: f.rounded(.towardZero)) else { throw PyError.value("cannot convert float \(pythonFloat(f)) to integer") }
            return i
        default: return Int64(try v.indexValue.asInt("element"))
        }
    }

    /// numpy's MemoryError when an array of `shape` and `dtype` would not fit in memory (sbpl's allocation check):
    /// `Unable to allocate 7.28 TiB for an array with shape (1000000000000,) and data type float64`.
    static func checkAllocation(_ shape: [Int], _ dtype: DType) throws {
        guard (try? Tensor.checkAllocation(shape, dtype: dtype)) == nil else { return }
        let bytes = Double(shape.reduce(1.0) { $0 * Double($1) }) * Double(dtype.storageSize)
        let units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        var unit = Swift.min(Swift.max(Int(Foundation.log2(Swift.max(bytes, 1))), 1) / 10, units.count - 1)
        var amount = bytes / Foundation.pow(1024, Double(unit))
        if amount.rounded() == 1024 && unit < units.count - 1 { (unit, amount) = (unit + 1, amount / 1024) }
        let size = unit == 0 ? "\(Int(amount)) bytes" : "\(String(format: "%.3g", amount)) \(units[unit])"
        let shapeText = NumpyPrinter.pythonTuple(shape)
        throw PyError(.memoryError, "Unable to allocate \(size) for an array with shape \(shapeText) and data type \(NumpyPrinter.dtypeName(dtype))")
    }

    private static func pythonFloat(_ f: Double) -> String { f.isNaN ? "NaN" : f > 0 ? "infinity" : "-infinity" }
}
