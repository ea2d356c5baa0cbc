import Foundation
import Synchronization

/// The default random generator, as `torch.manual_seed(seed)` seeds it: a Mersenne Twister (mt19937, the engine
/// of torch's CPU generator) shared by the process, so that sampling is reproducible for a seed.
public enum RandomGenerator {
    /// torch's seed when none is set (`default_rng_seed_val`).
    public static let defaultSeed: UInt64 = 67_280_421_310_721

    /// One generator's state.
    private final class Engine: Sendable {
        let state = Mutex(TorchEngine(seed: defaultSeed))
    }

    private static let process = Engine()
    @TaskLocal private static var bound: Engine?
    /// The generator draws come from: the process's, unless the running code bound one of its own.
    private static var engine: Engine { bound ?? process }

    /// Runs `body` with a generator of its own, in torch's default state, so that its draws neither move nor follow
    /// other code's: programs run side by side (tests) each as a fresh process would.
    public static func withOwnGenerator<T>(_ body: () throws -> T) rethrows -> T {
        try $bound.withValue(Engine(), operation: body)
    }

    /// `torch.manual_seed(seed)`.
    public static func seed(_ seed: UInt64) { engine.state.withLock { $0 = TorchEngine(seed: seed) } }

    /// `torch.empty((), dtype=torch.int64).random_()`: one 64-bit draw (two of the twister's), as torch's DataLoader
    /// takes its base seed when a pipeline iterates over a list of inputs.
    @discardableResult
    public static func random64() -> UInt64 {
        engine.state.withLock { twister in UInt64(twister.next()) << 32 | UInt64(twister.next()) }
    }

    /// `torch.randperm(n)`: a permutation of `0..<n` from torch's generator.
    public static func permutation(_ n: Int) -> [Int] {
        engine.state.withLock { twister in permutation(n) { twister.next() } }
    }

    /// The order a torch `DataLoader(..., shuffle=True)` takes `n` items in: its `RandomSampler` draws a seed (an int64
    /// `random_()`) from torch's generator and permutes with a generator of its own seeded with it.
    public static func shuffledIndices(_ n: Int) -> [Int] {
        var own = TorchEngine(seed: random64() % (1 << 63))
        return permutation(n) { own.next() }
    }

    /// torch's CPU `randperm`: the identity, then element `i` swapped with one of `i..<n`, `draw() % (n - i)` after it.
    private static func permutation(_ n: Int, _ draw: () -> UInt32) -> [Int] {
        var order = Array(0..<max(n, 0))
        for i in order.indices.dropLast() { order.swapAt(i, i + Int(draw()) % (n - i)) }
        return order
    }

    /// `torch.rand(count)`: uniform float32 draws in [0, 1), each the low 24 bits of one 32-bit draw, as torch's
    /// `uniform_real_distribution<float>` makes them.
    public static func uniform(_ count: Int) -> [Float] {
        engine.state.withLock { twister in (0..<count).map { _ in twister.nextFloat() } }
    }

    /// `tensor.uniform_(low, high)` on float32: each uniform draw scaled in float32 as torch's
    /// `uniform_real_distribution<float>` does, `x * (high - low) + low`, in one fused multiply-add as torch's
    /// kernels compiled for AVX2 and AVX-512 (every x86 CPU that runs them) compute it.
    public static func uniform(_ count: Int, from low: Float, to high: Float) -> [Float] {
        engine.state.withLock { twister in (0..<count).map { _ in low.addingProduct(twister.nextFloat(), high - low) } }
    }

