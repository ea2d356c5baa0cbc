import BigInt
import Foundation
import PythonText
import TensorCore

/// Python's arithmetic and comparison operators over sbpl values, tensors included (with torch's broadcasting).
enum Operators {
    static func unary(_ op: UnaryOperator, _ v: Value) throws -> Value {
        if let result = try SpecialMethods.unary(op, v) { return result }
        switch (op, v) {
        case (.not, _): return .bool(!(try v.isTruthy()))
        case (.negate, .int(let i)): return .integer(-BigInt(i))
        case (.negate, .bigInt(let i)): return .integer(-i)
        case (.negate, .bool(let b)): return .int(b ? -1 : 0)
        case (.negate, .float(let f)): return .float(-f)
        case (.negate, .tensor(let t)):
            guard t.dtype != .bool else {
                throw PyError(.notImplementedError, "Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.")
            }
            return .tensor(t.negated())
        case (.plus, .int), (.plus, .bigInt), (.plus, .float), (.plus, .tensor): return v
        case (.plus, .bool(let b)): return .int(b ? 1 : 0)
        case (.invert, .int(let i)): return .int(~i)
        case (.invert, .bigInt(let i)): return .integer(-i - 1)
        case (.invert, .bool(let b)): return .int(b ? -2 : -1)
        case (.invert, .tensor(let t)): return .tensor(try t.bitwiseNot())
        case (.negate, .object(let x as NumpyFloat32)): return .object(NumpyFloat32(-x.value))
        case (.negate, .object(let x as NumpyInt64)): return .object(NumpyInt64(0 &- x.value))  // int64 wraps, as in numpy
        case (.invert, .object(let x as NumpyInt64)): return .object(NumpyInt64(~x.value))
        case (.plus, .object(let x)) where x is NumpyFloat32 || x is NumpyInt64 || x is NumpyFloat64: return v
        case (.negate, .object(let x as NumpyFloat64)): return .object(NumpyFloat64(-x.value))
        case (_, .object(let array as NDArrayObject)): return try NumpyArithmetic.unary(op, array)
        case (_, .object(let x as RealScalarObject)): return try unary(op, x.item)
        default: throw PyError.type("bad operand type for unary \(op.rawValue): '\(v.typeName)'")
        }
    }

    /// A number as a double, for comparisons between ints and floats (an int beyond a float's range compares
    /// as an infinity).
    /// An int against a float, exactly as Python compares them (no rounding of the int to a double): -1, 0 or 1,
    /// nil when either is not such a pair or the float is NaN.
    private static func exactOrder(_ l: Value, _ r: Value) -> Int? {
        if case .float(let d) = r, let i = l.exactInteger { return order(i, d) }
        if case .float(let d) = l, let i = r.exactInteger { return order(i, d).map { -$0 } }
        return nil
    }

    private static func order(_ i: BigInt, _ d: Double) -> Int? {
        guard !d.isNaN else { return nil }
        guard d.isFinite else { return d > 0 ? -1 : 1 }
        let whole = BigInt(d.rounded(.down))   // exact: a double's integer part is an integer
        if i != whole { return i < whole ? -1 : 1 }
        return d > d.rounded(.down) ? -1 : 0
    }

    private static func number(_ v: Value) -> Double? {
        switch v {
        case .int(let i): return Double(i)
        case .bigInt(let i): return Double(i)
        case .bool(let b): return b ? 1 : 0
        case .float(let f): return f
        case .object(let scalar as RealScalarObject): return scalar.doubleValue
        default: return nil
        }
    }

    /// A number as a double for mixed int / float arithmetic: Python's OverflowError for an int past a float's range.
    private static func floatOperand(_ v: Value) throws -> Double? {
        if case .bigInt(let i) = v { return try IntArithmetic.double(i) }
        return number(v)
    }

    private static func integer(_ v: Value) -> Int? {
        switch v {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        default: return nil
        }
    }

    /// A repeat count (`"ab" * n`): Python's OverflowError for an int beyond 64 bits.
    private static func count(_ v: Value) throws -> Int? {
        if case .bigInt = v { throw PyError(.overflowError, "cannot fit 'int' into an index-sized integer") }
        return integer(v)
    }

