import Foundation
import PythonText

/// `unicodedata`: normal forms (`normalize("NFD", text)`, what accent stripping starts from) and one code point's
/// properties (`category`, `name`, `combining`, numeric values), from the Unicode tables Swift carries.
enum UnicodedataModule {
    static func make() -> PythonModule {
        PythonModule("unicodedata", [
            "normalize": builtin("normalize") { args in
                let a = try args.bind("normalize", ["form", "unistr"], required: 2)
                return .str(try normalized(try a[1]!.asString("normalize() argument 2"), form: try a[0]!.asString("normalize() argument 1")))
            },
            "is_normalized": builtin("is_normalized") { args in
                let a = try args.bind("is_normalized", ["form", "unistr"], required: 2)
                let text = try a[1]!.asString("is_normalized() argument 2")
                return .bool(try normalized(text, form: try a[0]!.asString("is_normalized() argument 1")).hasSameCodePoints(as: text))
            },
            "category": property("category") { .str(category($0.properties.generalCategory)) },
            "combining": property("combining") { .int(Int($0.properties.canonicalCombiningClass.rawValue)) },
            "mirrored": property("mirrored") { .int($0.properties.isBidiMirrored ? 1 : 0) },
            "name": property("name", "no such name") { $0.properties.name.map(Value.str) },
            "decimal": property("decimal", "not a decimal") { c in
                c.properties.numericType == .decimal ? c.properties.numericValue.map { .int(Int($0)) } : nil
            },
            "digit": property("digit", "not a digit") { c in
                [.decimal, .digit].contains(c.properties.numericType) ? c.properties.numericValue.map { .int(Int($0)) } : nil
            },
            "numeric": property("numeric", "not a numeric character") { $0.properties.numericValue.map(Value.float) },
        ], planned: ["lookup", "bidirectional", "east_asian_width", "decomposition", "unidata_version", "ucd_3_2_0"])
    }

    /// `text` in the normal form `form` (NFC, NFD, NFKC or NFKD).
    private static func normalized(_ text: String, form: String) throws -> String {
        switch form {
        case "NFC": text.precomposedStringWithCanonicalMapping
        case "NFD": text.decomposedStringWithCanonicalMapping
        case "NFKC": text.precomposedStringWithCompatibilityMapping
        case "NFKD": text.decomposedStringWithCompatibilityMapping
        default: throw PyError.value("invalid normalization form")
        }
    }

    /// A function of one code point (a str of length 1). When `value` has none for it: the call's second argument
    /// if given, else a ValueError saying `missing`.
    private static func property(_ name: String, _ missing: String = "", _ value: @escaping (Unicode.Scalar) -> Value?) -> Value {
        builtin(name) { args in
            let a = try args.bind(name, ["chr", "default"], required: 1)
            guard case .str(let s) = a[0]!, s.unicodeScalars.count == 1, let c = s.unicodeScalars.first else {
                throw PyError.type("\(name)() argument must be a unicode character, not \(a[0]!.typeName)")
            }
            if let result = value(c) { return result }
            if let fallback = a[1] { return fallback }
            throw PyError.value(missing)
        }
    }

    /// The two-letter code of a general category (`Lu`, `Mn`, ...).
    private static func category(_ category: Unicode.GeneralCategory) -> String {
        switch category {
        case .uppercaseLetter: "Lu"
        case .lowercaseLetter: "Ll"
        case .titlecaseLetter: "Lt"
        case .modifierLetter: "Lm"
        case .otherLetter: "Lo"
        case .nonspacingMark: "Mn"
        case .spacingMark: "Mc"
        case .enclosingMark: "Me"
        case .decimalNumber: "Nd"
        case .letterNumber: "Nl"
        case .otherNumber: "No"
        case .connectorPunctuation: "Pc"
        case .dashPunctuation: "Pd"
        case .openPunctuation: "Ps"
        case .closePunctuation: "Pe"
        case .initialPunctuation: "Pi"
        case .finalPunctuation: "Pf"
        case .otherPunctuation: "Po"
        case .mathSymbol: "Sm"
        case .currencySymbol: "Sc"
        case .modifierSymbol: "Sk"
        case .otherSymbol: "So"
        case .spaceSeparator: "Zs"
        case .lineSeparator: "Zl"
        case .paragraphSeparator: "Zp"
        case .control: "Cc"
        case .format: "Cf"
        case .surrogate: "Cs"
        case .privateUse: "Co"
        case .unassigned: "Cn"
        @unknown default: "Cn"
        }
    }
}
