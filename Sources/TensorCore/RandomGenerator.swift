import Foundation
import Synchronization

/// The default random generator, as `torch.manual_seed(seed)` seeds it: a Mersenne Twister (mt19937, the engine
/// of torch's CPU generator) shared by the process, so that sampling is reproducible for a seed.
public enum RandomGenerator {
    /// torch's seed when none is set (`default_rng_seed_val`).
    public static let defaultSeed: UInt64 = 67_280_421_310_721

    private static let state = Mutex(MersenneTwister(seed: defaultSeed))

    /// `torch.manual_seed(seed)`.
    public static func seed(_ seed: UInt64) { state.withLock { $0 = MersenneTwister(seed: seed) } }

    /// `torch.empty((), dtype=torch.int64).random_()`: one 64-bit draw (two of the twister's), as torch's DataLoader
    /// takes its base seed when a pipeline iterates over a list of inputs.
    @discardableResult
    public static func random64() -> UInt64 {
        state.withLock { twister in UInt64(twister.next()) << 32 | UInt64(twister.next()) }
    }

    /// `torch.empty(count).exponential_()`: exponential draws of rate 1, `-log1p(-u)` for each uniform `u`, as
    /// torch's CPU kernel makes them (in double, then rounded to float32).
    public static func exponential(_ count: Int) -> [Float] {
        state.withLock { twister in (0..<count).map { _ in Float(-Foundation.log1p(-twister.nextDouble())) } }
    }
}

/// mt19937: 32-bit Mersenne Twister, seeded as torch seeds it (the low 32 bits of the seed).
struct MersenneTwister: Sendable {
    private var state = [UInt32](repeating: 0, count: 624)
    private var index = 624

    init(seed: UInt64) {
        state[0] = UInt32(truncatingIfNeeded: seed)
        for i in 1..<624 {
            state[i] = 1_812_433_253 &* (state[i - 1] ^ (state[i - 1] >> 30)) &+ UInt32(i)
        }
    }

    mutating func next() -> UInt32 {
        if index >= 624 { twist() }
        var y = state[index]
        index += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C_5680
        y ^= (y << 15) & 0xEFC6_0000
        y ^= y >> 18
        return y
    }

    /// A uniform double in [0, 1) as torch makes one: the low 53 bits of two draws (the first the high half).
    mutating func nextDouble() -> Double {
        let high = UInt64(next()), low = UInt64(next())
        return Double((high << 32 | low) & ((1 << 53) - 1)) * 0x1p-53
    }

    private mutating func twist() {
        for i in 0..<624 {
            let y = (state[i] & 0x8000_0000) | (state[(i + 1) % 624] & 0x7FFF_FFFF)
            state[i] = state[(i + 397) % 624] ^ (y >> 1) ^ ((y & 1) != 0 ? 0x9908_B0DF : 0)
        }
        index = 0
    }
}