    static func binary(_ op: BinaryOperator, _ l: Value, _ r: Value, inPlace: Bool = false) throws -> Value {
        // the common case first: arithmetic on two ints or two floats
        switch (l, r) {
        case (.int(let a), .int(let b)) where !op.isBitwise: return try intBinary(op, a, b)
        case (.float(let a), .float(let b)) where !op.isBitwise: return try floatBinary(op, a, b)
        default: break
        }
        // str's `%` formats whatever its right operand is (a tensor, an array), before the operand is asked
        if op == .modulo, case .str(let template) = l { return .str(try FormatSpec.percent(template, r)) }
        if let result = try SpecialMethods.binary(op, l, r, inPlace: inPlace) { return result }
        if case .object(let native as NativeOperand) = l, let result = try native.binary(op, r, reflected: false) { return result }
        if case .object(let native as NativeOperand) = r, let result = try native.binary(op, l, reflected: true) { return result }
        if let result = try NumpyArithmetic.binary(op, l, r) { return inPlace ? try NumpyArithmetic.update(l, with: result, op) : result }
        if case .object(let a as PySet) = l, case .object(let b as PySet) = r, let result = try PySet.operate(op, a, b, inPlace: inPlace) {
            return result
        }
        if let result = try DictView.setOperation(op, l, r) { return result }
        if op == .bitOr, let union = try TypeHint.union(l, r) { return union }
        if case .dict(let a) = l, case .dict(let b) = r {
            if let counts = try CollectionsModule.counterBinary(op, a, b) { return counts }
            if op == .bitOr { return .dict(try union(a, b, inPlace: inPlace)) }
        }
        if op.isBitwise { return try bitwise(op, l, r) }
        if case .tensor(let t) = l {
            let result = try tensorBinary(op, l, r)
            // `x += y` on a tensor writes into it, as torch's `__iadd__` does (its views see the change), and the name
            // takes the result's history when autograd records it (`total += loss`)
            guard inPlace, op != .matrixMultiply, case .tensor(let value) = result else { return result }
            return .tensor(try t.updatedInPlace(with: value))
        }
        if case .tensor = r { return try tensorBinary(op, l, r) }
        if let result = try numpyScalarBinary(op, l, r) { return result }
        if let a = integer(l), let b = integer(r) { return try intBinary(op, a, b) }
        if let a = l.exactInteger, let b = r.exactInteger { return try IntArithmetic.binary(op, a, b) }
        if let a = try floatOperand(l), let b = try floatOperand(r) { return try floatBinary(op, a, b) }
        switch (op, l, r) {
        case (.add, .str(let a), .str(let b)): return .str(a + b)
        case (.multiply, .str(let s), _) where try count(r) != nil:
            return .str(String(repeating: s, count: try repeats(integer(r)!, of: s.utf8.count, bytes: 1)))
        case (.multiply, _, .str(let s)) where try count(l) != nil:
            return .str(String(repeating: s, count: try repeats(integer(l)!, of: s.utf8.count, bytes: 1)))
        case (.add, .list(let a), .list(let b)):
            if inPlace { a.items += b.items; return l }
            return .list(PyList(a.items + b.items))
        case (.add, .list(let a), _) where inPlace:
            a.items += try Iteration.materialize(r)
            return l
        case (.multiply, .list(let a), _) where try count(r) != nil:
            return .list(PyList(Array(repeating: a.items, count: try repeats(integer(r)!, of: a.items.count)).flatMap { $0 }))
        case (.multiply, _, .list(let a)) where try count(l) != nil:
            return .list(PyList(Array(repeating: a.items, count: try repeats(integer(l)!, of: a.items.count)).flatMap { $0 }))
        case (.add, .tuple(let a), .tuple(let b)): return .tuple(a + b)
        case (.multiply, .tuple(let a), _) where try count(r) != nil:
            return .tuple(Array(repeating: a, count: try repeats(integer(r)!, of: a.count)).flatMap { $0 })
        case (.add, .str, _), (.add, .list, _), (.add, .tuple, _):
            throw PyError.type("can only concatenate \(l.typeName) (not \"\(r.typeName)\") to \(l.typeName)")
        case (.multiply, .str, _), (.multiply, .list, _), (.multiply, .tuple, _):
            throw PyError.type("can't multiply sequence by non-int of type '\(r.typeName)'")
        case (.multiply, _, .str), (.multiply, _, .list), (.multiply, _, .tuple):
            throw PyError.type("can't multiply sequence by non-int of type '\(l.typeName)'")
        default:
            let symbol = op == .power ? "** or pow()" : op.rawValue + (inPlace ? "=" : "")
            throw PyError.type("unsupported operand type(s) for \(symbol): '\(l.typeName)' and '\(r.typeName)'")
        }
    }

