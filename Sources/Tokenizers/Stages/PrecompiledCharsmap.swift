/// SentencePiece's precompiled normalization rules (`precompiled_charsmap`, as a `.model` file's normalizer_spec and a
/// `tokenizer.json`'s `Precompiled` normalizer carry them): a little-endian u32 giving the size in bytes of a Darts
/// double-array trie, the trie's 32-bit units, then the normalized strings, each ended by a NUL. The trie maps the
/// UTF-8 bytes of a text to where its normalized form starts. Reading is checked: malformed bytes are a
/// `TokenizerError` when the map is made, and a lookup that would leave the trie finds nothing.
public struct PrecompiledCharsmap: Sendable {
    private let units: [UInt32]
    private let normalized: [UInt8]

    /// The rules in `data`.
    public init(_ data: [UInt8]) throws {
        guard data.count >= 4 else {
            throw TokenizerError("precompiled_charsmap is \(data.count) bytes long, too short to hold its trie size")
        }
        let trieSize = Int(Self.littleEndian(data, at: 0))
        guard trieSize <= data.count - 4 else {
            throw TokenizerError("precompiled_charsmap says its trie is \(trieSize) bytes, but only \(data.count - 4) follow")
        }
        units = stride(from: 4, to: 4 + trieSize / 4 * 4, by: 4).map { Self.littleEndian(data, at: $0) }
        normalized = Array(data[(4 + trieSize)...])
        guard !units.isEmpty else { throw TokenizerError("precompiled_charsmap has an empty trie") }
    }

    private static func littleEndian(_ data: [UInt8], at i: Int) -> UInt32 {
        (0..<4).reduce(0) { $0 | UInt32(data[i + $1]) << (8 * $1) }
    }

    /// Calls `found` with the key's length and where its normalized form starts for each rule whose key `bytes`
    /// starts with, shortest first, for as long as it returns true (Darts' `commonPrefixSearch`; a NUL byte ends
    /// the key).
    private func prefixes(_ bytes: some Sequence<UInt8>, _ found: (_ length: Int, _ value: Int) -> Bool) {
        var node = Self.offset(units[0])
        for (i, byte) in bytes.enumerated() {
            guard byte != 0 else { return }
            node ^= Int(byte)
            guard node < units.count, Self.label(units[node]) == UInt32(byte) else { return }
            let unit = units[node]
            node ^= Self.offset(unit)
            if unit >> 8 & 1 == 1 {
                guard node < units.count, found(i + 1, Int(units[node] & (1 << 31 - 1))) else { return }
            }
        }
    }

    /// The normalized text that starts at `value`, up to its NUL (invalid UTF-8 read as U+FFFD).
    func replacement(at value: Int) -> String {
        guard value < normalized.count else { return "" }
        let end = normalized[value...].firstIndex(of: 0) ?? normalized.endIndex
        return String(decoding: normalized[value..<end], as: UTF8.self)
    }

    /// The first rule's replacement for the start of `bytes` (the shortest key), as huggingface/tokenizers'
    /// `Precompiled::transform` takes it.
    func shortestReplacement(_ bytes: some Sequence<UInt8>) -> String? {
        var shortest: Int?
        prefixes(bytes) { _, value in shortest = value; return false }
        return shortest.map(replacement(at:))
    }

    /// The longest rule for the start of `bytes`: its key's length and its replacement (SentencePiece's
    /// `NormalizePrefix`).
    func longestReplacement(_ bytes: some Sequence<UInt8>) -> (length: Int, text: String)? {
        var longest: (length: Int, value: Int)?
        prefixes(bytes) { length, value in longest = (length, value); return true }
        return longest.map { ($0.length, replacement(at: $0.value)) }
    }

    // A Darts unit: its label (with the leaf flag's high bit), whether a leaf follows, and the offset of its children.
    private static func label(_ unit: UInt32) -> UInt32 { unit & (1 << 31 | 0xFF) }
    private static func offset(_ unit: UInt32) -> Int { Int((unit >> 10) << ((unit & 1 << 9) >> 6)) }
}
