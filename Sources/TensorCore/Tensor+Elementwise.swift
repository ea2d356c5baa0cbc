import CKernels
import Foundation

/// A binary arithmetic operation, with torch's result-type rules.
public enum BinaryOp: Sendable {
    case add, sub, mul, div
    /// `//`: floor division (an int64 result for int64 operands).
    case floorDivide
    /// `%`: the remainder with the divisor's sign, as Python's and `torch.remainder`.
    case remainder

    func apply<F: BinaryFloatingPoint>(_ a: F, _ b: F) -> F {
        switch self {
        case .add: return a + b
        case .sub: return a - b
        case .mul: return a * b
        case .div: return a / b
        case .floorDivide: return Self.floorDivision(a, b)
        case .remainder:
            if b == 0 { return .nan }
            let mod = a.truncatingRemainder(dividingBy: b)
            return mod != 0 && (b < 0) != (mod < 0) ? mod + b : mod
        }
    }

    /// torch's `div_floor_floating`: exact for the quotient of the two floats, as Python's float `//`.
    private static func floorDivision<F: BinaryFloatingPoint>(_ a: F, _ b: F) -> F {
        if b == 0 { return a / b }
        let mod = a.truncatingRemainder(dividingBy: b)
        var div = (a - mod) / b
        if mod != 0 && (b < 0) != (mod < 0) { div -= 1 }
        guard div != 0 else { return F(signOf: a / b, magnitudeOf: 0) }
        let floor = div.rounded(.down)
        return div - floor > 0.5 ? floor + 1 : floor
    }

    /// The function torch records for `tensor op tensor` and `tensor op scalar`.
    var gradFunction: GradFunction {
        switch self {
        case .add: return .add
        case .sub: return .sub
        case .mul: return .mul
        case .div: return .div
        case .floorDivide: return .notImplemented
        case .remainder: return .remainder
        }
    }

    /// The function torch records for `scalar op tensor` (`1 - x` is `rsub`, `2 / x` is `x.reciprocal() * 2`).
    var reversedGradFunction: GradFunction {
        switch self {
        case .add: return .add
        case .sub: return .reverseSub
        case .mul, .div: return .mul
        case .floorDivide, .remainder: return .notImplemented
        }
    }

    func apply(_ a: Int64, _ b: Int64) -> Int64 {
        switch self {
        case .add: return a &+ b
        case .sub: return a &- b
        case .mul: return a &* b
        case .div: return b == 0 ? 0 : a / b  // not used: `/` on int64 tensors is true division in float32
        case .floorDivide:  // b is not 0: checked before; Int64.min // -1 wraps, as in torch
            let q = a.dividedReportingOverflow(by: b).partialValue, r = a.remainderReportingOverflow(dividingBy: b).partialValue
            return r != 0 && ((a < 0) != (b < 0)) ? q &- 1 : q
        case .remainder:
            let r = a.remainderReportingOverflow(dividingBy: b).partialValue
            return r != 0 && ((r < 0) != (b < 0)) ? r &+ b : r
        }
    }
}

/// The shape two shapes broadcast to, or torch's error.
public func broadcastShapes(_ a: [Int], _ b: [Int]) throws -> [Int] {
    let n = Swift.max(a.count, b.count)
    let a = [Int](repeating: 1, count: n - a.count) + a, b = [Int](repeating: 1, count: n - b.count) + b
    return try (0..<n).map { d in
        guard a[d] == b[d] || a[d] == 1 || b[d] == 1 else {
            throw TensorError("The size of tensor a (\(a[d])) must match the size of tensor b (\(b[d])) at non-singleton dimension \(d)")
        }
        return a[d] == 1 ? b[d] : a[d]
    }
}

extension Tensor {
    /// A 0-d tensor holding `value`.
    public init(scalar value: Scalar) {
        switch value {
        case .float(let v): self.init(floats: [Float(v)], shape: [])
        case .int(let v): self.init(ints: [v], shape: [])
        case .bool(let v): self.init(bools: [v], shape: [])
        }
    }

    /// `self op other` with broadcasting and torch's result type (`DType.resultType`): int64 with int64 stays int64
    /// (except `/`, which gives float32), float16 with a Python float stays float16, int32 with float32 is float32.
    public func combined(_ op: BinaryOp, _ other: Tensor) throws -> Tensor {
        try combinedValues(op, other, as: Tensor.resultType(self, other))
            .recorded(op.gradFunction, from: self, other, derivative: .binary(op, self, other))
    }

    /// The type torch gives an elementwise operation on `operands` and Python numbers (`wrapped`).
    static func resultType(_ operands: Tensor..., wrapped: [Scalar] = []) -> DType {
        DType.resultType(dimensioned: operands.filter { $0.rank > 0 }.map(\.dtype),
                         zeroDimensional: operands.filter { $0.rank == 0 }.map(\.dtype), wrapped: wrapped.map(\.dtype))
    }

