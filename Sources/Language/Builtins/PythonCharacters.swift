/// Python's classes of code points and its case mappings, as CPython's `unicodectype.c` defines them, for str's
/// methods: a str is a sequence of code points, so each test and mapping is of one `Unicode.Scalar` (not of a Swift
/// `Character`, a grapheme cluster), and the mappings are the full ones (`"ß".upper()` is `"SS"`).
enum PythonCharacters {
    /// `str.isspace()`, and what `split()` and `strip()` cut at: Unicode's White_Space, plus the separators
    /// U+001C-U+001F that CPython counts (their bidirectional class is B or S).
    static func isSpace(_ c: Unicode.Scalar) -> Bool { c.properties.isWhitespace || (0x1C...0x1F).contains(c.value) }

    /// What `splitlines()` breaks at (`\r\n` counts as one break).
    static func isLineBreak(_ c: Unicode.Scalar) -> Bool {
        (0x0A...0x0D).contains(c.value) || (0x1C...0x1E).contains(c.value) || [0x85, 0x2028, 0x2029].contains(c.value)
    }

    /// A letter: general category Lu, Ll, Lt, Lm or Lo.
    static func isAlpha(_ c: Unicode.Scalar) -> Bool {
        switch c.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: true
        default: false
        }
    }

    /// A decimal digit (category Nd): `"٣".isdecimal()`.
    static func isDecimal(_ c: Unicode.Scalar) -> Bool { c.properties.numericType == .decimal }

    /// A decimal digit or another digit (`"²"`).
    static func isDigit(_ c: Unicode.Scalar) -> Bool { [.decimal, .digit].contains(c.properties.numericType) }

    /// Anything with a numeric value (`"½"`, `"Ⅻ"`).
    static func isNumeric(_ c: Unicode.Scalar) -> Bool { c.properties.numericType != nil }

    static func isAlphanumeric(_ c: Unicode.Scalar) -> Bool { isAlpha(c) || isNumeric(c) }
    static func isLower(_ c: Unicode.Scalar) -> Bool { c.properties.isLowercase }
    static func isUpper(_ c: Unicode.Scalar) -> Bool { c.properties.isUppercase }
    static func isTitle(_ c: Unicode.Scalar) -> Bool { c.properties.generalCategory == .titlecaseLetter }

    /// What `repr()` shows as itself: the space and everything outside categories C* and Z*.
    static func isPrintable(_ c: Unicode.Scalar) -> Bool {
        if c == " " { return true }
        switch c.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .spaceSeparator, .lineSeparator, .paragraphSeparator: return false
        default: return true
        }
    }

    /// A code point as a str's repr escapes it: `\xe9`, `\u2713`, `\U0001f600`.
    static func escaped(_ c: Unicode.Scalar) -> String {
        let (prefix, width) = c.value < 0x100 ? ("\\x", 2) : c.value < 0x10000 ? ("\\u", 4) : ("\\U", 8)
        let hex = String(c.value, radix: 16)
        return prefix + String(repeating: "0", count: width - hex.count) + hex
    }

    /// `str.isidentifier()`: XID_Start (or `_`) then XID_Continue.
    static func isIdentifier(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first == "_" || first.properties.isXIDStart else { return false }
        return s.unicodeScalars.dropFirst().allSatisfy(\.properties.isXIDContinue)
    }

    /// `str.islower()` (`upper: false`) and `str.isupper()` (`upper: true`): some cased code point, and none of the
    /// other case or title case.
    static func isAllCased(_ s: String, upper: Bool) -> Bool {
        var cased = false
        for c in s.unicodeScalars {
            if (upper ? isLower(c) : isUpper(c)) || isTitle(c) { return false }
            cased = cased || (upper ? isUpper(c) : isLower(c))
        }
        return cased
    }

    /// `str.istitle()`: upper and title case only after uncased code points, lowercase only after cased ones.
    static func isTitlecased(_ s: String) -> Bool {
        var cased = false, previousCased = false
        for c in s.unicodeScalars {
            if isUpper(c) || isTitle(c) {
                if previousCased { return false }
                (previousCased, cased) = (true, true)
            } else if isLower(c) {
                if !previousCased { return false }
                (previousCased, cased) = (true, true)
            } else {
                previousCased = false
            }
        }
        return cased
    }

    // MARK: case mappings

    /// `str.lower()`: full lowercase mappings, with a capital sigma ending a word becoming `ς`.
    /// (Swift's own mappings, for ASCII text, where they are the same and faster.)
    static func lower(_ s: String) -> String {
        isASCII(s) ? s.lowercased() : mapped(s) { i, c, scalars in lowered(i, c, scalars) }
    }

    /// `str.upper()`.
    static func upper(_ s: String) -> String { isASCII(s) ? s.uppercased() : mapped(s) { _, c, _ in c.properties.uppercaseMapping } }

    /// `str.casefold()`: lowercase for caseless matching (`"ß"` is `"ss"`).
    static func casefold(_ s: String) -> String { isASCII(s) ? s.lowercased() : mapped(s) { _, c, _ in folded(c) } }

    private static func isASCII(_ s: String) -> Bool { s.utf8.allSatisfy { $0 < 0x80 } }

    /// `str.swapcase()`.
    static func swapcase(_ s: String) -> String {
        mapped(s) { i, c, scalars in
            isUpper(c) ? lowered(i, c, scalars) : isLower(c) ? c.properties.uppercaseMapping : String(c)
        }
    }

    /// `str.title()`: each code point after a cased one lowered, every other put in title case (so `"they're"`
    /// is `"They'Re"`, as in Python).
    static func title(_ s: String) -> String {
        var previousCased = false
        return mapped(s) { i, c, scalars in
            defer { previousCased = c.properties.isCased }
            return previousCased ? lowered(i, c, scalars) : c.properties.titlecaseMapping
        }
    }

    /// `str.capitalize()`: the first code point in title case, the rest lowered.
    static func capitalize(_ s: String) -> String {
        mapped(s) { i, c, scalars in i == 0 ? c.properties.titlecaseMapping : lowered(i, c, scalars) }
    }

    /// `s` with each code point replaced by `map(index, code point, all code points)`.
    private static func mapped(_ s: String, _ map: (Int, Unicode.Scalar, [Unicode.Scalar]) -> String) -> String {
        let scalars = Array(s.unicodeScalars)
        var out = ""
        for (i, c) in scalars.enumerated() { out += map(i, c, scalars) }
        return out
    }

    /// The lowercase of `scalars[i]`: a capital sigma is final (`ς`) when a cased code point comes before it and
    /// none after it, case-ignorable ones skipped (CPython's `handle_capital_sigma`).
    private static func lowered(_ i: Int, _ c: Unicode.Scalar, _ scalars: [Unicode.Scalar]) -> String {
        guard c == "\u{3A3}" else { return c.properties.lowercaseMapping }
        let before = scalars[..<i].last { !$0.properties.isCaseIgnorable }
        let after = scalars[(i + 1)...].first { !$0.properties.isCaseIgnorable }
        let final = before?.properties.isCased == true && after?.properties.isCased != true
        return final ? "\u{3C2}" : "\u{3C3}"
    }

    /// Full case folding. Swift has no folding table, but lowering the uppercase is folding for every code point
    /// of Unicode 14 (checked against CPython 3.11's `casefold` for all of them) but three: `ı` folds to itself,
    /// `ẞ` to `ss`, and Cherokee to its capitals.
    private static func folded(_ c: Unicode.Scalar) -> String {
        switch c.value {
        case 0x131, 0x13A0...0x13F5: return String(c)
        case 0x1E9E: return "ss"
        case 0x13F8...0x13FD: return String(Unicode.Scalar(c.value - 8)!)
        case 0xAB70...0xABBF: return String(Unicode.Scalar(c.value - 0xAB70 + 0x13A0)!)
        default: return c.properties.uppercaseMapping.unicodeScalars.map(\.properties.lowercaseMapping).joined()
        }
    }
}
