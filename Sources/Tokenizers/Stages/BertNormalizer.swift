import Foundation

/// The normalisation BERT applies before splitting, as the `BertNormalizer` of huggingface/tokenizers:
/// drop U+0000, U+FFFD and control characters, map whitespace to a space, put spaces around CJK ideographs,
/// strip accents (NFD, then drop non-spacing marks) and lowercase, one code point at a time.
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

    /// The normalised code points of `text`.
    public func normalize(_ text: Substring) -> [Unicode.Scalar] {
        let strip = stripAccents ?? lowercase
        let source = strip && !text.utf8.allSatisfy({ $0 < 0x80 }) ? text.decomposedStringWithCanonicalMapping.unicodeScalars[...]
                                                                    : text.unicodeScalars[...]
        var out = [Unicode.Scalar]()
        out.reserveCapacity(source.count)
        for c in source {
            if cleanText && (c.value == 0 || c.value == 0xFFFD || CharacterClass.isControl(c)) { continue }
            if strip && c.properties.generalCategory == .nonspacingMark { continue }
            if cleanText && CharacterClass.isWhitespace(c) { out.append(" "); continue }
            if handleChineseChars && CharacterClass.isChineseIdeograph(c) { out += [" ", c, " "]; continue }
            if lowercase { CharacterClass.appendLowercase(c, to: &out) } else { out.append(c) }
        }
        return out
    }
}