    /// `a | b` of dicts (Python 3.9): a copy of `a`, of its flavor, updated with `b`; `a |= b` updates `a`.
    private static func union(_ a: PyDict, _ b: PyDict, inPlace: Bool) throws -> PyDict {
        let result = inPlace ? a : try PyDict(a.items, flavor: a.flavor)
        for (key, value) in b.items { try result.set(key, value) }
        return result
    }

    /// numpy scalars with numbers, as numpy 2 promotes them (NEP 50): an `np.float32` with a Python number or another
    /// `np.float32` computes in float32 (double arithmetic rounded once to float32 is float32's own for + - * /);
    /// an `np.int64` as a Python int, an int result staying `np.int64`; an `np.float64` as a Python float, staying
    /// `np.float64`; an `np.bool` as Python's bool. Nil when neither operand is a numpy scalar.
    private static func numpyScalarBinary(_ op: BinaryOperator, _ l: Value, _ r: Value) throws -> Value? {
        func float32(_ v: Value) -> Float? {
            switch v {
            case .int, .bigInt, .bool, .float: return number(v).map(Float.init)
            case .object(let x as NumpyFloat32): return x.value
            case .object(let x as NumpyBool): return x.value ? 1 : 0
            default: return nil
            }
        }
        let isFloat32 = { (v: Value) in if case .object(_ as NumpyFloat32) = v { true } else { false } }
        if isFloat32(l) || isFloat32(r), let a = float32(l), let b = float32(r) {
            let result = try floatBinary(op, Double(a), Double(b))
            guard case .float(let d) = result else { return result }
            return .object(NumpyFloat32(Float(d)))
        }
        let result: Value
        switch (l, r) {
        case (.object(let a as RealScalarObject), _): result = try binary(op, a.item, r)
        case (_, .object(let b as RealScalarObject)): result = try binary(op, l, b.item)
        default: return nil
        }
        // an np.int64 keeps an int result an np.int64; an np.float64 or np.int64 makes a float result an np.float64
        let isInt64 = { (v: Value) in if case .object(_ as NumpyInt64) = v { true } else { false } }
        let isFloat64 = { (v: Value) in if case .object(_ as NumpyFloat64) = v { true } else { false } }
        switch result {
        case .int(let i) where isInt64(l) || isInt64(r): return .object(NumpyInt64(Int64(i)))
        case .float(let d) where isInt64(l) || isInt64(r) || isFloat64(l) || isFloat64(r): return .object(NumpyFloat64(d))
        default: return result
        }
    }

    /// `n` for `sequence * n` (negative counts as 0), or Python's MemoryError when the result could not be held.
    private static func repeats(_ n: Int, of length: Int, bytes: Int = MemoryLayout<Value>.stride) throws -> Int {
        let n = max(0, n), items = n.multipliedReportingOverflow(by: length), size = items.partialValue.multipliedReportingOverflow(by: bytes)
        try PyError.checkMemory(bytes: items.overflow || size.overflow ? nil : size.partialValue)
        return n
    }

