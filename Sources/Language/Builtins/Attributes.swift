import BigInt
import Foundation
import TensorCore

/// Attributes and methods of the built-in value types: str, list, dict (and BatchEncoding), tensors, sizes,
/// model outputs.
public enum Attributes {
    static func lookup(_ value: Value, _ name: String, _ interpreter: Interpreter) throws -> Value? {
        switch value {
        case .str(let s): return try StringMethods.table.value(of: name, for: s, interpreter)
        case .list(let l): return try ListMethods.table.value(of: name, for: l, interpreter)
        case .tuple(let t): return try TupleMethods.table.value(of: name, for: t, interpreter)
        case .dict(let d):
            return try d.flavor.methods?.value(of: name, for: d, interpreter) ?? DictMethods.table.value(of: name, for: d, interpreter)
        case .tensor(let t):
            if let member = try TensorMethods.table.value(of: name, for: t, interpreter) { return member }
            guard !TorchNames.tensor.contains(name) else { throw PyError(.notImplementedError, "sbpl does not support Tensor.\(name) yet") }
            return nil
        case .size(let s): return try sizeMembers.value(of: name, for: s, interpreter)
        case .dtype(let d): return try dtypeMembers.value(of: name, for: d, interpreter)
        case .float(let f): return try floatMembers.value(of: name, for: f, interpreter)
        case .int, .bigInt, .bool: return try intMembers.value(of: name, for: value.exactInteger!, interpreter)
        default: return nil
        }
    }

    /// The table of a value's type, for `help()`.
    static func help(_ value: Value) -> [String] {
        switch value {
        case .str: return StringMethods.table.help
        case .list: return ListMethods.table.help
        case .tuple: return TupleMethods.table.help
        case .dict(let d): return (d.flavor.methods?.help ?? []) + DictMethods.table.help
        case .tensor: return TensorMethods.table.help
        case .size: return sizeMembers.help
        case .dtype: return dtypeMembers.help
        case .float: return floatMembers.help
        case .int, .bigInt, .bool: return intMembers.help
        default: return []
        }
    }

    private static let sizeMembers = MemberTable<[Int]>("Size", [
        // wrapping past 64 bits, as torch's does (torch.Size([2**62, 4]).numel() is 0)
        .method("numel", "", "the number of elements a tensor of this shape has") { s, _ in .int(s.reduce(1, &*)) },
    ])
    private static let dtypeMembers = MemberTable<DType>("dtype", [
        .attribute("is_floating_point", "whether the type holds floating-point numbers") { .bool($0.isFloatingPoint) },
    ])
    private static let floatMembers = MemberTable<Double>("float", [
        .method("is_integer", "", "whether the float is finite with no fractional part") { f, _ in .bool(f.isFinite && f.rounded() == f) },
        .method("conjugate", "", "the number itself") { f, _ in .float(f) },
        .method("hex", "/", "the float's exact value in hexadecimal: 0x1.8000000000000p+1 for 3.0") { f, _ in .str(FloatHex.format(f)) },
        .method("as_integer_ratio", "", "the exact fraction (numerator, denominator) the float holds, lowest terms") { f, _ in
            try integerRatio(f)
        },
        .attribute("real", "the number itself") { .float($0) },
        .attribute("imag", "0.0") { _ in .float(0) },
    ])
    /// int's members; a bool has them too (`True.real` is the int 1), as bool is an int.
    private static let intMembers = MemberTable<BigInt>("int", [
        .method("bit_length", "", "the number of bits abs(self) takes in binary, without its sign or leading zeros") { i, _ in
            .int(i.magnitude.bitWidth)  // BigUInt.bitWidth: the bits its value needs, 0 for 0
        },
        .method("bit_count", "", "the number of ones in abs(self) in binary") { i, _ in
            .int(i.magnitude.words.reduce(0) { $0 + $1.nonzeroBitCount })
        },
        .method("conjugate", "", "the number itself") { i, _ in .integer(i) },
        .method("as_integer_ratio", "", "(self, 1)") { i, _ in .tuple([.integer(i), .int(1)]) },
        .attribute("real", "the number itself") { .integer($0) },
        .attribute("imag", "0") { _ in .int(0) },
        .attribute("numerator", "the number itself") { .integer($0) },
        .attribute("denominator", "1") { _ in .int(1) },
    ])

