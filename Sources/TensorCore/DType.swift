import CKernels

/// The element types sbpl tensors hold, as torch names them: float32 for activations and weights, int64 for ids and
/// masks, bool for comparisons, and the other types learners convert to (`.half()`, `.bfloat16()`, `.double()`,
/// `.int()`).
///
/// float16 and bfloat16 values are kept in float32 storage, each rounded to its type, and computed in float32 and
/// rounded again, as torch's CPU kernels compute them; int32 values are kept in int64 storage, wrapped to 32 bits.
public enum DType: Sendable, Equatable, CaseIterable {
    case float32, float64, float16, bfloat16
    case int64, int32
    case bool

    /// How the elements lie in storage.
    enum Layout { case float, double, int, bool }

    var layout: Layout {
        switch self {
        case .float32, .float16, .bfloat16: .float
        case .float64: .double
        case .int64, .int32: .int
        case .bool: .bool
        }
    }

    /// Bytes per stored element.
    public var storageSize: Int {
        switch layout {
        case .float: 4
        case .double, .int: 8
        case .bool: 1
        }
    }

    /// Bytes per element, as torch counts them (`element_size()`).
    public var size: Int {
        switch self {
        case .float64, .int64: 8
        case .float32, .int32: 4
        case .float16, .bfloat16: 2
        case .bool: 1
        }
    }

    /// The type torch calls `name` (`float16`), nil for a name it has not.
    public init?(name: String) {
        guard let found = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = found
    }

    /// torch's other names for its types: `torch.half` is `torch.float16`.
    public static let aliases: [String: DType] = ["float": .float32, "double": .float64, "half": .float16, "long": .int64, "int": .int32]

    /// The type `getattr(torch, name)` gives: its name (`float16`) or an alias (`half`).
    public init?(torchAttribute name: String) {
        guard let found = DType(name: name) ?? Self.aliases[name] else { return nil }
        self = found
    }

    /// The name torch prints, e.g. `torch.float32`.
    public var torchName: String { "torch." + name }

    /// The bare name: `float16`.
    public var name: String {
        switch self {
        case .float32: "float32"
        case .float64: "float64"
        case .float16: "float16"
        case .bfloat16: "bfloat16"
        case .int64: "int64"
        case .int32: "int32"
        case .bool: "bool"
        }
    }

    /// The name torch's C++ errors use: `Float`, `Long`, `Half`.
    public var scalarTypeName: String {
        switch self {
        case .float32: "Float"
        case .float64: "Double"
        case .float16: "Half"
        case .bfloat16: "BFloat16"
        case .int64: "Long"
        case .int32: "Int"
        case .bool: "Bool"
        }
    }

    /// The C++ type torch's autograd errors name: `float`, `long int`, `c10::Half`.
    public var cTypeName: String {
        switch self {
        case .float32: "float"
        case .float64: "double"
        case .float16: "c10::Half"
        case .bfloat16: "c10::BFloat16"
        case .int64: "long int"
        case .int32: "int"
        case .bool: "bool"
        }
    }

    /// The legacy tensor type name, `tensor.type()`: `torch.FloatTensor`.
    public var legacyTypeName: String { "torch.\(scalarTypeName)Tensor" }

    /// Whether the type is floating point (`dtype.is_floating_point`).
    public var isFloatingPoint: Bool { layout == .float || layout == .double }

    /// Whether the type holds integers (not bool).
    public var isInteger: Bool { layout == .int }

    /// Whether torch leaves the dtype out of a tensor's repr (the default float type, int64 and bool).
    public var isPrintedByDefault: Bool { self == .float32 || self == .int64 || self == .bool }

    /// bool < integers < floating point: a scalar or 0-d operand of a higher kind decides the result type.
    var category: Int { self == .bool ? 0 : isInteger ? 1 : 2 }

    /// torch's `promote_types(a, b)`.
    public static func promoted(_ a: DType, _ b: DType) -> DType {
        if a == b { return a }
        if a.category != b.category { return a.category > b.category ? a : b }
        switch a.category {
        case 1: return .int64  // int32 with int64
        default:
            if a == .float64 || b == .float64 { return .float64 }
            if a == .float32 || b == .float32 { return .float32 }
            return .float32  // float16 with bfloat16
        }
    }

    /// The result type of an operation on `dimensioned` tensors, 0-d ones and Python numbers (`wrapped`, as their
    /// default types), as torch's `result_type`: each later group counts only when it is of a higher kind.
    public static func resultType(dimensioned: [DType], zeroDimensional: [DType], wrapped: [DType] = []) -> DType {
        [dimensioned, zeroDimensional, wrapped].compactMap { group in group.dropFirst().reduce(group.first) { promoted($0!, $1) } }
            .reduce(nil) { (result: DType?, next: DType) in
                guard let result else { return next }
                return next.category > result.category ? promoted(result, next) : result
            } ?? .float32
    }

    /// The most negative finite value of a floating type (`torch.finfo(dtype).min`), what transformers' attention
    /// masks add; float32's for the others.
    public var lowestFinite: Float {
        switch self {
        case .float16: -Float(Float16.greatestFiniteMagnitude)
        case .bfloat16: -Float(bitPattern: 0x7F7F_0000)
        default: -Float.greatestFiniteMagnitude
        }
    }

    /// float16 or bfloat16: values kept as float32 ones, each operation's result rounded to the type.
    public var isReduced: Bool { reducedCode != nil }

    /// The type `kernel_round_to_type` rounds to for this one (1 bfloat16, 2 float16); nil for the types whose values
    /// are kept as computed.
    var reducedCode: Int32? {
        switch self {
        case .bfloat16: 1
        case .float16: 2
        default: nil
        }
    }

    /// `value` rounded to nearest even in float16 or bfloat16 (a NaN stays NaN) by the kernels' own rounding
    /// (rounding.h); as it is in the other types.
    func rounded(_ value: Float) -> Float { reducedCode.map { rounded_to_type(value, $0) } ?? value }

    /// `value` as an element of this type: wrapped to 32 bits for int32.
    func stored(_ value: Int64) -> Int64 { self == .int32 ? Int64(Int32(truncatingIfNeeded: value)) : value }
}

/// One element read out of a tensor, as Python's `item()` gives it: a float (double) or an int.
public enum Scalar: Sendable, Equatable {
    case float(Double)
    case int(Int64)
    case bool(Bool)

    /// The value as a double, whatever its kind.
    public var doubleValue: Double {
        switch self {
        case .float(let v): return v
        case .int(let v): return Double(v)
        case .bool(let v): return v ? 1 : 0
        }
    }

    /// The value as an element of the integer `dtype`, as torch converts a Python number there (a float truncated
    /// toward zero), or torch's RuntimeError when it does not fit (NaN, infinities, out of range).
    public func integer(as dtype: DType) throws -> Int64 {
        let value: Int64?
        switch self {
        case .int(let v): value = v
        case .bool(let b): value = b ? 1 : 0
        case .float(let f): value = f.isFinite ? Int64(exactly: f.rounded(.towardZero)) : nil
        }
        guard let value, dtype != .int32 || Int32(exactly: value) != nil else {
            throw TensorError("value cannot be converted to type \(dtype == .int32 ? "int" : "int64_t") without overflow")
        }
        return value
    }

    /// The type a Python number has as an operand: float32, int64 or bool (torch's defaults).
    public var dtype: DType {
        switch self {
        case .float: .float32
        case .int: .int64
        case .bool: .bool
        }
    }
}
