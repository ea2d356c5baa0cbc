import BigInt
import Foundation

/// `math`: CPython's functions over floats (with its `math domain error` and `math range error`) and over ints of any
/// size (`factorial`, `comb`, `gcd`).
enum MathModule {
    static func make() -> PythonModule {
        var members: [String: Value] = [
            "pi": .float(Double.pi), "e": .float(M_E), "inf": .float(.infinity), "nan": .float(.nan), "tau": .float(2 * .pi),
        ]
        for (name, f, domain) in realFunctions { members[name] = real(name, f, domain: domain) }
        for (name, f) in integerFunctions { members[name] = builtin(name) { try f($0) } }
        for (name, test) in [("isnan", { (x: Double) in x.isNaN }), ("isinf", { $0.isInfinite }), ("isfinite", { $0.isFinite })] {
            members[name] = builtin(name) { .bool(test(try realArgument(try $0.bind(name, ["x"], required: 1)[0]!))) }
        }
        members["floor"] = builtin("floor") { try integral($0, "floor", .down) }
        members["ceil"] = builtin("ceil") { try integral($0, "ceil", .up) }
        members["trunc"] = builtin("trunc") { try integral($0, "trunc", .towardZero) }
        members["log"] = builtin("log") { args in
            let a = try args.bind("log", ["x", "base"], required: 1)
            let x = try logarithm(a[0]!)
            guard let base = a[1] else { return .float(x) }
            let b = try logarithm(base)
            guard b != 0 else { throw PyError(.zeroDivisionError, "float division by zero") }
            return .float(x / b)
        }
        for (name, f) in [("log2", Foundation.log2), ("log10", Foundation.log10)] as [(String, @Sendable (Double) -> Double)] {
            members[name] = builtin(name) { .float(try logarithm(try $0.bind(name, ["x"], required: 1)[0]!, f)) }
        }
        members["atan2"] = binary("atan2", Foundation.atan2)
        members["copysign"] = binary("copysign") { Foundation.copysign($0, $1) }
        members["fmod"] = binary("fmod") { x, y in
            guard !(y == 0 || x.isInfinite) || x.isNaN || y.isNaN else { throw PyError.value("math domain error") }
            return Foundation.fmod(x, y)
        }
        members["pow"] = binary("pow") { x, y in
            if x == 0 && y < 0 || x < 0 && y.isFinite && y.rounded() != y { throw PyError.value("math domain error") }
            return try checkedRange(Foundation.pow(x, y), x, y)
        }
        members["hypot"] = builtin("hypot") { args in
            .float(try args.positional.map(realArgument).reduce(0) { Foundation.hypot($0, $1) })
        }
        members["fsum"] = builtin("fsum") { args in
            .float(exactSum(try Iteration.materialize(try args.bind("fsum", ["seq"], required: 1)[0]!).map(realArgument)))
        }
        members["prod"] = builtin("prod") { args in
            let a = try args.bind("prod", ["iterable", "start"], required: 1)
            return try Iteration.materialize(a[0]!).reduce(a[1] ?? .int(1)) { try Operators.binary(.multiply, $0, $1) }
        }
        members["isclose"] = builtin("isclose") { args in
            let a = try args.bind("isclose", ["a", "b", "rel_tol", "abs_tol"], required: 2)
            let (x, y) = (try realArgument(a[0]!), try realArgument(a[1]!))
            let rel = try a[2].map(realArgument) ?? 1e-9, abs = try a[3].map(realArgument) ?? 0
            return .bool(x == y || Swift.abs(x - y) <= Swift.max(rel * Swift.max(Swift.abs(x), Swift.abs(y)), abs))
        }
        // CPython computes gamma and lgamma with its own Lanczos sums, whose last digits libm's do not match
        return PythonModule("math", members, planned: ["gamma", "lgamma", "dist", "frexp", "ldexp", "modf", "nextafter", "ulp", "remainder", "cbrt", "exp2"])
    }

