import Foundation

/// The characters `\N{...}` names: Unicode names as ICU knows them (written exactly: one space between words, any
/// case), and the aliases of NameAliases.txt that Python programs use for control and format characters.
enum UnicodeNames {
    static func character(named name: String) -> String? {
        let upper = name.uppercased()
        if let alias = aliases[upper] { return String(Character(alias)) }
        guard !upper.isEmpty, upper.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == " " || $0 == "-") }),
              !upper.hasPrefix(" "), !upper.hasSuffix(" "), !upper.contains("  ") else { return nil }
        let escape = "\\N{" + upper + "}"
        guard let character = escape.applyingTransform(StringTransform("Name-Any"), reverse: false), character != escape else { return nil }
        return character
    }

    private static let aliases: [String: Unicode.Scalar] = [
        "NULL": "\u{0}", "NUL": "\u{0}", "CHARACTER TABULATION": "\u{9}", "TAB": "\u{9}", "LINE FEED": "\u{A}", "NEW LINE": "\u{A}",
        "LF": "\u{A}", "NL": "\u{A}", "EOL": "\u{A}", "LINE TABULATION": "\u{B}", "FORM FEED": "\u{C}", "FF": "\u{C}",
        "CARRIAGE RETURN": "\u{D}", "CR": "\u{D}", "ESCAPE": "\u{1B}", "ESC": "\u{1B}", "SPACE": " ", "SP": " ",
        "DELETE": "\u{7F}", "DEL": "\u{7F}", "NO-BREAK SPACE": "\u{A0}", "NBSP": "\u{A0}", "SOFT HYPHEN": "\u{AD}", "SHY": "\u{AD}",
        "ZERO WIDTH SPACE": "\u{200B}", "ZWSP": "\u{200B}", "ZERO WIDTH NON-JOINER": "\u{200C}", "ZWNJ": "\u{200C}",
        "ZERO WIDTH JOINER": "\u{200D}", "ZWJ": "\u{200D}", "BYTE ORDER MARK": "\u{FEFF}", "BOM": "\u{FEFF}",
        "ZERO WIDTH NO-BREAK SPACE": "\u{FEFF}", "ZWNBSP": "\u{FEFF}", "LATIN CAPITAL LETTER GHA": "\u{1A2}", "LATIN SMALL LETTER GHA": "\u{1A3}",
    ]
}
