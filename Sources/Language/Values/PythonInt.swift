import BigInt
import Foundation
import TensorCore

extension Value {
    /// A Python int of any size: `.int` when it fits in 64 bits, `.bigInt` beyond.
    public static func integer(_ value: BigInt) -> Value { Int(exactly: value).map(Value.int) ?? .bigInt(value) }

    /// The value as an integer of any size, for ints and bools.
    public var exactInteger: BigInt? {
        switch self {
        case .int(let i): return BigInt(i)
        case .bool(let b): return b ? 1 : 0
        case .bigInt(let b): return b
        default: return nil
        }
    }
}

/// Python's int arithmetic beyond 64 bits, and its conversions between ints and floats.
enum IntArithmetic {
    /// `a op b` for ints of any size, with Python's floor division and modulo.
    static func binary(_ op: BinaryOperator, _ a: BigInt, _ b: BigInt) throws -> Value {
        switch op {
        case .add: return .integer(a + b)
        case .subtract: return .integer(a - b)
        case .multiply:
            try checkSize(bits: a.bitWidth + b.bitWidth)
            return .integer(a * b)
        case .divide:
            guard b != 0 else { throw PyError(.zeroDivisionError, "division by zero") }
            return .float(try double(a, "integer division result too large for a float") / double(b, "integer division result too large for a float"))
        case .floorDivide, .modulo:
            guard b != 0 else { throw PyError(.zeroDivisionError, op == .floorDivide ? "integer division or modulo by zero" : "integer modulo by zero") }
            var (q, r) = a.quotientAndRemainder(dividingBy: b)
            if r != 0 && (r < 0) != (b < 0) { q -= 1; r += b }
            return .integer(op == .floorDivide ? q : r)
        case .power:
            guard b >= 0 else { return .float(Foundation.pow(try double(a), try double(b))) }
            if a == 0 || a == 1 || b == 0 { return .integer(b == 0 ? 1 : a) }
            if a == -1 { return .integer(b.isMultiple(of: 2) ? 1 : -1) }
            guard let exponent = Int(exactly: b) else { throw PyError(.memoryError, "") }
            try checkSize(bits: a.magnitude.bitWidth.multipliedReportingOverflow(by: exponent))
            return .integer(a.power(exponent))
        case .matrixMultiply: throw PyError.type("unsupported operand type(s) for @: 'int' and 'int'")
        case .bitAnd, .bitOr, .bitXor, .leftShift, .rightShift: return try Operators.bitwise(op, .integer(a), .integer(b))
        }
    }

    /// Refuses an int whose `bits` this machine cannot hold, as Python's MemoryError.
    private static func checkSize(bits: (partialValue: Int, overflow: Bool)) throws {
        try PyError.checkMemory(bytes: bits.overflow ? nil : bits.partialValue / 8)
    }

    private static func checkSize(bits: Int) throws { try checkSize(bits: (bits, false)) }

    /// `float(i)`: the nearest double, or Python's OverflowError past a float's range.
    static func double(_ i: BigInt, _ message: String = "int too large to convert to float") throws -> Double {
        let d = Double(i)
        guard d.isFinite else { throw PyError(.overflowError, message) }
        return d
    }

    /// `int(f)`: the float truncated towards zero, at any size; Python's errors for infinities and NaN.
    static func truncating(_ f: Double) throws -> Value {
        guard f.isFinite else { throw PyError(f.isNaN ? .valueError : .overflowError, "cannot convert float \(f.isNaN ? "NaN" : "infinity") to integer") }
        return .integer(BigInt(f.rounded(.towardZero)))
    }

    /// `round(i, n)` for a negative `n`: the nearest multiple of 10**-n, halves to even, exactly.
    static func round(_ i: BigInt, digits n: Int) -> Value {
        guard n < 0 else { return .integer(i) }
        guard n.magnitude <= i.magnitude.description.count else { return .int(0) }
        let p = BigInt(10).power(Int(n.magnitude))
        var (q, r) = i.quotientAndRemainder(dividingBy: p)
        if r < 0 { q -= 1; r += p }
        if 2 * r > p || (2 * r == p && !q.isMultiple(of: 2)) { q += 1 }
        return .integer(q * p)
    }
}