    /// One-argument float functions, with the arguments outside their domain.
    private static let realFunctions: [(String, @Sendable (Double) -> Double, (@Sendable (Double) -> Bool)?)] = [
        ("sqrt", Foundation.sqrt, { $0 >= 0 }), ("exp", Foundation.exp, nil), ("expm1", Foundation.expm1, nil),
        ("log1p", Foundation.log1p, { $0 > -1 }),
        ("sin", Foundation.sin, { !$0.isInfinite }), ("cos", Foundation.cos, { !$0.isInfinite }),
        ("tan", Foundation.tan, { !$0.isInfinite }), ("asin", Foundation.asin, { Swift.abs($0) <= 1 }),
        ("acos", Foundation.acos, { Swift.abs($0) <= 1 }), ("atan", Foundation.atan, nil), ("sinh", Foundation.sinh, nil),
        ("cosh", Foundation.cosh, nil), ("tanh", Foundation.tanh, nil), ("asinh", Foundation.asinh, nil),
        ("acosh", Foundation.acosh, { $0 >= 1 }), ("atanh", Foundation.atanh, { Swift.abs($0) < 1 }),
        ("erf", Foundation.erf, nil), ("erfc", Foundation.erfc, nil), ("fabs", Swift.abs, nil),
        ("degrees", { $0 * 180 / .pi }, nil), ("radians", { $0 * .pi / 180 }, nil),
    ]

    /// Functions of ints of any size.
    private static let integerFunctions: [(String, @Sendable (Arguments) throws -> Value)] = [
        ("factorial", factorial), ("comb", comb), ("perm", perm), ("gcd", gcd), ("lcm", lcm), ("isqrt", isqrt),
    ]

    private static func factorial(_ args: Arguments) throws -> Value {
        let n = try integer(try args.bind("factorial", ["n"], required: 1)[0]!)
        guard n >= 0 else { throw PyError.value("factorial() not defined for negative values") }
        return .integer(try product(from: 1, through: n))
    }

    private static func comb(_ args: Arguments) throws -> Value {
        let a = try args.bind("comb", ["n", "k"], required: 2)
        let (n, k) = try choice(a[0]!, a[1]!)
        guard k <= n else { return .int(0) }
        let smaller = Swift.min(k, n - k)
        return .integer(try product(from: n - smaller + 1, through: n) / product(from: 1, through: smaller))
    }

    private static func perm(_ args: Arguments) throws -> Value {
        let a = try args.bind("perm", ["n", "k"], required: 1)
        var k = a[1] ?? a[0]!
        if case .none = k { k = a[0]! }
        let (n, r) = try choice(a[0]!, k)
        return .integer(r > n ? 0 : try product(from: n - r + 1, through: n))
    }

    private static func gcd(_ args: Arguments) throws -> Value {
        .integer(try args.positional.map(integer).reduce(BigInt(0)) { $0.greatestCommonDivisor(with: $1) })
    }

    private static func lcm(_ args: Arguments) throws -> Value {
        var result = BigInt(1)
        for n in try args.positional.map(integer) {
            result = result == 0 || n == 0 ? 0 : BigInt((result / result.greatestCommonDivisor(with: n) * n).magnitude)
        }
        return .integer(result)
    }

    private static func isqrt(_ args: Arguments) throws -> Value {
        let n = try integer(try args.bind("isqrt", ["n"], required: 1)[0]!)
        guard n >= 0 else { throw PyError.value("isqrt() argument must be nonnegative") }
        return .integer(BigInt(n.magnitude.squareRoot()))
    }

    /// A one-argument float function: `math domain error` outside `domain`, `math range error` on overflow.
    private static func real(_ name: String, _ f: @escaping @Sendable (Double) -> Double, domain: ((Double) -> Bool)?) -> Value {
        builtin(name) { args in
            let x = try realArgument(try args.bind(name, ["x"], required: 1)[0]!)
            if x.isNaN { return .float(x) }
            if let domain, !domain(x) { throw PyError.value("math domain error") }
            return .float(try checkedRange(f(x), x))
        }
    }