    /// A Python number as the operand of an operation computed as `type`: a double for float64, else as Python has
    /// it (float16 and bfloat16 operations take the number in float32, unrounded, as torch's CPU kernels do).
    static func operand(_ scalar: Scalar, for type: DType) -> Tensor {
        type == .float64 ? Tensor(doubles: [scalar.doubleValue], shape: []) : Tensor(scalar: scalar)
    }

    private func combinedValues(_ op: BinaryOp, _ other: Tensor, as type: DType) throws -> Tensor {
        let shape = try broadcastShapes(self.shape, other.shape)
        try Tensor.checkAllocation(shape)
        if type == .bool, op == .add || op == .mul {   // torch's `+` of masks is `or`, `*` is `and`
            let a = expanded(to: shape).bools(), b = other.expanded(to: shape).bools()
            return Tensor(bools: zip(a, b).map { op == .add ? $0 || $1 : $0 && $1 }, shape: shape)
        }
        if type == .bool, op == .sub {
            throw TensorError("Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` operator instead.", kind: .notImplementedError)
        }
        if !type.isFloatingPoint && op != .div {  // integers and bool
            let a = expanded(to: shape).int64s(), b = other.expanded(to: shape).int64s()
            if op == .floorDivide || op == .remainder, b.contains(0) { throw TensorError("ZeroDivisionError") }
            return Tensor(ints: zip(a, b).map { op.apply($0, $1) }, shape: shape, dtype: type == .int32 ? .int32 : .int64)
        }
        if type == .float64 {
            return Tensor(doubles: zip(expanded(to: shape).doubles(), other.expanded(to: shape).doubles()).map { op.apply($0, $1) }, shape: shape)
        }
        let a = to(.float32), b = other.to(.float32)
        if let (pa, periodA) = a.repeatedFloats(in: shape), let (pb, periodB) = b.repeatedFloats(in: shape) {
            let out = Tensor(uninitialized: shape), dst = out.storage.floats()
            parallelChunks(out.count) { range in
                var (i, j) = (range.lowerBound % periodA, range.lowerBound % periodB)
                for k in range {
                    dst[k] = op.apply(pa[i], pb[j])
                    i = i + 1 == periodA ? 0 : i + 1
                    j = j + 1 == periodB ? 0 : j + 1
                }
            }
            return out.to(type.isFloatingPoint ? type : .float32)
        }
        let (ea, eb) = (a.expanded(to: shape), b.expanded(to: shape))
        return Tensor(floats: zip(ea.floats(), eb.floats()).map { op.apply($0, $1) }, shape: shape).to(type.isFloatingPoint ? type : .float32)
    }

    /// This float32 tensor's values as `shape` repeats them when broadcast to it, when they are contiguous and its
    /// shape, past leading 1s, ends `shape` (a bias `[n]` against `[rows, n]`, position embeddings against a batch):
    /// element `k` of the broadcast is `values[k % period]`.
    private func repeatedFloats(in shape: [Int]) -> (values: UnsafeMutablePointer<Float>, period: Int)? {
        let own = Array(self.shape.drop { $0 == 1 })
        guard isContiguous, own.count <= shape.count, Array(shape.suffix(own.count)) == own else { return nil }
        return (storage.floats(offset), Swift.max(count, 1))
    }

    /// `self op scalar`, with torch's promotion: an int tensor with a float scalar becomes float32.
    public func combined(_ op: BinaryOp, _ scalar: Scalar) throws -> Tensor {
        let type = Tensor.resultType(self, wrapped: [scalar])
        let out = try combinedValues(op, Tensor.operand(scalar, for: type), as: type)
        return out.recorded(op.gradFunction, from: self, derivative: .scalar(op, scalar, reversed: false, self, result: out))
    }

    /// `scalar op self`.
    public func combined(_ scalar: Scalar, _ op: BinaryOp) throws -> Tensor {
        let type = Tensor.resultType(self, wrapped: [scalar])
        let out = try Tensor.operand(scalar, for: type).combinedValues(op, self, as: type)
        return out.recorded(op.reversedGradFunction, from: self, derivative: .scalar(op, scalar, reversed: true, self, result: out))
    }

    /// Applies `f` to every element, computed in float32, giving a new contiguous tensor of the floating type the
    /// input has (float32 for integers; float16 and bfloat16 results rounded to their type). A constant to autograd:
    /// callers that stand for a torch operation record it.
    public func mapFloats(_ f: (Float) -> Float) -> Tensor {
        let source = to(.float32).contiguous()
        let out = Tensor(uninitialized: shape)
        let src = source.storage.floats(source.offset), dst = out.storage.floats()
        parallelChunks(count) { range in
            for i in range { dst[i] = f(src[i]) }
        }
        return out.to(floatingType)
    }

