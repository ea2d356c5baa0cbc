import Foundation

/// Elementwise functions beyond the arithmetic operators: logarithms, sigmoid, rounding, clamping and powers, with
/// torch's result types (rounding and clamping keep an int64 tensor int64) and its `grad_fn` names.
extension Tensor {
    /// `torch.log`.
    public func log() -> Tensor { recordedElementwise(.log, mapFloats { Foundation.logf($0) }, slopeOf: .input) { x in 1 / x } }

    /// `F.leaky_relu(x, negative_slope)`: `x`, or `negative_slope * x` below 0.
    public func leakyRelu(slope: Float) -> Tensor {
        recordedElementwise(.leakyRelu, mapFloats { $0 > 0 ? $0 : $0 * slope }, slopeOf: .input) { x in x > 0 ? 1 : slope }
    }

    /// `F.softplus(x, beta, threshold)`: `log(1 + exp(beta x)) / beta`, or `x` where `beta x` passes the threshold.
    public func softplus(beta: Float, threshold: Float) -> Tensor {
        recordedElementwise(.softplus, mapFloats { $0 * beta > threshold ? $0 : Foundation.log1pf(Foundation.expf($0 * beta)) / beta },
                            slopeOf: .input) { x in
            let z = Foundation.expf(x * beta)
            return x * beta > threshold ? 1 : z / (z + 1)
        }
    }

    /// `F.elu(x, alpha)`: `x`, or `alpha (exp(x) - 1)` below 0.
    public func elu(alpha: Float) -> Tensor {
        recordedElementwise(.elu, mapFloats { $0 > 0 ? $0 : alpha * Foundation.expm1f($0) }, slopeOf: .input) { x in
            x > 0 ? 1 : alpha * Foundation.expf(x)
        }
    }

    /// `torch.rsqrt`: `1 / sqrt(x)`.
    public func rsqrt() -> Tensor { recordedElementwise(.rsqrt, mapFloats { 1 / sqrtf($0) }, slopeOf: .result) { y in -0.5 * y * y * y } }

    /// `torch.log1p`: `log(1 + x)`, exact for small x.
    public func log1p() -> Tensor { recordedElementwise(.log1p, mapFloats { Foundation.log1pf($0) }, slopeOf: .input) { x in 1 / (1 + x) } }

    /// `torch.expm1`: `exp(x) - 1`, exact for small x.
    public func expm1() -> Tensor { recordedElementwise(.expm1, mapFloats { Foundation.expm1f($0) }, slopeOf: .result) { y in y + 1 } }

    /// `torch.log2`.
    public func log2() -> Tensor { recordedElementwise(.log2, mapFloats { Foundation.log2f($0) }, slopeOf: .input) { x in 1 / (x * Float(M_LN2)) } }

    /// `torch.log10`.
    public func log10() -> Tensor { recordedElementwise(.log10, mapFloats { Foundation.log10f($0) }, slopeOf: .input) { x in 1 / (x * Float(M_LN10)) } }

    /// `torch.reciprocal`: `1 / x`.
    public func reciprocal() -> Tensor { recordedElementwise(.reciprocal, mapFloats { 1 / $0 }, slopeOf: .result) { y in -y * y } }

    /// `torch.erf`: the error function.
    public func erf() -> Tensor {
        recordedElementwise(.erf, mapFloats { Foundation.erff($0) }, slopeOf: .input) { x in 2 / Float.pi.squareRoot() * Foundation.expf(-x * x) }
    }

    /// `torch.sign`: -1, 0 or 1 for each element, in its own type (its gradient is zero).
    public func sign() -> Tensor {
        recordedElementwise(.sign, mapKeepingType(integer: { $0.signum() }, floating: { $0 > 0 ? 1 : $0 < 0 ? -1 : 0 }), slopeOf: .input) { _ in 0 }
    }

    /// `torch.sin`.
    public func sin() -> Tensor { recordedElementwise(.sin, mapFloats { Foundation.sinf($0) }, slopeOf: .input) { x in Foundation.cosf(x) } }

    /// `torch.cos`.
    public func cos() -> Tensor { recordedElementwise(.cos, mapFloats { Foundation.cosf($0) }, slopeOf: .input) { x in -Foundation.sinf(x) } }

    /// `torch.sigmoid`: `1 / (1 + exp(-x))`.
    public func sigmoid() -> Tensor { recordedElementwise(.sigmoid, mapFloats { 1 / (1 + Foundation.expf(-$0)) }, slopeOf: .result) { y in y * (1 - y) } }