    /// 64-bit int arithmetic, the common case; a result that overflows is computed again at any size.
    private static func intBinary(_ op: BinaryOperator, _ a: Int, _ b: Int) throws -> Value {
        func checked(_ result: (partialValue: Int, overflow: Bool)) throws -> Value {
            result.overflow ? try IntArithmetic.binary(op, BigInt(a), BigInt(b)) : .int(result.partialValue)
        }
        switch op {
        case .add: return try checked(a.addingReportingOverflow(b))
        case .subtract: return try checked(a.subtractingReportingOverflow(b))
        case .multiply: return try checked(a.multipliedReportingOverflow(by: b))
        case .divide:
            guard b != 0 else { throw PyError(.zeroDivisionError, "division by zero") }
            return .float(Double(a) / Double(b))
        case .floorDivide, .modulo:
            guard b != 0 else { throw PyError(.zeroDivisionError, op == .floorDivide ? "integer division or modulo by zero" : "integer modulo by zero") }
            if a == .min && b == -1 { return try IntArithmetic.binary(op, BigInt(a), BigInt(b)) }
            var q = a / b, m = a % b
            if m != 0 && (m < 0) != (b < 0) { q -= 1; m += b }
            return .int(op == .floorDivide ? q : m)
        case .power:
            if b < 0 { return try floatBinary(op, Double(a), Double(b)) }
            var result = 1, base = a, e = b
            while e > 0 {
                if e & 1 == 1 {
                    let product = result.multipliedReportingOverflow(by: base)
                    if product.overflow { return try IntArithmetic.binary(op, BigInt(a), BigInt(b)) }
                    result = product.partialValue
                }
                e >>= 1
                if e > 0 {
                    let square = base.multipliedReportingOverflow(by: base)
                    if square.overflow { return try IntArithmetic.binary(op, BigInt(a), BigInt(b)) }
                    base = square.partialValue
                }
            }
            return .int(result)
        case .matrixMultiply: throw PyError.type("unsupported operand type(s) for @: 'int' and 'int'")
        case .bitAnd, .bitOr, .bitXor, .leftShift, .rightShift: return try Operators.bitwise(op, .int(a), .int(b))
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
            let (quotient, remainder) = floatDivmod(a, b)
            return .float(op == .floorDivide ? quotient : remainder)
        case .power:
            if a == 0 && b < 0 { throw PyError(.zeroDivisionError, "0.0 cannot be raised to a negative power") }
            if a < 0 && b.rounded() != b { throw PyError.notImplemented("complex results of **") }
            let result = pow(a, b)
            if result.isInfinite && a.isFinite && b.isFinite { throw PyError(.overflowError, "(34, 'Numerical result out of range')") }
            return .float(result)
        case .matrixMultiply: throw PyError.type("unsupported operand type(s) for @: 'float' and 'float'")
        case .bitAnd, .bitOr, .bitXor, .leftShift, .rightShift:
            throw PyError.type("unsupported operand type(s) for \(op.rawValue): 'float' and 'float'")
        }
    }

    /// CPython's `float_divmod`: the remainder from `fmod`, moved to the divisor's sign, and the floor quotient
    /// computed from it (so `1 % inf` is 1.0 and `-1 % inf` is inf, as in Python).
    private static func floatDivmod(_ a: Double, _ b: Double) -> (Double, Double) {
        var mod = fmod(a, b)
        var div = (a - mod) / b
        if mod != 0 {
            if (b < 0) != (mod < 0) { mod += b; div -= 1 }
        } else {
            mod = Double(signOf: b, magnitudeOf: 0)
        }
        var floorDiv = Double(signOf: a / b, magnitudeOf: 0)
        if div != 0 {
            floorDiv = div.rounded(.down)
            if div - floorDiv > 0.5 { floorDiv += 1 }
        }
        return (floorDiv, mod)
    }

    private static func tensorBinary(_ op: BinaryOperator, _ l: Value, _ r: Value) throws -> Value {
        if op == .matrixMultiply {
            guard case .tensor(let a) = l, case .tensor(let b) = r else {
                throw PyError.type("unsupported operand type(s) for @: '\(l.typeName)' and '\(r.typeName)'")
            }
            return .tensor(try a.matmul(b))
        }
        if op == .power { return try tensorPower(l, r) }
        let ops: [BinaryOperator: BinaryOp] = [.add: .add, .subtract: .sub, .multiply: .mul, .divide: .div,
                                               .floorDivide: .floorDivide, .modulo: .remainder]
        guard let bop = ops[op] else {
            throw PyError.notImplemented("the operator \(op.rawValue) on tensors")
        }
        switch (l, r) {
        case (.tensor(let a), .tensor(let b)): return .tensor(try a.combined(bop, b))
        case (.tensor(let a), _): return .tensor(try a.combined(bop, try scalar(r, op, l)))
        case (_, .tensor(let b)): return .tensor(try b.combined(try scalar(l, op, r), bop))
        default: throw PyError.type("unsupported operand type(s) for \(op.rawValue): '\(l.typeName)' and '\(r.typeName)'")
        }
    }

