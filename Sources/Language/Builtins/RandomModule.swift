import BigInt
import Crypto
import Foundation
import TensorCore

/// Python's `random`: CPython 3.11's `Random` (`Lib/random.py` over `Modules/_randommodule.c`) on the Mersenne Twister
/// that torch's generator also runs, seeded as CPython seeds it, so a seeded program draws the numbers CPython draws.
/// The module's functions are the methods of one hidden `Random`, as in CPython; `random.Random(x)` makes another.
enum RandomModule {
    static func make() -> PythonModule {
        var members = PythonRandom().methods()
        members["Random"] = builtin("Random") { args in
            let x = try args.bind("Random", ["x"])[0]
            return .object(RandomObject(try PythonRandom(seeded: x)))
        }
        return PythonModule("random", members, planned: planned)
    }

    /// What CPython's `random` has that sbpl does not yet.
    static let planned: Set<String> = ["randbytes", "SystemRandom"]
}

/// `random.Random(x)`: a generator of its own with the module's functions as methods.
final class RandomObject: PyObject {
    private let members: [String: Value]

    init(_ generator: PythonRandom) { members = generator.methods() }

    var typeName: String { "Random" }
    var qualifiedTypeName: String? { "random.Random" }
    var repr: String { "<random.Random object at \(objectAddress(self))>" }
    var attributeNames: [String] { members.keys.sorted() }
    func attribute(_ name: String, _ interpreter: Interpreter) throws -> Value? {
        if let member = members[name] { return member }
        if RandomModule.planned.contains(name) { throw PyError(.notImplementedError, "sbpl does not support Random.\(name) yet") }
        return nil
    }
}

/// One generator's state and CPython's algorithms over it, method for method.
final class PythonRandom {
    private var twister = MersenneTwister(seed: 0)
    /// The second value of `gauss`'s last pair (`gauss_next`).
    private var gaussNext: Double?

    /// A generator seeded from the system's randomness.
    init() { seedFromSystem() }

    init(seeded a: Value?) throws { try seed(a) }

    // MARK: seeding

    /// `seed(a=None, version=2)`: None seeds from the system's randomness; an int from the 32-bit words of `abs(a)`,
    /// least significant first; a float from its hash; a str from the int its UTF-8 bytes followed by their SHA-512
    /// digest make (big-endian), or with `version=1` from its old hash.
    func seed(_ a: Value?, version: Value = .int(2)) throws {
        switch a.given {
        case nil: seedFromSystem()
        case .str(let s)?:
            let bytes = Data(s.utf8)
            let n = if case .int(1) = version { BigUInt(Self.versionOneHash(s)) } else { BigUInt(bytes + Data(SHA512.hash(data: bytes))) }
            twister = MersenneTwister(key: Self.words(of: n))
        case let value?:
            if let n = value.exactInteger {
                twister = MersenneTwister(key: Self.words(of: n.magnitude))
            } else if case .float(let f) = value {
                guard !f.isNaN else { throw PyError(.notImplementedError, "sbpl does not support random.seed with a NaN yet") }
                twister = MersenneTwister(key: Self.words(of: BigUInt(UInt(bitPattern: try PythonHash.of(value)))))
            } else {
                throw PyError.type("The only supported seed types are: None,\nint, float, str, bytes, and bytearray.")
            }
        }
        gaussNext = nil
    }

    /// `random_seed_urandom`: 624 words from the system's generator.
    private func seedFromSystem() {
        var system = SystemRandomNumberGenerator()
        twister = MersenneTwister(key: (0..<MersenneTwister.stateSize).map { _ in UInt32.random(in: .min ... .max, using: &system) })
        gaussNext = nil
    }

    /// The 32-bit words of `n`, least significant first, at least one (`_PyLong_AsByteArray`, little-endian).
    private static func words(of n: BigUInt) -> [UInt32] {
        let count = Swift.max(1, (n.bitWidth + 31) / 32)
        let halves = n.words.flatMap { [UInt32(truncatingIfNeeded: $0), UInt32(truncatingIfNeeded: $0 >> 32)] }
        return (0..<count).map { $0 < halves.count ? halves[$0] : 0 }
    }