    /// `torch.nn.functional.silu` (swish): `x / (1 + exp(-x))`, as torch's CPU kernel computes it.
    public func silu() -> Tensor {
        recordedElementwise(.silu, mapFloats { $0 / (1 + Foundation.expf(-$0)) }, slopeOf: .input) { x in
            let s = 1 / (1 + Foundation.expf(-x))
            return s * (1 + x * (1 - s))
        }
    }

    /// `torch.floor`; an integer tensor is returned as it is.
    public func floor() -> Tensor { rounding(.down, .floor) }

    /// `torch.ceil`; an integer tensor is returned as it is.
    public func ceil() -> Tensor { rounding(.up, .ceil) }

    /// `torch.round(x, decimals=0)`: to the nearest, ties to even, as `nearbyint`; with `decimals`, scaled by a
    /// power of ten in float32 first, as torch's kernel does.
    public func round(decimals: Int = 0) -> Tensor {
        guard decimals != 0 else { return rounding(.toNearestOrEven, .round) }
        guard dtype.isFloatingPoint else { return copy().recorded(.roundDecimals, from: self) }
        let scale = Float(Foundation.pow(10, Double(Swift.abs(decimals))))
        let rounded = decimals > 0 ? mapFloats { ($0 * scale).rounded(.toNearestOrEven) / scale }
                                   : mapFloats { ($0 / scale).rounded(.toNearestOrEven) * scale }
        return rounded.recorded(.roundDecimals, from: self, derivative: .zero(self))
    }

    private func rounding(_ rule: FloatingPointRoundingRule, _ function: GradFunction) -> Tensor {
        guard dtype.isFloatingPoint else { return copy().recorded(function, from: self) }
        return mapFloats { $0.rounded(rule) }.recorded(function, from: self, derivative: .zero(self))
    }

    /// `torch.clamp(x, min, max)`: each element limited to the bounds given (a float bound makes an int64 tensor
    /// float32, as torch promotes). Errors as torch's when neither bound is given.
    public func clamp(min low: Scalar?, max high: Scalar?) throws -> Tensor {
        guard low != nil || high != nil else { throw TensorError("torch.clamp: At least one of 'min' or 'max' must not be None") }
        let bounds = [low, high].compactMap { $0 }
        if !dtype.isFloatingPoint && !bounds.contains(where: { if case .float = $0 { true } else { false } }) {
            let (l, h) = (try low.map { try $0.integer(as: dtype) } ?? .min, try high.map { try $0.integer(as: dtype) } ?? .max)
            return Tensor(ints: int64s().map { Swift.min(Swift.max($0, l), h) }, shape: shape, dtype: dtype == .int32 ? .int32 : .int64)
                .recorded(.clamp, from: self)
        }
        let (l, h) = (low.map { Float($0.doubleValue) } ?? -.infinity, high.map { Float($0.doubleValue) } ?? .infinity)
        // torch's order: max with the lower bound, then min with the upper (NaN stays NaN)
        return recordedElementwise(.clamp, mapFloats { $0.isNaN ? $0 : Swift.min(Swift.max($0, l), h) }, slopeOf: .input) { x in
            x >= l && x <= h ? 1 : 0  // torch: the gradient where the input is within the bounds
        }
    }

    /// `x ** exponent`: int64 to an integer power stays int64 (a negative power is torch's error).
    public func pow(_ exponent: Scalar) throws -> Tensor {
        if !dtype.isFloatingPoint, case .int(let e) = exponent {
            guard e >= 0 else { throw TensorError("Integers to negative integer powers are not allowed.") }
            return Tensor(ints: int64s().map { Self.integerPower($0, e) }, shape: shape, dtype: dtype == .int32 ? .int32 : .int64)
                .recorded(.pow, from: self)
        }
        let derivative = Derivative.power(self, exponent.doubleValue)
        if dtype == .float64 { return Tensor(doubles: doubles().map { Self.power($0, exponent.doubleValue, general: Foundation.pow) }, shape: shape).recorded(.pow, from: self, derivative: derivative) }
        let e = Float(exponent.doubleValue)
        return mapFloats { Self.power($0, e, general: Foundation.powf) }.recorded(.pow, from: self, derivative: derivative)
    }