    /// `x ** y` with a tensor on either side (`x ** 2`, `x ** y`, `2 ** x`).
    private static func tensorPower(_ l: Value, _ r: Value) throws -> Value {
        switch (l, r) {
        case (.tensor(let a), .tensor(let b)): return .tensor(try a.pow(b))
        case (.tensor(let a), _): return .tensor(try a.pow(try scalar(r, .power, l)))
        case (_, .tensor(let b)): return .tensor(try b.raising(try scalar(l, .power, r)))
        default: throw PyError.type("unsupported operand type(s) for ** or pow(): '\(l.typeName)' and '\(r.typeName)'")
        }
    }

    private static func scalar(_ v: Value, _ op: BinaryOperator, _ tensor: Value) throws -> Scalar {
        switch v {
        case .int(let i): return .int(Int64(i))
        case .bigInt: throw PyError(.runtimeError, "Overflow when unpacking long")
        case .bool(let b): return .int(b ? 1 : 0)
        case .float(let f): return .float(f)
        default: throw PyError.type("unsupported operand type(s) for \(op.rawValue): '\(tensor.typeName)' and '\(v.typeName)'")
        }
    }

    // MARK: Comparisons

    /// `l op r` with a tensor on either side for `==`, `!=`, `<`, `<=`, `>`, `>=`: a bool tensor; nil otherwise.
    static func tensorCompare(_ op: ComparisonOperator, _ l: Value, _ r: Value) throws -> Value? {
        switch (l, r) {
        case (.tensor, _), (_, .tensor): break
        case (.object, _), (_, .object): return try NumpyArithmetic.compare(op, l, r)
        default: return nil  // the common case, numbers and strings, at no cost
        }
        guard let forward = op.elementwise, let mirrored = op.mirrored?.elementwise else { return nil }
        switch (l, r) {
        case (.tensor(let a), .tensor(let b)): return .tensor(try a.compared(forward, b))
        case (.tensor(let a), _):
            guard let s = try? scalar(r, .add, l) else { return op == .equal || op == .notEqual ? .bool(op == .notEqual) : nil }
            return .tensor(try a.compared(forward, s))
        case (_, .tensor(let b)):
            guard let s = try? scalar(l, .add, r) else { return op == .equal || op == .notEqual ? .bool(op == .notEqual) : nil }
            return .tensor(try b.compared(mirrored, s))
        default: return nil
        }
    }

    /// The truth of a comparison with a tensor on a side (`max(t)` compares one-element tensors): its one element,
    /// or torch's error for several.
    private static func tensorTruth(_ op: ComparisonOperator, _ l: Value, _ r: Value) throws -> Bool {
        guard let result = try tensorCompare(op, l, r) else {
            throw PyError.type("'\(op.rawValue)' not supported between instances of '\(l.typeName)' and '\(r.typeName)'")
        }
        return try result.isTruthy()
    }

    /// `l op r` as a value (`operator.lt`): a tensor's comparison is a tensor, an instance's is what its method
    /// returns, any other a bool.
    static func richCompare(_ op: ComparisonOperator, _ l: Value, _ r: Value) throws -> Value {
        try tensorCompare(op, l, r) ?? SpecialMethods.compare(op, l, r) ?? .bool(compare(op, l, r))
    }

    /// Whether `l < r`, as an `if` reads it (`heapq` and `bisect` compare with it).
    static func isLess(_ l: Value, _ r: Value) throws -> Bool { try richCompare(.less, l, r).isTruthy() }

