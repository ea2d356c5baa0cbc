import BigInt
import Foundation
import TensorCore

/// numpy's operators on arrays (`a + 1`, `a / b`, `a > 0.5`, `mask & other`), broadcasting as numpy does, with
/// numpy 2's promotion (NEP 50): arrays and numpy scalars keep their dtype against Python numbers of the same kind
/// (`float32_array * 2.0` stays float32), a Python float makes an int or bool array float64, and `/` of ints is
/// float64.
enum NumpyArithmetic {
    /// An operand: its elements and whether it is a Python number (whose dtype gives way).
    private struct Operand {
        let tensor: Tensor
        let isWeak: Bool
    }

    /// `l op r` when either side is an array; nil otherwise.
    static func binary(_ op: BinaryOperator, _ l: Value, _ r: Value) throws -> Value? {
        guard isArray(l) || isArray(r), let a = try operand(l), let b = try operand(r) else { return nil }
        let common = promoted(a, b)
        if op != .matrixMultiply { try checkBroadcast(a, b) }
        if op.isBitwise {
            guard common == .bool || common == .int64, let bitwise = bitwiseOps[op] else { return nil }
            return .object(NDArrayObject(try a.tensor.to(common).bitwise(bitwise, b.tensor.to(common))))
        }
        let type = op == .divide && !common.isFloatingPoint ? DType.float64 : common
        let (x, y) = (a.tensor.to(type), b.tensor.to(type))
        let result: Tensor
        switch op {
        case .power:
            if !type.isFloatingPoint, y.int64s().contains(where: { $0 < 0 }) {
                throw PyError.value("Integers to negative integer powers are not allowed.")
            }
            result = try x.pow(y)
        case .matrixMultiply: result = try x.matmul(y)
        case _ where type == .bool: result = try boolArithmetic(op, x, y)
        case .floorDivide where !type.isFloatingPoint, .modulo where !type.isFloatingPoint:
            // numpy's int division by zero gives 0 (with a warning), where torch raises
            let zero = try y.compared(.equal, .int(0)), safe = try Tensor.selecting(zero, Tensor(ints: [1], shape: []), y)
            result = try Tensor.selecting(zero, Tensor(ints: [0], shape: []), try x.combined(arithmeticOps[op]!, safe))
        default:
            guard let elementwise = arithmeticOps[op] else { return nil }
            result = try x.combined(elementwise, y)
        }
        return NDArrayObject.wrap(result)
    }

    /// `a op= b` on an array `a`: the result written into it (its views see the change), as numpy's in-place
    /// operators do; numpy's casting error when the result's dtype is wider than the array's.
    static func update(_ target: Value, with result: Value, _ op: BinaryOperator) throws -> Value {
        guard case .object(let array as NDArrayObject) = target else { return result }
        guard let values = try operand(result)?.tensor else { return result }
        guard values.dtype == array.tensor.dtype || !values.dtype.isFloatingPoint && array.tensor.dtype.isFloatingPoint else {
            let names: [BinaryOperator: String] = [.add: "add", .subtract: "subtract", .multiply: "multiply", .divide: "divide",
                                                   .floorDivide: "floor_divide", .modulo: "remainder", .power: "power"]
            throw PyError.type("Cannot cast ufunc '\(names[op] ?? op.rawValue)' output from dtype('\(NumpyPrinter.dtypeName(values.dtype))') to dtype('\(NumpyPrinter.dtypeName(array.tensor.dtype))') with casting rule 'same_kind'")
        }
        try array.tensor.update(with: values.to(array.tensor.dtype))
        return target
    }

    /// `l op r` for `==`, `!=`, `<`, ... when either side is an array: a bool array; nil otherwise.
    static func compare(_ op: ComparisonOperator, _ l: Value, _ r: Value) throws -> Value? {
        guard isArray(l) || isArray(r), let comparison = op.elementwise else { return nil }
        guard let a = try operand(l), let b = try operand(r) else {
            return op == .equal || op == .notEqual ? .bool(op == .notEqual) : nil
        }
        let common = promoted(a, b)
        try checkBroadcast(a, b)
        return NDArrayObject.wrap(try a.tensor.to(common).compared(comparison, b.tensor.to(common)))
    }

    /// `-a`, `+a`, `~a` on an array.
    static func unary(_ op: UnaryOperator, _ array: NDArrayObject) throws -> Value {
        switch op {
        case .negate where array.tensor.dtype == .bool:
            throw PyError.type("The numpy boolean negative, the `-` operator, is not supported, use the `~` operator or the logical_not function instead.")
        case .negate: return .object(NDArrayObject(array.tensor.negated()))
        case .plus: return .object(array)
        case .invert: return .object(NDArrayObject(try array.tensor.bitwiseNot()))
        case .not: return .bool(!(try array.truthValue()))
        }
    }