    /// `torch.randn(count)` (`std` 1) and `tensor.normal_(mean, std)`: normal float32 draws as torch's CPU kernel
    /// makes them. Fewer than 16 are drawn one by one by Box-Muller in double and scaled and moved in double (each
    /// pair's second value kept for the next draw); 16 or more fill the tensor with uniform floats first and transform
    /// them 16 at a time in float32, scaled by `std` and moved by `mean` in float32 (the last 16 redrawn when the
    /// count is not a multiple of 16).
    public static func normal(_ count: Int, mean: Double = 0, std: Double = 1) -> [Float] {
        engine.state.withLock { twister in
            guard count >= 16 else { return (0..<count).map { _ in Float(mean == 0 ? twister.nextNormal() * std : twister.nextNormal() * std + mean) } }
            var data = (0..<count).map { _ in twister.nextFloat() }
            for start in Swift.stride(from: 0, through: count - 16, by: 16) { boxMuller16(&data, at: start) }
            if count % 16 != 0 {
                for i in (count - 16)..<count { data[i] = twister.nextFloat() }
                boxMuller16(&data, at: count - 16)
            }
            if std != 1 { data = data.map { $0 * Float(std) } }
            return mean == 0 ? data : data.map { $0 + Float(mean) }
        }
    }

    /// torch's `normal_fill_16`: 8 pairs of uniforms (j, j + 8) become 8 pairs of normals, in float32.
    private static func boxMuller16(_ data: inout [Float], at start: Int) {
        for j in start..<(start + 8) {
            let u1 = 1 - data[j], u2 = data[j + 8]
            let radius = (-2 * Foundation.logf(u1)).squareRoot(), theta = Float(2.0 * Double.pi) * u2
            (data[j], data[j + 8]) = (radius * Foundation.cosf(theta), radius * Foundation.sinf(theta))
        }
    }

    /// `torch.randint(low, high, (count,))`: each draw modulo the range (a 64-bit draw from a range of 2^28 on, as
    /// torch's open-source builds).
    public static func integers(_ count: Int, low: Int64, high: Int64) -> [Int64] {
        let range = UInt64(bitPattern: high &- low)
        return engine.state.withLock { twister in
            (0..<count).map { _ in
                let draw = range >= 1 << 28 ? UInt64(twister.next()) << 32 | UInt64(twister.next()) : UInt64(twister.next())
                return low &+ Int64(bitPattern: draw % range)
            }
        }
    }

    /// `torch.empty(count).exponential_()`: exponential draws of rate 1, `-log1p(-u)` for each uniform `u`, as
    /// torch's CPU kernel makes them (in double, then rounded to float32).
    public static func exponential(_ count: Int) -> [Float] {
        engine.state.withLock { twister in (0..<count).map { _ in Float(-Foundation.log1p(-twister.nextDouble())) } }
    }

    /// `torch.bernoulli(p)` of a float32 (or float16) tensor of probabilities: for each, in order, a uniform float32
    /// of one draw below it, as torch's serial CPU kernel draws them.
    public static func bernoulli(probabilities: [Float]) -> [Bool] {
        engine.state.withLock { twister in probabilities.map { twister.nextFloat() < $0 } }
    }

    /// The same for float64 probabilities: a uniform double of two draws below each.
    public static func bernoulli(probabilities: [Double]) -> [Bool] {
        engine.state.withLock { twister in probabilities.map { twister.nextDouble() < $0 } }
    }

    /// `torch.empty(count).bernoulli_(p)`: each draw true with probability `p`, a uniform double below `p`, as
    /// torch's own CPU kernel draws them (torch on Intel CPUs with MKL draws from MKL's stream instead).
    public static func bernoulli(_ count: Int, p: Double) -> [Bool] {
        engine.state.withLock { twister in (0..<count).map { _ in twister.nextDouble() < p } }
    }
}

/// torch's CPU generator: mt19937 seeded with the low 32 bits of the seed (`init_genrand`), and the draws torch's
/// distributions take from it.
struct TorchEngine: Sendable {
    private var twister: MersenneTwister
    /// The second value of the last Box-Muller pair, which the next normal draw returns (torch's
    /// `next_double_normal_sample`, cleared by seeding).
    private var nextNormalSample: Double?

    init(seed: UInt64) { twister = MersenneTwister(seed: UInt32(truncatingIfNeeded: seed)) }

    mutating func next() -> UInt32 { twister.next() }

    /// A uniform double in [0, 1) as torch makes one: the low 53 bits of two draws (the first the high half).
    mutating func nextDouble() -> Double {
        let high = UInt64(next()), low = UInt64(next())
        return Double((high << 32 | low) & ((1 << 53) - 1)) * 0x1p-53
    }

