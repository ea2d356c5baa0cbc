import TensorCore

/// A numpy array, as `tensor.numpy()` and `tokenizer(..., return_tensors="np")` give: int64, float32 or bool, sharing
/// the tensor's elements, printed as numpy prints it, with `shape`, `dtype`, `ndim`, `size`, `tolist()`, `len`,
/// iteration and indexing (a sub-array, or an element as a numpy scalar); `torch.tensor(array)` and
/// `torch.from_numpy(array)` make a tensor again.
public final class NDArrayObject: IterableObject, MemberTableObject, TensorIndexable {
    /// The elements, in a tensor of the array's dtype.
    public let tensor: Tensor

    public init(_ tensor: Tensor) { self.tensor = tensor }

    /// `tensor.numpy()`: the array of an int64, float32 or bool tensor; numpy has no bfloat16 (torch's TypeError),
    /// and sbpl does not print float64, float16 or int32 arrays yet.
    convenience init(converting tensor: Tensor) throws {
        switch tensor.dtype {
        case .int64, .float32, .bool: self.init(tensor)
        case .bfloat16: throw PyError.type("Got unsupported ScalarType BFloat16")
        case .float64, .float16, .int32: throw PyError.notImplemented("numpy() of \(tensor.dtype.name) tensors")
        }
    }

    public var typeName: String { "ndarray" }
    public var isHashable: Bool { false }
    public var qualifiedTypeName: String? { "numpy.ndarray" }
    public var repr: String { NumpyPrinter.repr(tensor) }
    public var str: String { NumpyPrinter.str(tensor) }

    /// The rows: sub-arrays, or the elements of a 1-D array.
    public var items: [Value] {
        guard tensor.rank > 0 else { return [] }
        return (0..<tensor.shape[0]).compactMap { try? item(at: [.at($0)]) }
    }

    public func item(at indices: [TensorIndex]) throws -> Value {
        let item = try tensor.view(at: indices)
        return item.rank == 0 ? Self.element(try item.item()) : .object(NDArrayObject(item))
    }

    /// An element as numpy gives it: `np.float32(0.5)`, `np.int64(101)`, `np.True_`.
    private static func element(_ scalar: Scalar) -> Value {
        switch scalar {
        case .float(let v): .object(NumpyFloat32(Float(v)))
        case .int(let v): .object(NumpyInt64(v))
        case .bool(let v): .object(NumpyBool(v))
        }
    }

    public static let members = MemberTable<NDArrayObject>("ndarray", [
        .attribute("shape", "the size of each dimension, a tuple") { .tuple($0.tensor.shape.map(Value.int)) },
        .attribute("dtype", "the element type: int64, float32 or bool") { .object(NumpyDType($0.tensor.dtype)) },
        .attribute("ndim", "the number of dimensions") { .int($0.tensor.rank) },
        .attribute("size", "the number of elements") { .int($0.tensor.count) },
        .method("tolist", "", "the elements as nested Python lists of ints, floats or bools") { a, _ in TensorMethods.toList(a.tensor) },
    ])
}

/// A numpy float32 scalar, as pipelines give scores and float32 arrays give elements: `np.float32(0.99916124)`, its
/// shortest float32 digits as numpy writes them.
public final class NumpyFloat32: RealScalarObject, MemberTableObject {
    let value: Float
    public static let members: MemberTable<NumpyFloat32> = scalarMembers(.float32)

    public init(_ value: Float) { self.value = value }

    public var doubleValue: Double { Double(value) }
    public var item: Value { .float(Double(value)) }
    public var typeName: String { "float32" }
    public var qualifiedTypeName: String? { "numpy.float32" }
    public var repr: String { "np.float32(\(str))" }
    public var str: String { NumpyPrinter.float32Str(value) }
}

/// A numpy int64 scalar, an element of an int64 array: `np.int64(101)`, printed `101`; it indexes as its int does.
public final class NumpyInt64: RealScalarObject, MemberTableObject {
    let value: Int64
    public static let members: MemberTable<NumpyInt64> = scalarMembers(.int64)

    public init(_ value: Int64) { self.value = value }

    public var doubleValue: Double { Double(value) }
    public var item: Value { .int(Int(value)) }
    public var typeName: String { "int64" }
    public var qualifiedTypeName: String? { "numpy.int64" }
    public var repr: String { "np.int64(\(value))" }
    public var str: String { String(value) }
}

/// A numpy bool scalar, an element of a bool array: `np.True_`, printed `True`.
public final class NumpyBool: RealScalarObject, MemberTableObject {
    let value: Bool
    public static let members: MemberTable<NumpyBool> = scalarMembers(.bool)

    public init(_ value: Bool) { self.value = value }

    public var doubleValue: Double { value ? 1 : 0 }
    public var item: Value { .bool(value) }
    public var typeName: String { "bool" }
    public var qualifiedTypeName: String? { "numpy.bool" }
    public var repr: String { value ? "np.True_" : "np.False_" }
    public var str: String { value ? "True" : "False" }
}

extension Value {
    /// The value, or the Python int a numpy int64 scalar holds (numpy's `__index__`) or an instance's `__index__`
    /// returns: what indexing and int arguments read.
    public var indexValue: Value {
        get throws {
            if case .object(let scalar as NumpyInt64) = self { return scalar.item }
            if let instance, let index = try instance.callSpecial("__index__") { return index }
            return self
        }
    }
}

/// `item()` and `dtype`, which every numpy scalar has.
private func scalarMembers<Scalar: RealScalarObject & SendableMetatype>(_ dtype: DType) -> MemberTable<Scalar> {
    MemberTable<Scalar>(NumpyPrinter.dtypeName(dtype), [
        .method("item", "", "the value as a Python number") { x, _ in x.item },
        .attribute("dtype", "the element type, \(NumpyPrinter.dtypeName(dtype))") { _ in .object(NumpyDType(dtype)) },
    ])
}

/// `array.dtype`: `dtype('float32')`, printed `float32`.
final class NumpyDType: PyObject {
    let dtype: DType

    init(_ dtype: DType) { self.dtype = dtype }

    var typeName: String { "dtype[\(str)]" }
    var qualifiedTypeName: String? { "numpy.dtypes.\(str.prefix(1).uppercased() + str.dropFirst())DType" }
    var repr: String { "dtype('\(str)')" }
    var str: String { NumpyPrinter.dtypeName(dtype) }
}
