/// A vocabulary's tokens found by their code points without making a `String` (WordPiece looks up every candidate
/// piece of every word): open addressing on a hash of the code points, keys compared code point by code point, as
/// huggingface/tokenizers' map compares bytes (`String` keys would also match canonically equivalent spellings).
struct TokenTable: Sendable {
    /// Entry `k`'s code points are `pool[starts[k]..<starts[k + 1]]`, its hash `hashes[k]`, its id `ids[k]`.
    private var pool: [Unicode.Scalar] = [], starts: [Int] = [0], hashes: [UInt64] = [], ids: [Int] = []
    /// Each slot an entry index or -1; a power of two at least twice the entries.
    private var slots: [Int32]
    private let shift: UInt64
    /// The most code points a token has.
    private(set) var longest = 0

    init(_ vocabulary: Vocabulary) {
        var bits = 4
        while 1 << bits < 2 * vocabulary.count { bits += 1 }
        slots = [Int32](repeating: -1, count: 1 << bits)
        shift = UInt64(64 - bits)
        for id in 0..<vocabulary.count {
            guard let token = vocabulary.token(id) else { continue }
            let scalars = Array(token.unicodeScalars), hash = scalars.reduce(Self.seed, Self.mix)
            var slot = self.slot(hash)
            while slots[slot] >= 0 { slot = (slot + 1) & (slots.count - 1) }
            slots[slot] = Int32(ids.count)
            pool += scalars
            starts.append(pool.count)
            hashes.append(hash)
            ids.append(id)
            longest = max(longest, scalars.count)
        }
    }

    /// The longest token that is `prefix` followed by the start of `word`: how many code points of `word` it takes,
    /// and its id.
    func longestMatch(_ word: ArraySlice<Unicode.Scalar>, prefix: [Unicode.Scalar]) -> (length: Int, id: Int)? {
        let most = min(word.count, longest - prefix.count)
        guard most > 0 else { return nil }
        return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: most) { prefixHashes in
            var hash = prefix.reduce(Self.seed, Self.mix)
            for (k, c) in word.prefix(most).enumerated() {
                hash = Self.mix(hash, c)
                prefixHashes[k] = hash
            }
            for length in stride(from: most, to: 0, by: -1) {
                if let id = find(prefix, word.prefix(length), hash: prefixHashes[length - 1]) { return (length, id) }
            }
            return nil
        }
    }

    private func find(_ prefix: [Unicode.Scalar], _ rest: ArraySlice<Unicode.Scalar>, hash: UInt64) -> Int? {
        var slot = self.slot(hash)
        while true {
            let k = Int(slots[slot])
            if k < 0 { return nil }
            if hashes[k] == hash && starts[k + 1] - starts[k] == prefix.count + rest.count
                && pool[starts[k]..<starts[k] + prefix.count].elementsEqual(prefix)
                && pool[(starts[k] + prefix.count)..<starts[k + 1]].elementsEqual(rest) {
                return ids[k]
            }
            slot = (slot + 1) & (slots.count - 1)
        }
    }

    private static let seed: UInt64 = 0xCBF2_9CE4_8422_2325

    /// The hash of a key so far, with `c` added.
    private static func mix(_ hash: UInt64, _ c: Unicode.Scalar) -> UInt64 {
        ((hash ^ UInt64(c.value)) &* 0x0000_0100_0000_01B3).rotateLeft(by: 23)
    }

    /// The slot to start looking at: the hash's high bits after a multiplication that spreads the low ones.
    private func slot(_ hash: UInt64) -> Int { Int((hash &* 0x9E37_79B9_7F4A_7C15) >> shift) }
}

extension UInt64 {
    fileprivate func rotateLeft(by n: UInt64) -> UInt64 { self << n | self >> (64 - n) }
}
