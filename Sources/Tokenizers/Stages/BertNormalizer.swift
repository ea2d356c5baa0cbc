/// The normalisation BERT applies before splitting, as the `BertNormalizer` of huggingface/tokenizers:
/// drop U+0000, U+FFFD and control characters, map whitespace to a space, put spaces around CJK ideographs,
/// strip accents (NFD, then drop non-spacing marks) and lowercase, one code point at a time, each result aligned
/// with the code point it comes from.
public struct BertNormalizer: Normalizer, Equatable {
    public var cleanText = true
    public var handleChineseChars = true
    /// `nil` follows `lowercase`, as in BERT.
    public var stripAccents: Bool? = nil
    public var lowercase = true

    public init(cleanText: Bool = true, handleChineseChars: Bool = true, stripAccents: Bool? = nil, lowercase: Bool = true) {
        self.cleanText = cleanText
        self.handleChineseChars = handleChineseChars
        self.stripAccents = stripAccents
        self.lowercase = lowercase
    }

    public func aligned(_ text: Substring) -> NormalizedText {
        let strip = stripAccents ?? lowercase
        var out = NormalizedText(capacity: text.utf8.count)  // room enough without counting the code points
        for (i, c) in text.unicodeScalars.enumerated() {
            // NFD one code point at a time keeps each piece aligned with its source
            if strip && c.value >= 0x80 {
                let entry = CodePointTable[c]
                for k in 0..<entry.decompositionCount { append(entry.decomposition(k), from: i, to: &out, strip: strip) }
            } else {
                append(c, from: i, to: &out, strip: strip)
            }
        }
        return out
    }

    private func append(_ c: Unicode.Scalar, from i: Int, to out: inout NormalizedText, strip: Bool) {
        if cleanText && (c.value == 0 || c.value == 0xFFFD || CharacterClass.isControl(c)) { return }
        if strip && c.value >= 0x80 && CodePointTable[c].isNonspacingMark { return }
        if cleanText && CharacterClass.isWhitespace(c) { out.append(" ", from: i); return }
        if handleChineseChars && CharacterClass.isChineseIdeograph(c) {
            out.append(" ", from: i)
            out.append(c, from: i)
            out.append(" ", from: i)
            return
        }
        if lowercase { CharacterClass.appendLowercase(c, to: &out, from: i) } else { out.append(c, from: i) }
    }
}
