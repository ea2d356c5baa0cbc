import PythonText
import TensorCore

/// A numpy float32 scalar, as pipelines give scores and float32 arrays give elements: `np.float32(0.99916124)`, its
/// shortest float32 digits as numpy writes them.
public final class NumpyFloat32: RealScalarObject, MemberTableObject {
    let value: Float
    public static let members: MemberTable<NumpyFloat32> = scalarMembers(.float32)
    public var dtype: DType { .float32 }

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
    public var dtype: DType { .int64 }

    public init(_ value: Int64) { self.value = value }

    public var doubleValue: Double { Double(value) }
    public var item: Value { .int(Int(value)) }
    public var typeName: String { "int64" }
    public var qualifiedTypeName: String? { "numpy.int64" }
    public var repr: String { "np.int64(\(value))" }
    public var str: String { String(value) }
}

/// A numpy float64 scalar, as float64 arrays give elements and reductions: `np.float64(0.25)`, printed as Python
/// prints the float.
public final class NumpyFloat64: RealScalarObject, MemberTableObject {
    let value: Double
    public static let members: MemberTable<NumpyFloat64> = scalarMembers(.float64)
    public var dtype: DType { .float64 }

    public init(_ value: Double) { self.value = value }

    public var doubleValue: Double { value }
    public var item: Value { .float(value) }
    public var typeName: String { "float64" }
    public var qualifiedTypeName: String? { "numpy.float64" }
    public var repr: String { "np.float64(\(str))" }
    public var str: String { pythonRepr(value) }
}

/// A numpy bool scalar, an element of a bool array: `np.True_`, printed `True`.
public final class NumpyBool: RealScalarObject, MemberTableObject {
    let value: Bool
    public static let members: MemberTable<NumpyBool> = scalarMembers(.bool)
    public var dtype: DType { .bool }

    public init(_ value: Bool) { self.value = value }

    public var doubleValue: Double { value ? 1 : 0 }
    public var item: Value { .bool(value) }
    public var typeName: String { "bool" }
    public var qualifiedTypeName: String? { "numpy.bool" }
    public var repr: String { value ? "np.True_" : "np.False_" }
    public var str: String { value ? "True" : "False" }
}

extension Value {
    /// The value, or the Python int a numpy int64 scalar holds (numpy's `__index__`), an integer tensor of one
    /// element holds (torch's, `labels[logits.argmax()]`) or an instance's `__index__` returns: what indexing and int
    /// arguments read.
    public var indexValue: Value {
        get throws {
            if case .object(let scalar as NumpyInt64) = self { return scalar.item }
            if case .tensor(let t) = self, t.count == 1, !t.dtype.isFloatingPoint { return Value(try t.item()) }
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

/// `array.dtype`: `dtype('float32')`, printed `float32`; equal to its scalar type and its name
/// (`a.dtype == np.float32`, `a.dtype == "float32"`).
final class NumpyDType: NativeOperand {
    let dtype: DType

    init(_ dtype: DType) { self.dtype = dtype }

    var typeName: String { "dtype[\(str)]" }
    var qualifiedTypeName: String? { "numpy.dtypes.\(str.prefix(1).uppercased() + str.dropFirst())DType" }
    var repr: String { "dtype('\(str)')" }
    var str: String { NumpyPrinter.dtypeName(dtype) }

    func binary(_ op: BinaryOperator, _ other: Value, reflected: Bool) throws -> Value? { nil }

    func isEqual(to other: Value) -> Bool? { (try? NumpyConversion.dtype(other)) == dtype }
}
