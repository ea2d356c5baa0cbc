/// The character classes BERT's tokenizers use, with the Rust tokenizers' definitions (non-ASCII code points read
/// from `CodePointTable`).
public enum CharacterClass {
    /// `\t`, `\n`, `\r`, or the Unicode White_Space property.
    static func isWhitespace(_ c: Unicode.Scalar) -> Bool {
        c == " " || c == "\t" || c == "\n" || c == "\r" || (c.value > 0x7F && CodePointTable[c].isWhitespace)
    }

    /// Other categories (Cc, Cf, Cs, Co; not unassigned code points), except `\t`, `\n`, `\r`, as the Rust
    /// tokenizers define it.
    static func isControl(_ c: Unicode.Scalar) -> Bool {
        if c.value >= 0x80 { return CodePointTable[c].isControl }
        return (c.value < 0x20 || c.value == 0x7F) && c != "\t" && c != "\n" && c != "\r"
    }

    /// ASCII punctuation (including `$+<=>^`|~`) or any Unicode P* category.
    static func isPunctuation(_ c: Unicode.Scalar) -> Bool {
        let v = c.value
        if v < 0x80 { return (33...47).contains(v) || (58...64).contains(v) || (91...96).contains(v) || (123...126).contains(v) }
        return CodePointTable[c].isPunctuation
    }

    /// The CJK Unified Ideographs blocks BERT pads with spaces.
    public static func isChineseIdeograph(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F, 0x2B740...0x2B81F,
             0x2B820...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F: return true
        default: return false
        }
    }

    /// Appends the full lowercase mapping of one code point (as Rust's `char::to_lowercase`: no context rules).
    static func appendLowercase(_ c: Unicode.Scalar, to out: inout NormalizedText, from origin: Int) {
        if c.value < 0x80 {
            out.append(c.value >= 65 && c.value <= 90 ? Unicode.Scalar(c.value + 32)! : c, from: origin)
            return
        }
        let entry = CodePointTable[c]
        for k in 0..<entry.lowercaseCount { out.append(entry.lowercase(k), from: origin) }
    }
}