    static func compare(_ op: ComparisonOperator, _ l: Value, _ r: Value) throws -> Bool {
        if let result = try SpecialMethods.compare(op, l, r) { return try result.isTruthy() }
        if case .object(let a as PySet) = l, case .object(let b as PySet) = r, let result = try PySet.compare(op, a, b) { return result }
        if let result = try DictView.setComparison(op, l, r) { return result }
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

    static func identical(_ l: Value, _ r: Value) -> Bool {
        switch (l, r) {
        case (.none, .none): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.list(let a), .list(let b)): return a === b
        case (.dict(let a), .dict(let b)): return a === b
        case (.object(let a as DeviceObject), .object(let b as DeviceObject)): return a.isSame(as: b)
        case (.object(let a), .object(let b)): return a === b
        case (.int(let a), .int(let b)): return a == b
        case (.str(let a), .str(let b)): return a.hasSameCodePoints(as: b)
        case (.dtype(let a), .dtype(let b)): return a == b
        case (.tensor(let a), .tensor(let b)): return a.isSameTensor(as: b)
        default: return false
        }
    }

    /// Python's containers compare at most this deep (its default recursion limit).
    private static let comparisonDepthLimit = 1000

    /// `l == r`. Containers compare item by item, an item identical to the other side's counting as equal (as
    /// `PyObject_RichCompareBool` does, so `x == x` holds for a list inside itself); past `comparisonDepthLimit`
    /// nested levels, Python's RecursionError.
    static func equal(_ l: Value, _ r: Value, depth: Int = 0) throws -> Bool {
        if let a = l.exactInteger, let b = r.exactInteger { return a == b }
        if let order = exactOrder(l, r) { return order == 0 }
        if let a = number(l), let b = number(r) { return a == b }
        guard depth < comparisonDepthLimit else { throw PyError(.recursionError, "maximum recursion depth exceeded in comparison") }
        switch (l, r) {
        case (.none, .none): return true
        case (.str(let a), .str(let b)): return a.hasSameCodePoints(as: b)
        case (.list(let a), .list(let b)): return try a === b || sequencesEqual(a.items, b.items, depth: depth + 1)
        case (.tuple(let a), .tuple(let b)): return try sequencesEqual(a, b, depth: depth + 1)
        case (.size(let a), .size(let b)): return a == b
        case (.size(let a), .tuple(let b)), (.tuple(let b), .size(let a)): return try sequencesEqual(a.map { .int($0) }, b, depth: depth + 1)
        case (.dict(let a), .dict(let b)):
            if a === b { return true }
            guard a.count == b.count else { return false }
            for (k, v) in a.items {
                guard let w = try b.get(k), try identical(v, w) || equal(v, w, depth: depth + 1) else { return false }
            }
            return true
        case (.object(let named as NamedTuple), _): return try equal(.tuple(named.items), r, depth: depth)
        case (_, .object(let named as NamedTuple)): return try equal(l, .tuple(named.items), depth: depth)
        case (.dtype(let a), .dtype(let b)): return a == b
        case (.object(let a as PySet), .object(let b as PySet)): return try PySet.compare(.equal, a, b)!
        case (.object(let a as RangeObject), .object(let b as RangeObject)): return try sequencesEqual(a.hashedFields, b.hashedFields, depth: depth)
        case (.object(let a as Deque), .object(let b as Deque)): return try sequencesEqual(a.items, b.items, depth: depth + 1)
        case (.object(let a as NativeOperand), _): return a.isEqual(to: r) ?? identical(l, r)
        case (.tensor, _), (_, .tensor): return try tensorTruth(.equal, l, r)   // `t in [...]`: the elementwise result's truth
        case (.object(_ as InstanceObject), _), (_, .object(_ as InstanceObject)): return try SpecialMethods.compare(.equal, l, r)!.isTruthy()
        default: return identical(l, r)
        }
    }

    private static func sequencesEqual(_ a: [Value], _ b: [Value], depth: Int) throws -> Bool {
        guard a.count == b.count else { return false }
        for (x, y) in zip(a, b) where try !identical(x, y) && !equal(x, y, depth: depth) { return false }
        return true
    }

