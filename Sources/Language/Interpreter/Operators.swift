import Foundation
import TensorCore

/// Python's arithmetic and comparison operators over sbpl values, tensors included (with torch's broadcasting).
enum Operators {
    static func unary(_ op: UnaryOperator, _ v: Value) throws -> Value {
        switch (op, v) {
        case (.not, _): return .bool(!(try v.isTruthy()))
        case (.negate, .int(let i)): return .int(try checked(0.subtractingReportingOverflow(i)))
        case (.negate, .bool(let b)): return .int(b ? -1 : 0)
        case (.negate, .float(let f)): return .float(-f)
        case (.negate, .tensor(let t)): return .tensor(t.negated())
        case (.plus, .int), (.plus, .float), (.plus, .tensor): return v
        case (.plus, .bool(let b)): return .int(b ? 1 : 0)
        default: throw PyError.type("bad operand type for unary \(op.rawValue): '\(v.typeName)'")
        }
    }

    private static func checked(_ result: (partialValue: Int, overflow: Bool)) throws -> Int {
        guard !result.overflow else { throw PyError(.overflowError, "integer overflow (sbpl ints are 64-bit)") }
        return result.partialValue
    }

    /// A number as a double, for mixed int / float arithmetic.
    private static func number(_ v: Value) -> Double? {
        switch v {
        case .int(let i): return Double(i)
        case .bool(let b): return b ? 1 : 0
        case .float(let f): return f
        default: return nil
        }
    }

    private static func integer(_ v: Value) -> Int? {
        switch v {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        default: return nil
        }
    }

    static func binary(_ op: BinaryOperator, _ l: Value, _ r: Value, inPlace: Bool = false) throws -> Value {
        if case .tensor = l { return try tensorBinary(op, l, r) }
        if case .tensor = r { return try tensorBinary(op, l, r) }
        if let a = integer(l), let b = integer(r) { return try intBinary(op, a, b) }
        if let a = number(l), let b = number(r) { return try floatBinary(op, a, b) }
        switch (op, l, r) {
        case (.add, .str(let a), .str(let b)): return .str(a + b)
        case (.multiply, .str(let s), _) where integer(r) != nil:
            return .str(String(repeating: s, count: try repeats(integer(r)!, of: s.utf8.count, bytes: 1)))
        case (.multiply, _, .str(let s)) where integer(l) != nil:
            return .str(String(repeating: s, count: try repeats(integer(l)!, of: s.utf8.count, bytes: 1)))
        case (.modulo, .str(let s), _): return .str(try FormatSpec.percent(s, r))
        case (.add, .list(let a), .list(let b)):
            if inPlace { a.items += b.items; return l }
            return .list(PyList(a.items + b.items))
        case (.add, .list(let a), _) where inPlace:
            a.items += try Iteration.materialize(r)
            return l
        case (.multiply, .list(let a), _) where integer(r) != nil:
            return .list(PyList(Array(repeating: a.items, count: try repeats(integer(r)!, of: a.items.count)).flatMap { $0 }))
        case (.multiply, _, .list(let a)) where integer(l) != nil:
            return .list(PyList(Array(repeating: a.items, count: try repeats(integer(l)!, of: a.items.count)).flatMap { $0 }))
        case (.add, .tuple(let a), .tuple(let b)): return .tuple(a + b)
        case (.multiply, .tuple(let a), _) where integer(r) != nil:
            return .tuple(Array(repeating: a, count: try repeats(integer(r)!, of: a.count)).flatMap { $0 })
        default:
            throw PyError.type("unsupported operand type(s) for \(op.rawValue)\(inPlace ? "=" : ""): '\(l.typeName)' and '\(r.typeName)'")
        }
    }

    /// `n` for `sequence * n` (negative counts as 0), or Python's MemoryError when the result could not be held.
    private static func repeats(_ n: Int, of length: Int, bytes: Int = MemoryLayout<Value>.stride) throws -> Int {
        let n = max(0, n)
        let items = n.multipliedReportingOverflow(by: length), size = items.partialValue.multipliedReportingOverflow(by: bytes)
        guard !items.overflow, !size.overflow, (try? Tensor.checkAllocation(bytes: size.partialValue)) != nil else {
            throw PyError(.memoryError, "")
        }
        return n
    }