    /// `float.as_integer_ratio()`: the float's exact value as a fraction in lowest terms (its significand over a
    /// power of two), CPython's errors for infinities and NaN.
    private static func integerRatio(_ f: Double) throws -> Value {
        guard !f.isNaN else { throw PyError.value("cannot convert NaN to integer ratio") }
        guard f.isFinite else { throw PyError(.overflowError, "cannot convert Infinity to integer ratio") }
        guard f != 0 else { return .tuple([.int(0), .int(1)]) }
        var numerator = BigInt(f.significandBitPattern | (f.isNormal ? 1 << 52 : 0)) * (f < 0 ? -1 : 1)
        var exponent = (f.isNormal ? Int(f.exponent) : -1022) - 52
        while exponent < 0 && numerator.isMultiple(of: 2) { numerator /= 2; exponent += 1 }
        if exponent >= 0 { return .tuple([.integer(numerator << exponent), .int(1)]) }
        return .tuple([.integer(numerator), .integer(BigInt(1) << -exponent)])
    }

    /// Names for completion and `dir()`, per value type.
    static func names(_ value: Value) -> [String] {
        switch value {
        case .str: return StringMethods.table.names
        case .list: return ListMethods.table.names
        case .tuple: return TupleMethods.table.names
        case .dict(let d): return (d.flavor.methods?.names ?? []) + DictMethods.table.names
        case .tensor: return TensorMethods.table.names
        case .size: return sizeMembers.names
        case .dtype: return dtypeMembers.names
        case .float: return floatMembers.names
        case .int, .bigInt, .bool: return intMembers.names
        case .object(let o): return o.attributeNames
        default: return []
        }
    }
}

/// Converting argument values to Swift types, with Python's TypeErrors.
extension Value {
    /// An int where Python wants one (`range(n)`, `chr(i)`, `lst.pop(i)`), with CPython's "'float' object cannot
    /// be interpreted as an integer" for anything else.
    public func asIndex() throws -> Int { try asInt(nil) }

    /// An int for the argument `what` (its TypeError names it; nil words it as `asIndex` does).
    public func asInt(_ what: String?) throws -> Int {
        switch try indexValue {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        case .bigInt: throw PyError(.overflowError, "Python int too large to convert to C ssize_t")
        default:
            if case .tensor(let t) = self, t.count == 1, t.dtype == .int64, case .int(let i) = try t.item() { return Int(i) }
            throw PyError.type(what.map { "\($0) must be an integer, not '\(typeName)'" }
                ?? "'\(typeName)' object cannot be interpreted as an integer")
        }
    }

    /// A float for the argument `what`; its TypeError says what was `expected` (float() also takes strings).
    public func asDouble(_ what: String, expected: String = "a real number") throws -> Double {
        switch self {
        case .int(let i): return Double(i)
        case .bigInt(let i): return try IntArithmetic.double(i)
        case .bool(let b): return b ? 1 : 0
        case .float(let f): return f
        case .tensor(let t) where t.count == 1: return try t.item().doubleValue
        case .object(let scalar as RealScalarObject): return scalar.doubleValue
        default: throw PyError.type("\(what) must be \(expected), not '\(typeName)'")
        }
    }

    /// The str for the argument `what` (its TypeError names it; nil words it as CPython's str methods do).
    public func asString(_ what: String?) throws -> String {
        guard case .str(let s) = self else { throw PyError.type((what.map { "\($0) " } ?? "") + "must be str, not \(typeName)") }
        return s
    }

    public func asTensor(_ what: String) throws -> Tensor {
        guard case .tensor(let t) = self else { throw PyError.type("\(what) must be a Tensor, not \(typeName)") }
        return t
    }

    /// A number (or a one-element tensor) as a tensor element: an int, a float or a bool.
    public func asScalar(_ what: String) throws -> Scalar {
        switch self {
        case .int(let i): return .int(Int64(i))
        case .bool(let b): return .bool(b)
        case .float(let f): return .float(f)
        case .tensor(let t) where t.count == 1: return try t.item()
        case .bigInt: throw PyError(.runtimeError, "Overflow when unpacking long")
        default: return .float(try asDouble(what))
        }
    }

    /// A tensor, or a number as a 0-d tensor of its type (`torch.where(c, x, 0.0)`, `x[mask] = 0`).
    public func asTensorOperand(_ what: String) throws -> Tensor {
        if case .tensor(let t) = self { return t }
        return Tensor(scalar: try asScalar(what))
    }

    /// A Python `int`/`float` from a tensor element.
    public init(_ scalar: Scalar) {
        switch scalar {
        case .int(let i): self = .int(Int(i))
        case .float(let f): self = .float(f)
        case .bool(let b): self = .bool(b)
        }
    }
}