    /// A uniform float in [0, 1): the low 24 bits of one draw.
    mutating func nextFloat() -> Float { Float(next() & ((1 << 24) - 1)) * 0x1p-24 }

    /// A standard normal double by Box-Muller, as torch's `normal_distribution<double>`.
    mutating func nextNormal() -> Double {
        if let cached = nextNormalSample {
            nextNormalSample = nil
            return cached
        }
        let u1 = nextDouble(), u2 = nextDouble()
        let radius = (-2 * Foundation.log1p(-u2)).squareRoot(), theta = 2 * Double.pi * u1
        nextNormalSample = radius * Foundation.sin(theta)
        return radius * Foundation.cos(theta)
    }
}

/// mt19937, the 32-bit Mersenne Twister of Matsumoto and Nishimura, which both torch's CPU generator and CPython's
/// `random` run; they differ only in how they seed it (`init(seed:)` for torch, `init(key:)` for CPython).
public struct MersenneTwister: Sendable {
    /// The number of 32-bit words of state.
    public static let stateSize = 624
    /// The state words, as CPython's `random.getstate()` lists them.
    public private(set) var state: [UInt32]
    /// The position of the next word to temper; `stateSize` when the state must be twisted first.
    public private(set) var index: Int

    /// `init_genrand(seed)`: the reference seeding from one 32-bit word (torch's `manual_seed` takes its low 32 bits).
    public init(seed: UInt32) {
        state = [UInt32](repeating: 0, count: Self.stateSize)
        state[0] = seed
        for i in 1..<Self.stateSize {
            state[i] = 1_812_433_253 &* (state[i - 1] ^ (state[i - 1] >> 30)) &+ UInt32(i)
        }
        index = Self.stateSize
    }

    /// `init_by_array(key)`: the reference seeding from an array of words, as CPython's `random.seed(n)` seeds it
    /// from the 32-bit words of `abs(n)`, least significant first (`Modules/_randommodule.c`).
    public init(key: [UInt32]) {
        let n = Self.stateSize, key = key.isEmpty ? [0] : key
        self.init(seed: 19_650_218)
        var i = 1, j = 0
        for _ in 0..<Swift.max(n, key.count) {
            state[i] = (state[i] ^ ((state[i - 1] ^ (state[i - 1] >> 30)) &* 1_664_525)) &+ key[j] &+ UInt32(truncatingIfNeeded: j)
            i += 1
            j += 1
            if i >= n { state[0] = state[n - 1]; i = 1 }
            if j >= key.count { j = 0 }
        }
        for _ in 0..<(n - 1) {
            state[i] = (state[i] ^ ((state[i - 1] ^ (state[i - 1] >> 30)) &* 1_566_083_941)) &- UInt32(i)
            i += 1
            if i >= n { state[0] = state[n - 1]; i = 1 }
        }
        state[0] = 0x8000_0000
    }

    /// A state as `state` and `index` showed it (CPython's `random.setstate`); nil unless there are `stateSize` words
    /// and `0 <= index <= stateSize`.
    public init?(state: [UInt32], index: Int) {
        guard state.count == Self.stateSize, (0...Self.stateSize).contains(index) else { return nil }
        (self.state, self.index) = (state, index)
    }

    /// The next tempered 32-bit draw (`genrand_uint32`).
    public mutating func next() -> UInt32 {
        if index >= Self.stateSize { twist() }
        var y = state[index]
        index += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C_5680
        y ^= (y << 15) & 0xEFC6_0000
        y ^= y >> 18
        return y
    }

    private mutating func twist() {
        let n = Self.stateSize
        for i in 0..<n {
            let y = (state[i] & 0x8000_0000) | (state[(i + 1) % n] & 0x7FFF_FFFF)
            state[i] = state[(i + 397) % n] ^ (y >> 1) ^ ((y & 1) != 0 ? 0x9908_B0DF : 0)
        }
        index = 0
    }
}