    /// Runs a float32 computation on this floating tensor of any type and gives the result this tensor's type:
    /// float16 and bfloat16 results rounded, as torch's CPU kernels round what they compute in float32.
    func computedInFloat32(_ body: (Tensor) throws -> Tensor) rethrows -> Tensor {
        let result = try body(to(.float32))
        return result.dtype == .float32 ? result.to(floatingType) : result
    }

    /// The floating type an elementwise function of this tensor gives: its own, or float32 for integers and bool.
    public var floatingType: DType { dtype.isFloatingPoint ? dtype : .float32 }

    /// Applies `f` to every element, keeping the dtype: in int64 for integers, in double for float64, in float32
    /// (rounded back) for the other floating types.
    func mapKeepingType(integer: (Int64) -> Int64, floating: (Double) -> Double) -> Tensor {
        switch dtype.layout {
        case .int, .bool: Tensor(ints: int64s().map(integer), shape: shape, dtype: dtype == .int32 ? .int32 : .int64)
        case .double: Tensor(doubles: doubles().map(floating), shape: shape)
        case .float: mapFloats { Float(floating(Double($0))) }
        }
    }

    /// `-x`.
    public func negated() -> Tensor {
        mapKeepingType(integer: { 0 &- $0 }, floating: { -$0 }).recorded(.neg, from: self, derivative: .negation)
    }

    /// `torch.relu`.
    public func relu() -> Tensor { recordedElementwise(.relu, mapFloats { Swift.max($0, 0) }, slopeOf: .result) { y in y > 0 ? 1 : 0 } }

    /// `torch.tanh`.
    public func tanh() -> Tensor { recordedElementwise(.tanh, mapFloats { Foundation.tanhf($0) }, slopeOf: .result) { y in 1 - y * y } }

    /// GELU with erf (not the tanh approximation), as `nn.functional.gelu` computes by default; erf is
    /// evaluated as PyTorch's vectorised CPU kernel does.
    public func gelu() -> Tensor { recordedElementwise(.gelu, applyKernel(kernel_gelu), slopeOf: .input) { x in Derivative.geluSlope(x) } }

    /// transformers' `NewGELUActivation` (GPT-2's `gelu_new`, the tanh approximation), computed in float32 in the
    /// order its formula gives: `0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x^3)))`; in float16 and bfloat16
    /// each of its Python operations rounded to the type, as they are torch operations there.
    public func geluTanh() -> Tensor {
        let c = Float((2.0 / Double.pi).squareRoot())
        let r = dtype.rounded
        let out = dtype.isReduced
            ? mapFloats { x in r(r(0.5 * x) * r(1 + r(Foundation.tanhf(r(c * r(x + r(0.044715 * r(x * x * x)))))))) }
            : mapFloats { x in 0.5 * x * (1 + Foundation.tanhf(c * (x + 0.044715 * (x * x * x)))) }
        return recordedElementwise(.mul, out, slopeOf: .input) { x in
            let t = Foundation.tanhf(c * (x + 0.044715 * (x * x * x)))
            return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * c * (1 + 3 * 0.044715 * x * x)
        }
    }

    /// `torch.exp`.
    public func exp() -> Tensor { recordedElementwise(.exp, applyKernel(kernel_exp), slopeOf: .result) { y in y } }

    /// `result` of an elementwise `function` of this tensor, recorded with the derivative `slope` of the input or
    /// of the result (whichever the formula reads, and torch saves).
    func recordedElementwise(_ function: GradFunction, _ result: Tensor, slopeOf side: Derivative.Side,
                             _ slope: @escaping @Sendable (Float) -> Float) -> Tensor {
        result.recorded(function, from: self, derivative: .elementwise(self, side == .input ? self : result, slope: slope))
    }

    /// Runs a C kernel `(input, output, count)` over all elements, one chunk per core.
    private func applyKernel(_ kernel: (UnsafePointer<Float>?, UnsafeMutablePointer<Float>?, Int) -> Void) -> Tensor {
        let source = to(.float32).contiguous()
        let out = Tensor(uninitialized: shape)
        let src = source.storage.floats(source.offset), dst = out.storage.floats()
        parallelChunks(count) { range in kernel(src + range.lowerBound, dst + range.lowerBound, range.count) }
        return out.to(floatingType)
    }

    /// `torch.sqrt`.
    public func sqrt() -> Tensor { recordedElementwise(.sqrt, mapFloats { sqrtf($0) }, slopeOf: .result) { y in 0.5 / y } }

    /// `torch.abs`.
    public func abs() -> Tensor {
        recordedElementwise(.abs, mapKeepingType(integer: { $0 == .min ? $0 : Swift.abs($0) }, floating: { Swift.abs($0) }), slopeOf: .input) { x in
            x > 0 ? 1 : x < 0 ? -1 : 0
        }
    }
}
