import BigInt
import Foundation

/// CPython's `hash()` on 64-bit builds, for the values whose hash is deterministic (ints, bools, floats, tuples of
/// them): sets lay their elements out by it, so their order is CPython's. Strings are hashed with a random key in
/// CPython (their order changes from run to run); sbpl hashes them with FNV-1a, a fixed but different order.
enum PythonHash {
    /// 2^61 - 1, the modulus of numeric hashes.
    static let modulus: UInt64 = (1 << 61) - 1

    static func of(_ value: Value) throws -> Int {
        switch value {
        case .none: return 0x7c2a_2ce8_3f70  // CPython hashes None by address; any fixed value will do
        case .bool(let b): return b ? 1 : 0
        case .int(let i): return signed(UInt64(i.magnitude) % modulus, negative: i < 0)
        case .bigInt(let i): return signed(UInt64(i.magnitude % BigUInt(modulus)), negative: i < 0)
        case .float(let x): return double(x)
        case .str(let s):
            var h: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in s.utf8 { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
            return avoidingMinusOne(Int(bitPattern: UInt(h)))
        case .tuple(let items): return try tuple(items)
        case .size(let dims): return try tuple(dims.map(Value.int))
        case .object(let named as NamedTuple): return try tuple(named.items)
        case .object(let scalar as RealScalarObject): return try of(scalar.item)
        case .object(let set as PySet) where set.frozen: return try frozenset(set.items.map(of))
        case .object(let range as RangeObject): return try tuple(range.hashedFields)
        default:
            // the unhashable error, an instance's `__hash__`, or CPython's hash of an object by its identity (its address
            // shifted by 4)
            switch try HashKey(value) {
            case .identity(let identity): return avoidingMinusOne(Int(bitPattern: identity) >> 4)
            case .instance(let key): return key.hash
            default: return 0
            }
        }
    }

    /// CPython's `frozenset_hash`: each element's hash shuffled and xor-ed (so the order does not matter), mixed
    /// with the size.
    private static func frozenset(_ hashes: [Int]) -> Int {
        func shuffled(_ h: UInt) -> UInt { ((h ^ 89_869_747) ^ (h << 16)) &* 3_644_798_167 }
        var h = hashes.reduce(UInt(0)) { $0 ^ shuffled(UInt(bitPattern: $1)) }
        h ^= (UInt(hashes.count) &+ 1) &* 1_927_868_237
        h ^= (h >> 11) ^ (h >> 25)
        h = h &* 69069 &+ 907_133_923
        return h == UInt.max ? 590_923_713 : Int(bitPattern: h)
    }

    private static func signed(_ magnitude: UInt64, negative: Bool) -> Int {
        avoidingMinusOne(negative ? -Int(magnitude) : Int(magnitude))
    }

    private static func avoidingMinusOne(_ h: Int) -> Int { h == -1 ? -2 : h }

    /// `_Py_HashDouble`: an integral float hashes as its int; others by their binary digits modulo 2^61 - 1.
    private static func double(_ v: Double) -> Int {
        if v.isInfinite { return v > 0 ? 314_159 : -314_159 }
        if v.isNaN { return 0 }
        // Swift's frexp gives the magnitude's mantissa, so the sign is taken first
        let sign: Int64 = v < 0 ? -1 : 1
        var (m, e) = frexp(Swift.abs(v))
        var x: UInt64 = 0
        while m != 0 {
            x = ((x << 28) & modulus) | x >> (61 - 28)
            m *= 268_435_456.0
            e -= 28
            let y = UInt64(m)
            m -= Double(y)
            x += y
            if x >= modulus { x -= modulus }
        }
        let shift = e >= 0 ? e % 61 : 61 - 1 - ((-1 - e) % 61)
        x = ((x << UInt64(shift)) & modulus) | x >> UInt64(61 - shift)
        let signed = UInt64(bitPattern: Int64(bitPattern: x) &* sign)
        return avoidingMinusOne(Int(bitPattern: UInt(signed)))
    }

    /// `tuplehash`: xxHash's rounds over the items' hashes.
    private static func tuple(_ items: [Value]) throws -> Int {
        let (prime1, prime2, prime5): (UInt64, UInt64, UInt64) = (11_400_714_785_074_694_791, 14_029_467_366_897_019_727, 2_870_177_450_012_600_261)
        var acc = prime5
        for item in items {
            acc = acc &+ UInt64(bitPattern: Int64(try of(item))) &* prime2
            acc = (acc << 31) | (acc >> 33)
            acc = acc &* prime1
        }
        acc = acc &+ (UInt64(items.count) ^ (prime5 ^ 3_527_539))
        return acc == UInt64.max ? 1_546_275_796 : Int(bitPattern: UInt(acc))
    }
}