    /// Two bool operands: `+` is or, `*` is and, as numpy's bool loops; `-` is numpy's TypeError.
    private static func boolArithmetic(_ op: BinaryOperator, _ x: Tensor, _ y: Tensor) throws -> Tensor {
        switch op {
        case .add: return try x.bitwise(.or, y)
        case .multiply: return try x.bitwise(.and, y)
        case .subtract:
            throw PyError.type("numpy boolean subtract, the `-` operator, is not supported, use the bitwise_xor, the `^` operator, or the logical_xor function instead.")
        default: throw PyError.notImplemented("the operator \(op.rawValue) on two bool arrays (numpy gives int8)")
        }
    }

    private static let arithmeticOps: [BinaryOperator: BinaryOp] = [
        .add: .add, .subtract: .sub, .multiply: .mul, .divide: .div, .floorDivide: .floorDivide, .modulo: .remainder,
    ]
    private static let bitwiseOps: [BinaryOperator: BitwiseOp] = [.bitAnd: .and, .bitOr: .or, .bitXor: .xor]

    private static func isArray(_ v: Value) -> Bool {
        if case .object(_ as NDArrayObject) = v { true } else { false }
    }

    /// An array, a numpy scalar (as a 0-d array of its dtype) or a Python number (weak); nil for anything else.
    private static func operand(_ v: Value) throws -> Operand? {
        switch v {
        case .object(let array as NDArrayObject): return Operand(tensor: array.tensor, isWeak: false)
        case .object(let x as NumpyFloat64): return Operand(tensor: Tensor(doubles: [x.value], shape: []), isWeak: false)
        case .object(let x as NumpyFloat32): return Operand(tensor: Tensor(floats: [x.value], shape: []), isWeak: false)
        case .object(let x as NumpyInt64): return Operand(tensor: Tensor(ints: [x.value], shape: []), isWeak: false)
        case .object(let x as NumpyBool): return Operand(tensor: Tensor(bools: [x.value], shape: []), isWeak: false)
        case .bool(let b): return Operand(tensor: Tensor(bools: [b], shape: []), isWeak: false)
        case .int(let i): return Operand(tensor: Tensor(ints: [Int64(i)], shape: []), isWeak: true)
        case .bigInt: throw PyError(.overflowError, "Python int too large to convert to C long")
        case .float(let f): return Operand(tensor: Tensor(doubles: [f], shape: []), isWeak: true)
        default: return nil
        }
    }

    /// numpy 2's result dtype: a Python number takes the other side's dtype when of the same kind or lower
    /// (bool < int < float); otherwise the larger of the two (int64 with float32 is float64).
    private static func promoted(_ a: Operand, _ b: Operand) -> DType {
        func rank(_ d: DType) -> Int { d == .bool ? 0 : d.isFloatingPoint ? 2 : 1 }
        let (x, y) = (a.tensor.dtype, b.tensor.dtype)
        if a.isWeak != b.isWeak {
            let (strong, weak) = a.isWeak ? (y, x) : (x, y)
            return rank(weak) <= rank(strong) ? strong : weak == .int64 ? .int64 : .float64
        }
        if x == y { return x }
        if x == .float64 || y == .float64 || Set([x, y]) == [.int64, .float32] { return .float64 }
        return rank(x) >= rank(y) ? x : y
    }

    /// `np.where(condition, x, y)`: `x` where the condition holds, else `y`, all three broadcast together, of the
    /// dtype numpy promotes the two to (a Python number gives way: `np.where(ids != -100, ids, 0)` stays int64).
    static func selecting(_ condition: Value, _ x: Value, _ y: Value) throws -> Value {
        let mask = try NumpyConversion.array(condition).tensor.to(.bool)
        let (a, b) = (try operand(x) ?? Operand(tensor: try NumpyConversion.array(x).tensor, isWeak: false),
                      try operand(y) ?? Operand(tensor: try NumpyConversion.array(y).tensor, isWeak: false))
        let dtype = promoted(a, b)
        do { return NDArrayObject.wrap(try Tensor.selecting(mask, a.tensor.to(dtype), b.tensor.to(dtype))) } catch is TensorError {
            let shapes = [mask, a.tensor, b.tensor].map { NumpyPrinter.pythonTuple($0.shape).replacingOccurrences(of: " ", with: "") }
            throw PyError.value("operands could not be broadcast together with shapes \(shapes.joined(separator: " ")) ")
        }
    }

    /// numpy's ValueError when the operands' shapes do not broadcast.
    private static func checkBroadcast(_ a: Operand, _ b: Operand) throws {
        guard (try? broadcastShapes(a.tensor.shape, b.tensor.shape)) == nil else { return }
        let shapes = [a, b].map { NumpyPrinter.pythonTuple($0.tensor.shape).replacingOccurrences(of: " ", with: "") }
        throw PyError.value("operands could not be broadcast together with shapes \(shapes[0]) \(shapes[1]) ")
    }
}