    /// `x ** y` for two tensors, broadcast.
    public func pow(_ exponent: Tensor) throws -> Tensor {
        let shape = try broadcastShapes(self.shape, exponent.shape)
        let type = Tensor.resultType(self, exponent)
        if !type.isFloatingPoint {
            let (a, b) = (expanded(to: shape).int64s(), exponent.expanded(to: shape).int64s())
            guard !b.contains(where: { $0 < 0 }) else { throw TensorError("Integers to negative integer powers are not allowed.") }
            return Tensor(ints: zip(a, b).map { Self.integerPower($0, $1) }, shape: shape, dtype: type == .int32 ? .int32 : .int64)
                .recorded(.powTensor, from: self, exponent)
        }
        if type == .float64 {
            let (a, b) = (expanded(to: shape).doubles(), exponent.expanded(to: shape).doubles())
            let out = Tensor(doubles: zip(a, b).map { Self.power($0, $1, general: Foundation.pow) }, shape: shape)
            return out.recorded(.powTensor, from: self, exponent, derivative: .power(self, exponent, result: out))
        }
        let (a, b) = (to(.float32).expanded(to: shape).floats(), exponent.to(.float32).expanded(to: shape).floats())
        let out = Tensor(floats: zip(a, b).map { Self.power($0, $1, general: Foundation.powf) }, shape: shape).to(type)
        return out.recorded(.powTensor, from: self, exponent, derivative: .power(self, exponent, result: out))
    }

    /// `base ** x`, a number to the power of each element.
    public func raising(_ base: Scalar) throws -> Tensor {
        let out = try Tensor(scalar: base).pow(self)
        return out.recorded(.powScalarBase, from: self, derivative: .power(base: base.doubleValue, out))
    }

    /// `pow` as torch's CPU kernel computes it: squares and square roots exactly, the rest by `general` (`powf` in
    /// float32, `pow` in double).
    private static func power<F: BinaryFloatingPoint>(_ x: F, _ e: F, general: (F, F) -> F) -> F {
        switch e {
        case 2: x * x
        case 0.5: x.squareRoot()
        case 1: x
        default: general(x, e)
        }
    }

    private static func integerPower(_ base: Int64, _ exponent: Int64) -> Int64 {
        var (result, b, e): (Int64, Int64, Int64) = (1, base, exponent)
        while e > 0 {
            if e & 1 == 1 { result = result &* b }
            b = b &* b
            e >>= 1
        }
        return result
    }
}

/// Running sums and products, norms, and tensors repeated or broadcast.
extension Tensor {
    /// `x.cumsum(dim)`: the running sum along `dim` (int64 for integer and bool tensors, as torch promotes).
    public func cumsum(dim: Int) throws -> Tensor {
        let d = try dimension(dim)
        if rank == 0 { return copy().recorded(.cumsum, from: self, derivative: .identity(self)) }
        let (outer, length, inner) = lanes(d)
        if dtype.isFloatingPoint {
            var values = contiguous().floats()
            for lane in 0..<(outer * inner) {
                let base = (lane / inner) * length * inner + lane % inner
                for k in 1..<Swift.max(length, 1) { values[base + k * inner] += values[base + (k - 1) * inner] }
            }
            return Tensor(floats: values, shape: shape).to(dtype).recorded(.cumsum, from: self, derivative: .cumsum(self, dim: d))
        }
        var values = int64s()
        for lane in 0..<(outer * inner) {
            let base = (lane / inner) * length * inner + lane % inner
            for k in 1..<Swift.max(length, 1) { values[base + k * inner] &+= values[base + (k - 1) * inner] }
        }
        return Tensor(ints: values, shape: shape)
    }

    /// `x.prod(dim)`; with `dim` nil, of every element (int64 for integer and bool tensors).
    public func prod(dim: Int? = nil, keepDim: Bool = false) throws -> Tensor {
        guard let dim else {
            let whole = dtype.isFloatingPoint ? Tensor(floats: [floats().reduce(1, *)], shape: []).to(dtype)
                                          : Tensor(ints: [int64s().reduce(1, &*)], shape: [])
            return whole.recorded(.prod, from: self, derivative: .prod(self, dim: nil, keepDim: false))
        }
        let d = try dimension(dim)
        if rank == 0 { return copy().recorded(.prodDim, from: self, derivative: .identity(self)) }
        let (outer, length, inner) = lanes(d)
        let lanesOut = (0..<(outer * inner)).map { lane in (0..<length).map { (lane / inner) * length * inner + lane % inner + $0 * inner } }
        let shape = reducedShape(d, keepDim: keepDim)
        if dtype.isFloatingPoint {
            let v = contiguous().floats()
            return Tensor(floats: lanesOut.map { $0.reduce(Float(1)) { $0 * v[$1] } }, shape: shape).to(dtype)
                .recorded(.prodDim, from: self, derivative: .prod(self, dim: d, keepDim: keepDim))
        }
        let v = int64s()
        return Tensor(ints: lanesOut.map { $0.reduce(Int64(1)) { $0 &* v[$1] } }, shape: shape)
    }