    private static func intBinary(_ op: BinaryOperator, _ a: Int, _ b: Int) throws -> Value {
        switch op {
        case .add: return .int(try checked(a.addingReportingOverflow(b)))
        case .subtract: return .int(try checked(a.subtractingReportingOverflow(b)))
        case .multiply: return .int(try checked(a.multipliedReportingOverflow(by: b)))
        case .divide:
            guard b != 0 else { throw PyError(.zeroDivisionError, "division by zero") }
            return .float(Double(a) / Double(b))
        case .floorDivide, .modulo:
            guard b != 0 else { throw PyError(.zeroDivisionError, op == .floorDivide ? "integer division or modulo by zero" : "integer modulo by zero") }
            var q = a / b, m = a % b
            if m != 0 && (m < 0) != (b < 0) { q -= 1; m += b }
            return .int(op == .floorDivide ? q : m)
        case .power:
            if b < 0 { return try floatBinary(op, Double(a), Double(b)) }
            var result = 1, base = a, e = b
            while e > 0 {
                if e & 1 == 1 { result = try checked(result.multipliedReportingOverflow(by: base)) }
                e >>= 1
                if e > 0 { base = try checked(base.multipliedReportingOverflow(by: base)) }
            }
            return .int(result)
        case .matrixMultiply: throw PyError.type("unsupported operand type(s) for @: 'int' and 'int'")
        }
    }

    private static func floatBinary(_ op: BinaryOperator, _ a: Double, _ b: Double) throws -> Value {
        switch op {
        case .add: return .float(a + b)
        case .subtract: return .float(a - b)
        case .multiply: return .float(a * b)
        case .divide:
            guard b != 0 else { throw PyError(.zeroDivisionError, "float division by zero") }
            return .float(a / b)
        case .floorDivide, .modulo:
            guard b != 0 else { throw PyError(.zeroDivisionError, op == .floorDivide ? "float floor division by zero" : "float modulo") }
            let m = a - b * (a / b).rounded(.down)
            return .float(op == .floorDivide ? (a / b).rounded(.down) : m)
        case .power:
            if a == 0 && b < 0 { throw PyError(.zeroDivisionError, "0.0 cannot be raised to a negative power") }
            if a < 0 && b.rounded() != b { throw PyError.notSupported("complex results of **") }
            return .float(pow(a, b))
        case .matrixMultiply: throw PyError.type("unsupported operand type(s) for @: 'float' and 'float'")
        }
    }

    private static func tensorBinary(_ op: BinaryOperator, _ l: Value, _ r: Value) throws -> Value {
        if op == .matrixMultiply {
            guard case .tensor(let a) = l, case .tensor(let b) = r else {
                throw PyError.type("unsupported operand type(s) for @: '\(l.typeName)' and '\(r.typeName)'")
            }
            return .tensor(try a.matmul(b))
        }
        let ops: [BinaryOperator: BinaryOp] = [.add: .add, .subtract: .sub, .multiply: .mul, .divide: .div]
        guard let bop = ops[op] else {
            throw PyError.notSupported("the operator \(op.rawValue) on tensors")
        }
        switch (l, r) {
        case (.tensor(let a), .tensor(let b)): return .tensor(try a.combined(bop, b))
        case (.tensor(let a), _): return .tensor(try a.combined(bop, try scalar(r, op, l)))
        case (_, .tensor(let b)): return .tensor(try b.combined(try scalar(l, op, r), bop))
        default: throw PyError.type("unsupported operand type(s) for \(op.rawValue): '\(l.typeName)' and '\(r.typeName)'")
        }
    }

    private static func scalar(_ v: Value, _ op: BinaryOperator, _ tensor: Value) throws -> Scalar {
        switch v {
        case .int(let i): return .int(Int64(i))
        case .bool(let b): return .int(b ? 1 : 0)
        case .float(let f): return .float(f)
        default: throw PyError.type("unsupported operand type(s) for \(op.rawValue): '\(tensor.typeName)' and '\(v.typeName)'")
        }
    }

    // MARK: Comparisons