    /// -1, 0 or 1, for numbers, strings and sequences (element by element), as Python orders them.
    static func ordering(_ l: Value, _ r: Value, _ op: ComparisonOperator = .less, depth: Int = 0) throws -> Int {
        if let a = l.exactInteger, let b = r.exactInteger { return a < b ? -1 : a > b ? 1 : 0 }
        if let order = exactOrder(l, r) { return order }
        if let a = number(l), let b = number(r) {
            if a.isNaN || b.isNaN { return op == .less || op == .lessOrEqual ? 1 : -1 }
            return a < b ? -1 : a > b ? 1 : 0
        }
        guard depth < comparisonDepthLimit else { throw PyError(.recursionError, "maximum recursion depth exceeded in comparison") }
        switch (l, r) {
        case (.str(let a), .str(let b)):
            return a.codePointOrder(b)
        case (.list(let a), .list(let b)): return try sequenceOrdering(a.items, b.items, op, depth: depth + 1)
        case (.tuple(let a), .tuple(let b)): return try sequenceOrdering(a, b, op, depth: depth + 1)
        case (.object(let named as NamedTuple), _): return try ordering(.tuple(named.items), r, op, depth: depth)
        case (_, .object(let named as NamedTuple)): return try ordering(l, .tuple(named.items), op, depth: depth)
        case (.object(_ as InstanceObject), _), (_, .object(_ as InstanceObject)), (.tensor, _), (_, .tensor):
            // the instance's (or the tensor's elementwise) answer to `op` as the -1 / 0 / 1 the callers read `op` from
            let holds: Bool
            if case .tensor = l { holds = try tensorTruth(op, l, r) } else if case .tensor = r { holds = try tensorTruth(op, l, r) } else {
                holds = try SpecialMethods.compare(op, l, r)!.isTruthy()
            }
            switch op {
            case .less: return holds ? -1 : 0
            case .lessOrEqual: return holds ? 0 : 1
            case .greater: return holds ? 1 : 0
            default: return holds ? 0 : -1
            }
        default:
            throw PyError.type("'\(op.rawValue)' not supported between instances of '\(l.typeName)' and '\(r.typeName)'")
        }
    }

    private static func sequenceOrdering(_ a: [Value], _ b: [Value], _ op: ComparisonOperator, depth: Int) throws -> Int {
        for (x, y) in zip(a, b) where try !identical(x, y) && !equal(x, y, depth: depth) { return try ordering(x, y, op, depth: depth) }
        return a.count < b.count ? -1 : a.count > b.count ? 1 : 0
    }

    static func contains(_ container: Value, _ item: Value) throws -> Bool {
        if case .object(let instance as InstanceObject) = container, let found = try instance.callSpecial("__contains__", Arguments([item])) {
            return try found.isTruthy()
        }
        switch container {
        case .str(let s):
            guard case .str(let sub) = item else {
                throw PyError.type("'in <string>' requires string as left operand, not \(item.typeName)")
            }
            return sub.isEmpty || s.unicodeScalars.firstRange(of: sub.unicodeScalars) != nil
        case .dict(let d): return try d.get(item) != nil
        case .object(let set as PySet): return try set.contains(item)
        case .object(let m as MappingObject): if case .str(let k) = item { return m.mappingKeys.contains(k) } else { return false }
        case .int, .bigInt, .float, .bool, .none: throw PyError.type("argument of type '\(container.typeName)' is not iterable")
        case .object(let range as RangeObject) where item.typeName == "int": return range.contains(item.exactInteger!)
        default:   // up to the first equal item, as Python takes them
            var found = false
            try Iteration.forEach(container) { found = try identical($0, item) || equal($0, item); return !found }
            return found
        }
    }
}

extension ComparisonOperator {
    /// The elementwise comparison of tensors and arrays; nil for `is`, `in` and their negations.
    var elementwise: ComparisonOp? {
        switch self {
        case .equal: .equal
        case .notEqual: .notEqual
        case .less: .less
        case .lessOrEqual: .lessOrEqual
        case .greater: .greater
        case .greaterOrEqual: .greaterOrEqual
        case .is, .isNot, .in, .notIn: nil
        }
    }

    /// The same comparison with its operands swapped (`a < b` is `b > a`); nil for `is`, `in` and their negations.
    var mirrored: ComparisonOperator? {
        switch self {
        case .less: .greater
        case .lessOrEqual: .greaterOrEqual
        case .greater: .less
        case .greaterOrEqual: .lessOrEqual
        case .equal, .notEqual: self
        case .is, .isNot, .in, .notIn: nil
        }
    }
}