    /// `seed(s, version=1)`'s hash of a str.
    private static func versionOneHash(_ s: String) -> UInt64 {
        let codes = s.unicodeScalars.map { UInt64($0.value) }
        var x: UInt64 = codes.first.map { $0 << 7 } ?? 0
        for c in codes { x = (1_000_003 &* x) ^ c }
        return x ^ UInt64(codes.count)
    }

    // MARK: the core generator

    /// `random()`: 53 random bits, 27 from one draw and 26 from the next.
    func random() -> Double {
        let a = Double(twister.next() >> 5), b = Double(twister.next() >> 6)
        return (a * 67_108_864.0 + b) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// `getrandbits(k)`: k random bits, built from 32-bit draws least significant word first (the last draw keeps
    /// its high bits).
    func getrandbits(_ k: Int) throws -> BigInt {
        guard k >= 0 else { throw PyError.value("number of bits must be non-negative") }
        if k == 0 { return 0 }
        if k <= 32 { return BigInt(twister.next() >> (32 - k)) }
        var words: [UInt] = []
        var remaining = k, word: UInt = 0, half = 0
        while remaining > 0 {
            var r = UInt(twister.next())
            if remaining < 32 { r >>= 32 - remaining }
            word |= r << (32 * half)
            half += 1
            if half == 2 { words.append(word); (word, half) = (0, 0) }
            remaining -= 32
        }
        if half == 1 { words.append(word) }
        return BigInt(BigUInt(words: words))
    }

    /// `_randbelow(n)` for `n > 0`: `getrandbits(n.bit_length())` until it is below `n`.
    func randbelow(_ n: BigInt) throws -> BigInt {
        if let small = Int(exactly: n) { return BigInt(randbelow(small)) }
        let k = n.magnitude.bitWidth
        var r = try getrandbits(k)
        while r >= n { r = try getrandbits(k) }
        return r
    }

    /// `_randbelow(n)` for `0 < n <= Int.max`, without big ints: the same draws as `getrandbits`.
    func randbelow(_ n: Int) -> Int {
        let k = Int.bitWidth - n.leadingZeroBitCount
        func bits() -> Int {
            if k <= 32 { return Int(twister.next() >> (32 - k)) }
            let low = Int(twister.next()), high = Int(twister.next() >> (64 - k))
            return high << 32 | low
        }
        var r = bits()
        while r >= n { r = bits() }
        return r
    }

    // MARK: integers

    /// `randrange(start, stop=None, step=1)`.
    func randrange(_ start: Value, _ stop: Value?, _ step: Value?) throws -> Value {
        let istart = try Self.integer(start, "arg 1")
        guard let stop = stop.given else {
            if let step, !(step.exactInteger == 1 && step.typeName == "int") { throw PyError.type("Missing a non-None stop argument") }
            guard istart > 0 else { throw PyError.value("empty range for randrange()") }
            return .integer(try randbelow(istart))
        }
        let istop = try Self.integer(stop, "stop")
        let width = istop - istart
        let istep = try step.map { try Self.integer($0, "step") } ?? 1
        if istep == 1 {
            guard width > 0 else { throw PyError.value("empty range for randrange() (\(istart), \(istop), \(width))") }
            return .integer(istart + (try randbelow(width)))
        }
        guard istep != 0 else { throw PyError.value("zero step for randrange()") }
        let n = Self.floorDivide(istep > 0 ? width + istep - 1 : width + istep + 1, istep)
        guard n > 0 else { throw PyError.value("empty range for randrange()") }
        return .integer(istart + istep * (try randbelow(n)))
    }

    /// `randint(a, b)`: `randrange(a, b + 1)`.
    func randint(_ a: Value, _ b: Value) throws -> Value {
        try randrange(a, try Operators.binary(.add, b, .int(1)), nil)
    }

    /// randrange's `_index(x)`, or `int(x)` of a float that is a whole number (deprecated in 3.10, still allowed).
    private static func integer(_ x: Value, _ which: String) throws -> BigInt {
        if let i = x.exactInteger { return i }
        switch x {
        case .float(let f):
            guard f.isFinite else { throw PyError(f.isNaN ? .valueError : .overflowError, "cannot convert float \(f.isNaN ? "NaN" : "infinity") to integer") }
            guard f.rounded(.towardZero) == f else { throw PyError.value("non-integer \(which) for randrange()") }
            return BigInt(f)
        case .str(let s):
            guard Int(s.trimmingCharacters(in: .whitespaces)) != nil else {
                throw PyError.value("invalid literal for int() with base 10: \(Value.str(s).repr)")
            }
            throw PyError.value("non-integer \(which) for randrange()")
        default:
            throw PyError.type("int() argument must be a string, a bytes-like object or a real number, not '\(x.typeName)'")
        }
    }

    private static func floorDivide(_ a: BigInt, _ b: BigInt) -> BigInt {
        let (q, r) = a.quotientAndRemainder(dividingBy: b)
        return r != 0 && (r < 0) != (b < 0) ? q - 1 : q
    }

    // MARK: sequences

    /// `choice(seq)`: `seq[_randbelow(len(seq))]`.
    func choice(_ seq: Value) throws -> Value {
        let n = try Iteration.length(seq)
        guard n > 0 else { throw PyError.index("Cannot choose from an empty sequence") }
        return try Self.item(seq, randbelow(n))
    }

    /// `shuffle(x)`: from the last item down, each swapped with one at or before it.
    func shuffle(_ x: Value) throws {
        guard case .list(let list) = x else {
            if try Iteration.length(x) > 1 {
                _ = randbelow(try Iteration.length(x))
                throw PyError.type("'\(x.typeName)' object does not support item assignment")
            }
            return
        }
        for i in Swift.stride(from: list.items.count - 1, through: 1, by: -1) {
            let j = randbelow(i + 1)
            list.items.swapAt(i, j)
        }
    }

    /// `sample(population, k, *, counts=None)`: from a pool list when it is smaller than the set of selections
    /// would be, else by redrawing indices already selected.
    func sample(_ population: Value, _ k: Value, counts: Value?) throws -> Value {
        let items = try Self.population(population)
        let n = items.count
        if let counts = counts.given {
            var cumulative = try Self.accumulate(counts)
            guard cumulative.count == n else { throw PyError.value("The number of counts does not match the population") }
            guard let total = cumulative.popLast() else { throw PyError.index("pop from empty list") }
            guard let totalCount = total.exactInteger, total.typeName == "int" else { throw PyError.type("Counts must be integers") }
            guard totalCount > 0 else { throw PyError.value("Total of counts must be greater than zero") }
            guard let size = Int(exactly: totalCount) else { throw PyError(.overflowError, "Python int too large to convert to C ssize_t") }
            let selections = try sample(.object(try RangeObject(start: 0, stop: size, step: 1)), k, counts: nil)
            return .list(PyList(try Iteration.materialize(selections).map { s in
                try items.item(try Self.bisectRight(cumulative, s, hi: cumulative.count))
            }))
        }
        guard try Operators.compare(.lessOrEqual, .int(0), k), try Operators.compare(.lessOrEqual, k, .int(n)) else {
            throw PyError.value("Sample larger than population or is negative")
        }
        guard let count = k.exactInteger.flatMap({ Int(exactly: $0) }) else {
            throw PyError.type("can't multiply sequence by non-int of type '\(k.typeName)'")
        }
        try PyError.checkMemory(values: count)
        var setsize = 21.0
        if count > 5 { setsize += Foundation.pow(4.0, (Foundation.log(Double(count) * 3) / Foundation.log(4.0)).rounded(.up)) }
        var result: [Value] = []
        result.reserveCapacity(count)
        if Double(n) <= setsize {
            var pool = try (0..<n).map { try items.item($0) }
            for i in 0..<count {
                let j = randbelow(n - i)
                result.append(pool[j])
                pool[j] = pool[n - i - 1]
            }
        } else {
            var selected = Set<Int>()
            for _ in 0..<count {
                var j = randbelow(n)
                while selected.contains(j) { j = randbelow(n) }
                selected.insert(j)
                result.append(try items.item(j))
            }
        }
        return .list(PyList(result))
    }

    /// `choices(population, weights=None, *, cum_weights=None, k=1)`: `floor(random() * n)` without weights, else a
    /// bisection of `random() * total` into the cumulative weights.
    func choices(_ population: Value, weights: Value?, cumWeights: Value?, k: Value) throws -> Value {
        let n = try Iteration.length(population)
        var cumulative: [Value]
        if let cumWeights = cumWeights.given {
            guard weights.given == nil else { throw PyError.type("Cannot specify both weights and cumulative weights") }
            cumulative = try Iteration.materialize(cumWeights)
        } else if let weights = weights.given {
            do {
                cumulative = try Self.accumulate(weights)
            } catch let error as PyError where error.kind == .typeError && weights.typeName == "int" {
                throw PyError.type("The number of choices must be a keyword argument: k=\(weights.repr)")
            }
        } else {
            let count = Double(n), draws = try Self.repeatCount(k)
            return .list(PyList(try (0..<draws).map { _ in try Self.item(population, Int((random() * count).rounded(.down))) }))
        }
        guard cumulative.count == n else { throw PyError.value("The number of weights does not match the population") }
        guard let last = cumulative.last else { throw PyError.index("list index out of range") }
        let total = try Operators.binary(.add, last, .float(0)).asDouble("total")
        guard total > 0 else { throw PyError.value("Total of weights must be greater than zero") }
        guard total.isFinite else { throw PyError.value("Total of weights must be finite") }
        let draws = try Self.repeatCount(k)
        return .list(PyList(try (0..<draws).map { _ in
            try Self.item(population, try Self.bisectRight(cumulative, .float(random() * total), hi: n - 1))
        }))
    }

    /// `itertools.accumulate(values)`: running sums by Python's `+`.
    private static func accumulate(_ values: Value) throws -> [Value] {
        var sums: [Value] = []
        for value in try Iteration.materialize(values) { sums.append(try sums.last.map { try Operators.binary(.add, $0, value) } ?? value) }
        return sums
    }

    /// `bisect.bisect_right(a, x, 0, hi)`.
    private static func bisectRight(_ a: [Value], _ x: Value, hi: Int) throws -> Int {
        var (lo, hi) = (0, hi)
        while lo < hi {
            let mid = (lo + hi) / 2
            if try Operators.compare(.less, x, a[mid]) { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }

    /// `itertools.repeat(None, k)`'s count: an int, none when negative.
    private static func repeatCount(_ k: Value) throws -> Int {
        guard let count = k.exactInteger else { throw PyError.type("'\(k.typeName)' object cannot be interpreted as an integer") }
        guard let small = Int(exactly: count) else { throw PyError(.overflowError, "Python int too large to convert to C ssize_t") }
        try PyError.checkMemory(values: small)
        return Swift.max(0, small)
    }

    /// `seq[i]` for a non-negative `i`, ranges included.
    private static func item(_ seq: Value, _ i: Int) throws -> Value {
        if case .object(let range as RangeObject) = seq {
            guard i < (try Iteration.length(seq)) else { throw PyError.index("range object index out of range") }
            return .int(range.start + i * range.step)
        }
        return try Subscripts.get(seq, [.value(.int(i))])
    }

    /// A population `sample` accepts (a `collections.abc.Sequence`): its length and items, ranges not materialised.
    private struct Population {
        let count: Int
        let item: (Int) throws -> Value
    }

    private static func population(_ population: Value) throws -> Population {
        switch population {
        case .list, .tuple, .str, .size:
            let items = try Iteration.materialize(population)
            return Population(count: items.count) { items[$0] }
        case .object(let range as RangeObject):
            return Population(count: try Iteration.length(population)) { .int(range.start + $0 * range.step) }
        default:
            throw PyError.type("Population must be a sequence.  For dicts or sets, use sorted(d).")
        }
    }

    // MARK: real-valued distributions

    /// `uniform(a, b)`: `a + (b - a) * random()`, with Python's arithmetic on the arguments.
    func uniform(_ a: Value, _ b: Value) throws -> Value {
        let width = try Operators.binary(.subtract, b, a)
        return try Operators.binary(.add, a, try Operators.binary(.multiply, width, .float(random())))
    }

    /// `triangular(low=0.0, high=1.0, mode=None)`.
    func triangular(_ low: Value, _ high: Value, _ mode: Value?) throws -> Value {
        let u = random()
        var c: Double
        do {
            c = try mode.given.map { try Operators.binary(.divide, try Operators.binary(.subtract, $0, low), try Operators.binary(.subtract, high, low)).asDouble("mode") } ?? 0.5
        } catch let error as PyError where error.kind == .zeroDivisionError {
            return low
        }
        var (u2, lo, hi) = (u, low, high)
        if u2 > c { (u2, c, lo, hi) = (1.0 - u2, 1.0 - c, high, low) }
        let width = try Operators.binary(.subtract, hi, lo)
        return try Operators.binary(.add, lo, try Operators.binary(.multiply, width, .float((u2 * c).squareRoot())))
    }

    /// `normalvariate(mu=0.0, sigma=1.0)`: Kinderman and Monahan's ratio of uniforms.
    func normalvariate(_ mu: Value, _ sigma: Value) throws -> Value {
        let magic = 4 * Foundation.exp(-0.5) / 2.0.squareRoot()
        var z: Double
        while true {
            let u1 = random(), u2 = 1.0 - random()
            z = magic * (u1 - 0.5) / u2
            if z * z / 4.0 <= -Foundation.log(u2) { break }
        }
        return try Operators.binary(.add, mu, try Operators.binary(.multiply, .float(z), sigma))
    }

    /// `gauss(mu=0.0, sigma=1.0)`: Box-Muller, the pair's second value kept for the next call.
    func gauss(_ mu: Value, _ sigma: Value) throws -> Value {
        var z: Double
        if let cached = gaussNext {
            z = cached
            gaussNext = nil
        } else {
            let x2pi = random() * (2 * Double.pi), g2rad = (-2.0 * Foundation.log(1.0 - random())).squareRoot()
            z = Foundation.cos(x2pi) * g2rad
            gaussNext = Foundation.sin(x2pi) * g2rad
        }
        return try Operators.binary(.add, mu, try Operators.binary(.multiply, .float(z), sigma))
    }

    /// `lognormvariate(mu, sigma)`: `exp` of a normal draw.
    func lognormvariate(_ mu: Value, _ sigma: Value) throws -> Double {
        Foundation.exp(try normalvariate(mu, sigma).asDouble("normalvariate"))
    }

    /// `expovariate(lambd)`: `-log(1 - random()) / lambd`.
    func expovariate(_ lambd: Double) throws -> Double {
        let draw = -Foundation.log(1.0 - random())
        guard lambd != 0 else { throw PyError(.zeroDivisionError, "float division by zero") }
        return draw / lambd
    }

    /// `vonmisesvariate(mu, kappa)`: Fisher's algorithm, a uniform angle when `kappa` is (nearly) zero.
    func vonmisesvariate(_ mu: Double, _ kappa: Double) throws -> Double {
        let twoPi = 2 * Double.pi
        if kappa <= 1e-6 { return twoPi * random() }
        let s = 0.5 / kappa, r = s + (1.0 + s * s).squareRoot()
        var z: Double
        while true {
            z = Foundation.cos(Double.pi * random())
            let d = z / (r + z), u2 = random()
            if u2 < 1.0 - d * d || u2 <= (1.0 - d) * Foundation.exp(d) { break }
        }
        let q = 1.0 / r, f = (q + z) / (1.0 + q * z)
        return random() > 0.5 ? Self.floatModulo(mu + Foundation.acos(f), twoPi) : Self.floatModulo(mu - Foundation.acos(f), twoPi)
    }

    /// `gammavariate(alpha, beta)`: Cheng's method for `alpha > 1`, an exponential for 1, Kennedy and Gentle's
    /// algorithm GS below.
    func gammavariate(_ alpha: Double, _ beta: Double) throws -> Double {
        guard alpha > 0, beta > 0 else { throw PyError.value("gammavariate: alpha and beta must be > 0.0") }
        if alpha > 1.0 {
            let ainv = (2.0 * alpha - 1.0).squareRoot(), bbb = alpha - Foundation.log(4.0), ccc = alpha + ainv
            let sgMagic = 1.0 + Foundation.log(4.5)
            while true {
                let u1 = random()
                guard 1e-7 < u1, u1 < 0.9999999 else { continue }
                let u2 = 1.0 - random()
                let v = Foundation.log(u1 / (1.0 - u1)) / ainv, x = alpha * Foundation.exp(v)
                let z = u1 * u1 * u2, r = bbb + ccc * v - x
                if r + sgMagic - 4.5 * z >= 0.0 || r >= Foundation.log(z) { return x * beta }
            }
        }
        if alpha == 1.0 { return -Foundation.log(1.0 - random()) * beta }
        var x: Double
        while true {
            let u = random(), b = (M_E + alpha) / M_E, p = b * u
            x = p <= 1.0 ? Foundation.pow(p, 1.0 / alpha) : -Foundation.log((b - p) / alpha)
            let u1 = random()
            if p > 1.0 ? u1 <= Foundation.pow(x, alpha - 1.0) : u1 <= Foundation.exp(-x) { break }
        }
        return x * beta
    }

    /// `betavariate(alpha, beta)`: from two gamma draws.
    func betavariate(_ alpha: Double, _ beta: Double) throws -> Double {
        let y = try gammavariate(alpha, 1.0)
        return y != 0 ? y / (y + (try gammavariate(beta, 1.0))) : 0.0
    }

    /// `paretovariate(alpha)`: `(1 - random()) ** (-1 / alpha)`.
    func paretovariate(_ alpha: Double) throws -> Double {
        let u = 1.0 - random()
        guard alpha != 0 else { throw PyError(.zeroDivisionError, "float division by zero") }
        return Foundation.pow(u, -1.0 / alpha)
    }

    /// `weibullvariate(alpha, beta)`: `alpha * (-log(1 - random())) ** (1 / beta)`.
    func weibullvariate(_ alpha: Double, _ beta: Double) throws -> Double {
        let u = 1.0 - random()
        guard beta != 0 else { throw PyError(.zeroDivisionError, "float division by zero") }
        return alpha * Foundation.pow(-Foundation.log(u), 1.0 / beta)
    }

    /// Python's `a % b` for floats: the sign of `b`.
    private static func floatModulo(_ a: Double, _ b: Double) -> Double {
        let m = Foundation.fmod(a, b)
        guard m != 0 else { return Foundation.copysign(0, b) }
        return (b < 0) != (m < 0) ? m + b : m
    }

    // MARK: state

    /// `getstate()`: `(3, (624 state words..., index), gauss_next)`.
    func getstate() -> Value {
        let words = twister.state.map { Value.int(Int($0)) } + [.int(twister.index)]
        return .tuple([.int(3), .tuple(words), gaussNext.map(Value.float) ?? .none])
    }

    /// `setstate(state)`: a state `getstate` returned (version 3, or 2 with signed words).
    func setstate(_ state: Value) throws {
        let parts = try Iteration.materialize(state)
        guard let version = parts.first else { throw PyError.index("tuple index out of range") }
        guard version.exactInteger == 3 || version.exactInteger == 2 else {
            throw PyError.value("state with version \(version.str) passed to Random.setstate() of version 3")
        }
        guard parts.count == 3 else { throw PyError.value("too many values to unpack (expected 3)") }
        guard case .tuple(let saved) = parts[1] else { throw PyError.type("state vector must be a tuple") }
        guard saved.count == MersenneTwister.stateSize + 1 else { throw PyError.value("state vector is the wrong size") }
        let modulus = BigInt(1) << 32
        let words = try saved.dropLast().map { word -> UInt32 in
            guard var w = word.exactInteger else { throw PyError.type("an integer is required") }
            if version.exactInteger == 2 { w = ((w % modulus) + modulus) % modulus }
            guard w >= 0 else { throw PyError(.overflowError, "can't convert negative value to unsigned int") }
            return UInt32(truncatingIfNeeded: w)
        }
        guard let index = saved.last?.exactInteger.flatMap({ Int(exactly: $0) }),
              let restored = MersenneTwister(state: words, index: index) else { throw PyError.value("invalid state") }
        let gauss = Optional(parts[2]).given
        twister = restored
        gaussNext = try gauss.map { try $0.asDouble("gauss_next") }
    }

    // MARK: the Python methods

    /// The methods as Python calls them, bound to this generator.
    func methods() -> [String: Value] {
        [
            "seed": method("seed", ["a", "version"], required: 0) { [self] a in
                try seed(a[0], version: a[1] ?? .int(2))
                return .none
            },
            "random": builtin("random") { [self] args in
                guard args.positional.isEmpty, args.keywords.isEmpty else {
                    throw PyError.type(args.keywords.isEmpty ? "Random.random() takes no arguments (\(args.positional.count) given)" : "Random.random() takes no keyword arguments")
                }
                return .float(random())
            },
            "getrandbits": builtin("getrandbits") { [self] args in
                guard args.keywords.isEmpty else { throw PyError.type("Random.getrandbits() takes no keyword arguments") }
                guard args.positional.count == 1 else { throw PyError.type("Random.getrandbits() takes exactly one argument (\(args.positional.count) given)") }
                let k = args.positional[0]
                guard let bits = k.exactInteger else { throw PyError.type("'\(k.typeName)' object cannot be interpreted as an integer") }
                guard let small = Int32(exactly: bits) else { throw PyError(.overflowError, "Python int too large to convert to C int") }
                return .integer(try getrandbits(Int(small)))
            },
            "randrange": method("randrange", ["start", "stop", "step"], required: 1) { [self] a in try randrange(a[0]!, a[1], a[2]) },
            "randint": method("randint", ["a", "b"], required: 2) { [self] a in try randint(a[0]!, a[1]!) },
            "choice": method("choice", ["seq"], required: 1) { [self] a in try choice(a[0]!) },
            "shuffle": method("shuffle", ["x"], required: 1) { [self] a in
                try shuffle(a[0]!)
                return .none
            },
            "sample": method("sample", ["population", "k", "counts"], required: 2, keywordOnly: 1) { [self] a in
                try sample(a[0]!, a[1]!, counts: a[2])
            },
            "choices": method("choices", ["population", "weights", "cum_weights", "k"], required: 1, keywordOnly: 2) { [self] a in
                try choices(a[0]!, weights: a[1], cumWeights: a[2], k: a[3] ?? .int(1))
            },
            "uniform": method("uniform", ["a", "b"], required: 2) { [self] a in try uniform(a[0]!, a[1]!) },
            "triangular": method("triangular", ["low", "high", "mode"], required: 0) { [self] a in
                try triangular(a[0] ?? .float(0), a[1] ?? .float(1), a[2])
            },
            "normalvariate": method("normalvariate", ["mu", "sigma"], required: 0) { [self] a in
                try normalvariate(a[0] ?? .float(0), a[1] ?? .float(1))
            },
            "gauss": method("gauss", ["mu", "sigma"], required: 0) { [self] a in try gauss(a[0] ?? .float(0), a[1] ?? .float(1)) },
            "lognormvariate": method("lognormvariate", ["mu", "sigma"], required: 2) { [self] a in .float(try lognormvariate(a[0]!, a[1]!)) },
            "expovariate": method("expovariate", ["lambd"], required: 1) { [self] a in .float(try expovariate(try a[0]!.asDouble("lambd"))) },
            "vonmisesvariate": method("vonmisesvariate", ["mu", "kappa"], required: 2) { [self] a in
                .float(try vonmisesvariate(try a[0]!.asDouble("mu"), try a[1]!.asDouble("kappa")))
            },
            "gammavariate": method("gammavariate", ["alpha", "beta"], required: 2) { [self] a in
                .float(try gammavariate(try a[0]!.asDouble("alpha"), try a[1]!.asDouble("beta")))
            },
            "betavariate": method("betavariate", ["alpha", "beta"], required: 2) { [self] a in
                .float(try betavariate(try a[0]!.asDouble("alpha"), try a[1]!.asDouble("beta")))
            },
            "paretovariate": method("paretovariate", ["alpha"], required: 1) { [self] a in .float(try paretovariate(try a[0]!.asDouble("alpha"))) },
            "weibullvariate": method("weibullvariate", ["alpha", "beta"], required: 2) { [self] a in
                .float(try weibullvariate(try a[0]!.asDouble("alpha"), try a[1]!.asDouble("beta")))
            },
            "getstate": method("getstate", [], required: 0) { [self] _ in getstate() },
            "setstate": method("setstate", ["state"], required: 1) { [self] a in
                try setstate(a[0]!)
                return .none
            },
        ]
    }

    /// A method of Python's `Random` class: its arguments bound as CPython binds them, with its messages (which count
    /// `self` among the positional arguments).
    private func method(_ name: String, _ parameters: [String], required: Int, keywordOnly: Int = 0,
                        _ body: @escaping ([Value?]) throws -> Value) -> Value {
        builtin(name) { args in
            let most = parameters.count - keywordOnly
            guard args.positional.count <= most else {
                let takes = required == most ? "\(most + 1) positional argument\(most == 0 ? "" : "s")" : "from \(required + 1) to \(most + 1) positional arguments"
                throw PyError.type("Random.\(name)() takes \(takes) but \(args.positional.count + 1) were given")
            }
            return try body(try args.bind("Random.\(name)", parameters, required: required))
        }
    }
}