    /// `x.norm(dim)`: the Euclidean norm (of every element, or along `dim`).
    public func norm(dim: Int? = nil, keepDim: Bool = false) throws -> Tensor {
        guard dtype.isFloatingPoint else {
            throw TensorError("linalg.vector_norm: Expected a floating point or complex tensor as input. Got \(dtype.scalarTypeName)", kind: .notImplementedError)
        }
        let squares = try combined(.mul, self).detached()
        let norm = try squares.sum(dim: dim, keepDim: keepDim).sqrt()
        let d = try dim.map { rank == 0 ? 0 : try dimension($0) }
        return norm.recorded(.norm, from: self, derivative: .norm(self, norm, dim: d, keepDim: keepDim))
    }

    /// `F.cosine_similarity(x, y, dim, eps)`: `x·y / max(|x| |y|, eps)` along `dim`, recorded as torch's last step,
    /// `SumBackward1`.
    public static func cosineSimilarity(_ x: Tensor, _ y: Tensor, dim: Int, eps: Double = 1e-8) throws -> Tensor {
        let (a, b) = (x.detached(), y.detached())
        let dot = try a.combined(.mul, b).sum(dim: dim)
        let na = try a.combined(.mul, a).sum(dim: dim).sqrt(), nb = try b.combined(.mul, b).sum(dim: dim).sqrt()
        let denominator = try na.combined(.mul, nb).mapFloats { Swift.max($0, Float(eps)) }
        let d = try (x.rank >= y.rank ? x : y).dimension(dim)
        return try dot.combined(.div, denominator).recorded(.sumDim, from: x, y, derivative: .cosineSimilarity(x, y, dim: d, eps: eps))
    }

    /// `x.expand(*sizes)`: a view broadcast to `sizes` (-1 keeps a dimension), sharing storage.
    public func expand(_ sizes: [Int]) throws -> Tensor {
        let lead = sizes.count - rank
        guard lead >= 0 else {
            throw TensorError("expand(torch.FloatTensor{\(pythonList(shape))}, size=\(pythonList(sizes))): the number of sizes provided (\(sizes.count)) must be greater or equal to the number of dimensions in the tensor (\(rank))")
        }
        let target = sizes.enumerated().map { $0.offset >= lead && $0.element == -1 ? shape[$0.offset - lead] : $0.element }
        guard Tensor.elementCount(target) != nil else { throw TensorError("numel: integer multiplication overflow") }
        // torch makes the view and refuses the copy an operation makes of it; here that copy cannot fail, so the
        // view is refused when no copy of it could be held
        try Tensor.checkAllocation(target, dtype: dtype)
        return try expandedStrictly(to: target).recorded(.expand, from: self, derivative: .identity(self))
    }

    /// `x.repeat(*sizes)`: the tensor tiled `sizes[d]` times along each dimension (a copy).
    public func repeated(_ sizes: [Int]) throws -> Tensor {
        guard sizes.count >= rank else {
            throw TensorError("Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor")
        }
        let source = try reshaped([Int](repeating: 1, count: sizes.count - rank) + shape).detached()
        let target = try zip(source.shape, sizes).map { size, times in
            let (product, overflow) = size.multipliedReportingOverflow(by: times)
            guard !overflow else { throw TensorError("repeat: the result would have more elements than memory can hold") }
            return product
        }
        try Tensor.checkAllocation(target, dtype: dtype)
        if target.contains(0) { return Tensor(zeros: target, dtype: dtype).recorded(.repeated, from: self, derivative: .zero(self)) }
        var result = source
        for (d, times) in sizes.enumerated() where times != 1 {
            result = try Tensor.concatenated([Tensor](repeating: result, count: times), dim: d)
        }
        return (result.storage === source.storage ? result.copy() : result).recorded(.repeated, from: self, derivative: .repeated(self, sizes))
    }

    /// `x.t()`: a 2-D tensor transposed (0-D and 1-D as they are), as a view.
    public func t() throws -> Tensor {
        guard rank <= 2 else { throw TensorError("t() expects a tensor with <= 2 dimensions, but self is \(rank)D") }
        return try (rank == 2 ? transposed(0, 1) : self).detached().recorded(.t, from: self, derivative: .permute(rank == 2 ? [1, 0] : Array(0..<rank)))
    }
}