    private static func binary(_ name: String, _ f: @escaping (Double, Double) throws -> Double) -> Value {
        builtin(name) { args in
            let a = try args.bind(name, ["x", "y"], required: 2)
            return .float(try f(try realArgument(a[0]!), try realArgument(a[1]!)))
        }
    }

    /// `result`, or CPython's `math range error` when finite arguments overflowed to infinity.
    private static func checkedRange(_ result: Double, _ arguments: Double...) throws -> Double {
        if result.isInfinite && arguments.allSatisfy(\.isFinite) { throw PyError(.overflowError, "math range error") }
        return result
    }

    /// The natural logarithm of a float or of an int of any size: one past a float's range as CPython's `loghelper`
    /// takes it, log(x) + log(2) * e for i = x * 2**e, x in [0.5, 1).
    private static func logarithm(_ value: Value, _ log: (Double) -> Double = Foundation.log) throws -> Double {
        if case .bigInt(let i) = value, (try? IntArithmetic.double(i)) == nil {
            guard i > 0 else { throw PyError.value("math domain error") }
            let e = i.bitWidth - 1, top = UInt64(i >> (e - 64))  // the value's 64 leading bits (its sign bit dropped)
            return log(Double(top) / 0x1p64) + log(2.0) * Double(e)
        }
        let x = try realArgument(value)
        guard x > 0 else { throw PyError.value("math domain error") }
        return log(x)
    }

    /// A float argument, with CPython's TypeError for anything else.
    static func realArgument(_ value: Value) throws -> Double {
        switch value {
        case .int, .bigInt, .bool, .float, .tensor, .object(_ as RealScalarObject): return try value.asDouble("x")
        default: throw PyError.type("must be real number, not \(value.typeName)")
        }
    }

    /// An int argument (`'float' object cannot be interpreted as an integer`).
    private static func integer(_ value: Value) throws -> BigInt {
        guard let i = value.exactInteger else { throw PyError.type("'\(value.typeName)' object cannot be interpreted as an integer") }
        return i
    }

    /// `comb`'s and `perm`'s n and k, both non-negative.
    private static func choice(_ nValue: Value, _ kValue: Value) throws -> (BigInt, BigInt) {
        let (n, k) = (try integer(nValue), try integer(kValue))
        guard n >= 0 else { throw PyError.value("n must be a non-negative integer") }
        guard k >= 0 else { throw PyError.value("k must be a non-negative integer") }
        return (n, k)
    }

    /// low * (low + 1) * ... * high (1 when empty), of at most `maxFactors` factors, which take a fraction of a second.
    private static func product(from low: BigInt, through high: BigInt) throws -> BigInt {
        guard high - low < maxFactors else { throw PyError(.overflowError, "sbpl multiplies at most \(maxFactors) factors (here \(high - low + 1))") }
        var result: BigInt = 1, i = low
        while i <= high { result *= i; i += 1 }
        return result
    }

    private static let maxFactors = 20_000

    /// The correctly rounded sum of `values` (Shewchuk's partials, as CPython's `fsum`); with an infinity or a NaN,
    /// their plain sum.
    private static func exactSum(_ values: [Double]) -> Double {
        guard values.allSatisfy(\.isFinite) else { return values.reduce(0, +) }
        var partials: [Double] = []
        for var x in values {
            var kept = 0
            for var y in partials {
                if Swift.abs(x) < Swift.abs(y) { swap(&x, &y) }
                let high = x + y, low = y - (high - x)
                if low != 0 { partials[kept] = low; kept += 1 }
                x = high
            }
            partials.removeSubrange(kept...)
            partials.append(x)
        }
        return partials.reduce(0, +)
    }
}

/// `math.floor(x)` / `math.ceil(x)` / `math.trunc(x)`: an int as large as it needs to be; ints are returned as they are.
private func integral(_ args: Arguments, _ name: String, _ rule: FloatingPointRoundingRule) throws -> Value {
    let x = try args.bind(name, ["x"], required: 1)[0]!
    if x.exactInteger != nil { return x }
    return try IntArithmetic.truncating(try MathModule.realArgument(x).rounded(rule))
}
