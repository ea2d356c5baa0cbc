/// The character classes BERT's tokenizers use, with the Rust tokenizers' definitions.
public enum CharacterClass {
    /// `\t`, `\n`, `\r`, or the Unicode White_Space property.
    static func isWhitespace(_ c: Unicode.Scalar) -> Bool {
        c == " " || c == "\t" || c == "\n" || c == "\r" || (c.value > 0x7F && c.properties.isWhitespace)
    }

    /// Other categories (Cc, Cf, Cs, Co; not unassigned code points), except `\t`, `\n`, `\r`, as the Rust
    /// tokenizers define it.
    static func isControl(_ c: Unicode.Scalar) -> Bool {
        if c == "\t" || c == "\n" || c == "\r" { return false }
        if c.value >= 0x20 && c.value < 0x7F { return false }
        switch c.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse: return true
        default: return false
        }
    }

    /// ASCII punctuation (including `$+<=>^`|~`) or any Unicode P* category.
    static func isPunctuation(_ c: Unicode.Scalar) -> Bool {
        let v = c.value
        if v < 0x80 { return (33...47).contains(v) || (58...64).contains(v) || (91...96).contains(v) || (123...126).contains(v) }
        switch c.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
             .finalPunctuation, .otherPunctuation: return true
        default: return false
        }
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
        } else if c.properties.changesWhenLowercased {
            for l in c.properties.lowercaseMapping.unicodeScalars { out.append(l, from: origin) }
        } else {
            out.append(c, from: origin)
        }
    }
}
