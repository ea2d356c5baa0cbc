/// `normalizers.Precompiled`: SentencePiece's normalization rules (`PrecompiledCharsmap`) applied as
/// huggingface/tokenizers applies them, one extended grapheme cluster at a time: a cluster of fewer than 6 UTF-8
/// bytes that starts with a rule's key becomes that rule's text (the shortest key found, as `Precompiled::transform`
/// takes it); otherwise each of its code points does, or stays as it is. The hub's T5, mT5, XLM-R and
/// Marian-converted `tokenizer.json` files have it.
public struct Precompiled: Normalizer {
    public let charsmap: PrecompiledCharsmap

    public init(charsmap: PrecompiledCharsmap) { self.charsmap = charsmap }

    public func aligned(_ text: Substring) -> NormalizedText {
        var changes = [(Unicode.Scalar, Int)](), modified = false
        changes.reserveCapacity(text.unicodeScalars.count)
        for cluster in text {
            if cluster.utf8.count < 6, let replacement = charsmap.shortestReplacement(cluster.utf8) {
                Self.replace(cluster.unicodeScalars.count, with: replacement, in: &changes)
                modified = true
                continue
            }
            for c in cluster.unicodeScalars {
                if let replacement = charsmap.shortestReplacement(c.utf8) {
                    Self.replace(1, with: replacement, in: &changes)
                    modified = true
                } else {
                    changes.append((c, 0))
                }
            }
        }
        var out = NormalizedText(text)
        if modified { out.transform(0..<out.scalars.count, to: changes) }
        return out
    }

    /// huggingface/tokenizers' `replace` in `precompiled.rs`: the replacement's code points, the last ones marked
    /// inserted when it is longer than the `count` it replaces; when it is shorter, the change of the last code point
    /// so far (which may be one before this replacement) counts the ones dropped.
    private static func replace(_ count: Int, with replacement: String, in changes: inout [(Unicode.Scalar, Int)]) {
        let new = Array(replacement.unicodeScalars), difference = new.count - count
        changes += new.map { ($0, 0) }
        if difference > 0 {
            for i in changes.indices.suffix(difference) { changes[i].1 = 1 }
        } else if difference < 0, !changes.isEmpty {
            changes[changes.count - 1].1 += difference
        }
    }
}
