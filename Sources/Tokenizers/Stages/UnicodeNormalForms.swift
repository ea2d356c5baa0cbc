import Foundation

/// A Unicode normal form as a normalizer (`normalizers.NFC`, `NFD`, `NFKC`, `NFKD`), one grapheme cluster at a time.
/// A cluster that keeps its number of code points keeps their origins; one that changes it (`ﬁ` -> `fi`, `e` +
/// U+0301 -> `é`) has every code point come from its first, as huggingface/tokenizers aligns them.
public protocol UnicodeNormalForm: Normalizer {
    /// `text` in this normal form.
    static func normalized(_ text: String) -> String
}

extension UnicodeNormalForm {
    public func aligned(_ text: Substring) -> NormalizedText {
        var out = NormalizedText(capacity: text.unicodeScalars.count)
        var origin = 0
        for cluster in text {
            let source = cluster.unicodeScalars, normalized = Self.normalized(String(cluster)).unicodeScalars
            let keepsCount = source.count == normalized.count
            for (i, c) in normalized.enumerated() { out.append(c, from: origin + (keepsCount ? i : 0)) }
            origin += source.count
        }
        return out
    }
}

/// `normalizers.NFC`: canonical decomposition, then canonical composition.
public struct NFC: UnicodeNormalForm {
    public init() {}
    public static func normalized(_ text: String) -> String { text.precomposedStringWithCanonicalMapping }
}

/// `normalizers.NFD`: canonical decomposition (`é` -> `e` + U+0301), what `StripAccents` needs before it.
public struct NFD: UnicodeNormalForm {
    public init() {}
    public static func normalized(_ text: String) -> String { text.decomposedStringWithCanonicalMapping }
}

/// `normalizers.NFKC`: compatibility decomposition, then canonical composition (T5's and ALBERT's tokenizers).
public struct NFKC: UnicodeNormalForm {
    public init() {}
    public static func normalized(_ text: String) -> String { text.precomposedStringWithCompatibilityMapping }
}

/// `normalizers.NFKD`: compatibility decomposition.
public struct NFKD: UnicodeNormalForm {
    public init() {}
    public static func normalized(_ text: String) -> String { text.decomposedStringWithCompatibilityMapping }
}

/// `normalizers.StripAccents`: marks (Mn, Mc, Me, as tokenizers' `is_combining_mark`) removed, so after `NFD` `é`
/// becomes `e`; the code points kept keep their origins.
public struct StripAccents: Normalizer {
    public init() {}

    public func aligned(_ text: Substring) -> NormalizedText {
        var out = NormalizedText(capacity: text.unicodeScalars.count)
        for (i, c) in text.unicodeScalars.enumerated() {
            switch c.properties.generalCategory {
            case .nonspacingMark, .spacingMark, .enclosingMark: continue
            default: out.append(c, from: i)
            }
        }
        return out
    }
}
