import BigInt
import TensorCore

extension Operators {
    /// `&`, `|`, `^`, `<<`, `>>` over ints of any size (two's complement, as Python's), bools (`True & False` stays a
    /// bool), and tensors (bool and integer tensors, with broadcasting).
    static func bitwise(_ op: BinaryOperator, _ l: Value, _ r: Value) throws -> Value {
        switch (l, r) {
        case (.tensor(let a), .tensor(let b)): return .tensor(try a.bitwise(op.tensorOp, b))
        case (.tensor(let a), _): return .tensor(try a.bitwise(op.tensorOp, try bitwiseScalar(r, op, l)))
        case (_, .tensor(let b)): return .tensor(try Tensor(scalar: try bitwiseScalar(l, op, r)).bitwise(op.tensorOp, b))
        case (.bool(let a), .bool(let b)) where op == .bitAnd || op == .bitOr || op == .bitXor:
            return .bool(op == .bitAnd ? a && b : op == .bitOr ? a || b : a != b)
        default: break
        }
        guard let a = l.exactInteger, let b = r.exactInteger else {
            throw PyError.type("unsupported operand type(s) for \(op.rawValue): '\(l.typeName)' and '\(r.typeName)'")
        }
        switch op {
        case .leftShift, .rightShift:
            guard b >= 0 else { throw PyError.value("negative shift count") }
            return .integer(try shifted(a, op == .leftShift ? b : -b))
        default: return .integer(twosComplement(a, b, op))
        }
    }

    /// `a << n` (n >= 0) or `a >> -n`, flooring as Python does for negative numbers.
    private static func shifted(_ a: BigInt, _ n: BigInt) throws -> BigInt {
        guard let count = Int(exactly: n.magnitude) else {
            if n < 0 { return a < 0 ? -1 : 0 }
            throw PyError(.overflowError, "too many digits in integer")
        }
        if n < 0 { return a >= 0 ? a >> count : -((-a - 1) >> count) - 1 }
        if a == 0 { return 0 }
        let (bits, overflow) = a.magnitude.bitWidth.addingReportingOverflow(count)
        try PyError.checkMemory(bytes: overflow ? nil : bits / 8)
        return a << count
    }

    /// `a op b` for `&`, `|`, `^` in two's complement: both taken modulo 2^w for a width past either's sign bit.
    private static func twosComplement(_ a: BigInt, _ b: BigInt, _ op: BinaryOperator) -> BigInt {
        let width = max(a.magnitude.bitWidth, b.magnitude.bitWidth) + 1
        let modulus = BigUInt(1) << width
        func unsigned(_ x: BigInt) -> BigUInt { x >= 0 ? x.magnitude : modulus - x.magnitude }
        let (x, y) = (unsigned(a), unsigned(b))
        let r = op == .bitAnd ? x & y : op == .bitOr ? x | y : x ^ y
        return r >= modulus >> 1 ? -BigInt(modulus - r) : BigInt(r)
    }

    private static func bitwiseScalar(_ v: Value, _ op: BinaryOperator, _ tensor: Value) throws -> Scalar {
        switch v {
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(Int64(i))
        default: throw PyError.type("unsupported operand type(s) for \(op.rawValue): '\(tensor.typeName)' and '\(v.typeName)'")
        }
    }
}

extension BinaryOperator {
    /// The tensor operation of a bitwise operator.
    var tensorOp: BitwiseOp {
        switch self {
        case .bitOr: .or
        case .bitXor: .xor
        case .leftShift: .leftShift
        case .rightShift: .rightShift
        default: .and
        }
    }
}