    static func compare(_ op: ComparisonOperator, _ l: Value, _ r: Value) throws -> Bool {
        switch op {
        case .equal: return try equal(l, r)
        case .notEqual: return try !equal(l, r)
        case .is: return identical(l, r)
        case .isNot: return !identical(l, r)
        case .in: return try contains(r, l)
        case .notIn: return try !contains(r, l)
        case .less: return try ordering(l, r, op) < 0
        case .lessOrEqual: return try ordering(l, r, op) <= 0
        case .greater: return try ordering(l, r, op) > 0
        case .greaterOrEqual: return try ordering(l, r, op) >= 0
        }
    }

    private static func identical(_ l: Value, _ r: Value) -> Bool {
        switch (l, r) {
        case (.none, .none): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.list(let a), .list(let b)): return a === b
        case (.dict(let a), .dict(let b)): return a === b
        case (.object(let a), .object(let b)): return a === b
        case (.int(let a), .int(let b)): return a == b
        case (.str(let a), .str(let b)): return a == b
        case (.dtype(let a), .dtype(let b)): return a == b
        default: return false
        }
    }

    static func equal(_ l: Value, _ r: Value) throws -> Bool {
        if let a = number(l), let b = number(r) { return a == b }
        switch (l, r) {
        case (.none, .none): return true
        case (.str(let a), .str(let b)): return a == b
        case (.list(let a), .list(let b)): return try sequencesEqual(a.items, b.items)
        case (.tuple(let a), .tuple(let b)): return try sequencesEqual(a, b)
        case (.size(let a), .size(let b)): return a == b
        case (.size(let a), .tuple(let b)), (.tuple(let b), .size(let a)): return try sequencesEqual(a.map { .int($0) }, b)
        case (.dict(let a), .dict(let b)):
            guard a.keys.count == b.keys.count else { return false }
            for (k, v) in a.items { guard let w = try b.get(k), try equal(v, w) else { return false } }
            return true
        case (.dtype(let a), .dtype(let b)): return a == b
        case (.tensor, _), (_, .tensor):
            throw PyError.notSupported("comparing tensors with == (use torch.equal or .tolist())")
        default: return identical(l, r)
        }
    }

    private static func sequencesEqual(_ a: [Value], _ b: [Value]) throws -> Bool {
        guard a.count == b.count else { return false }
        for (x, y) in zip(a, b) where try !equal(x, y) { return false }
        return true
    }

    /// -1, 0 or 1, for numbers, strings and sequences (element by element), as Python orders them.
    static func ordering(_ l: Value, _ r: Value, _ op: ComparisonOperator = .less) throws -> Int {
        if let a = number(l), let b = number(r) {
            if a.isNaN || b.isNaN { return op == .less || op == .lessOrEqual ? 1 : -1 }
            return a < b ? -1 : a > b ? 1 : 0
        }
        switch (l, r) {
        case (.str(let a), .str(let b)):
            return Array(a.unicodeScalars.map(\.value)).lexicographicallyPrecedes(b.unicodeScalars.map(\.value)) ? -1 : a == b ? 0 : 1
        case (.list(let a), .list(let b)): return try sequenceOrdering(a.items, b.items, op)
        case (.tuple(let a), .tuple(let b)): return try sequenceOrdering(a, b, op)
        default:
            throw PyError.type("'\(op.rawValue)' not supported between instances of '\(l.typeName)' and '\(r.typeName)'")
        }
    }

    private static func sequenceOrdering(_ a: [Value], _ b: [Value], _ op: ComparisonOperator) throws -> Int {
        for (x, y) in zip(a, b) where try !equal(x, y) { return try ordering(x, y, op) }
        return a.count < b.count ? -1 : a.count > b.count ? 1 : 0
    }

    static func contains(_ container: Value, _ item: Value) throws -> Bool {
        switch container {
        case .str(let s):
            guard case .str(let sub) = item else {
                throw PyError.type("'in <string>' requires string as left operand, not \(item.typeName)")
            }
            return sub.isEmpty || s.contains(sub)
        case .dict(let d): return try d.get(item) != nil
        case .object(let m as MappingObject): if case .str(let k) = item { return m.mappingKeys.contains(k) } else { return false }
        default:
            for element in try Iteration.materialize(container) where try equal(element, item) { return true }
            return false
        }
    }
}
