import BigInt

/// `int(text, base)`, as CPython reads it: whitespace around, a sign, with base 0 (or the matching base) a `0x` /
/// `0o` / `0b` prefix, single underscores between digits; base 0 reads the prefix or decimal (no leading zeros).
enum IntFromString {
    static func parse(_ text: String, base: Int) throws -> BigInt {
        guard base == 0 || (2...36).contains(base) else { throw PyError.value("int() base must be >= 2 and <= 36, or 0") }
        func invalid() -> PyError { PyError.value("invalid literal for int() with base \(base): \(Value.quoted(text))") }
        var digits = Substring(text.trimmingWhitespace())
        let negative = digits.first == "-"
        if digits.first == "-" || digits.first == "+" { digits = digits.dropFirst() }
        var radix = base
        let prefixes: [(String, Int)] = [("0x", 16), ("0o", 8), ("0b", 2)]
        if let (_, prefixRadix) = prefixes.first(where: { digits.lowercased().hasPrefix($0.0) }), base == 0 || base == prefixRadix {
            radix = prefixRadix
            digits = digits.dropFirst(2)
            if digits.first == "_" { digits = digits.dropFirst() }   // `0x_1f` is allowed
        } else if base == 0 {
            radix = 10
            if digits.count > 1, digits.first == "0", digits.contains(where: { $0 != "0" && $0 != "_" }) { throw invalid() }
        }
        guard !digits.isEmpty, digits.first != "_", digits.last != "_", !digits.contains("__"),
              let value = number(digits.filter { $0 != "_" }, radix: radix) else { throw invalid() }
        if radix == 10 && digits.count > 4300 {
            throw PyError.value("Exceeds the limit (4300 digits) for integer string conversion: value has \(digits.count) digits; use sys.set_int_max_str_digits() to increase the limit")
        }
        return negative ? -value : value
    }

    /// The number `digits` (ASCII digits and letters, each below `radix`) write; nil when one is not a digit.
    private static func number(_ digits: String, radix: Int) -> BigInt? {
        var value = BigInt(0), chunk: Int64 = 0, scale: Int64 = 1
        for character in digits {
            guard let digit = character.hexDigitValue ?? letterValue(character), digit < radix else { return nil }
            chunk = chunk * Int64(radix) + Int64(digit)
            scale *= Int64(radix)
            if scale > Int64.max / 64 {   // fold the chunk in before it can overflow
                value = value * BigInt(scale) + BigInt(chunk)
                (chunk, scale) = (0, 1)
            }
        }
        return value * BigInt(scale) + BigInt(chunk)
    }

    /// The digit value of a letter beyond `f` (base 36 reads `z` as 35).
    private static func letterValue(_ character: Character) -> Int? {
        guard let ascii = character.asciiValue, character.isLetter else { return nil }
        return Int(ascii | 0x20) - Int(Character("a").asciiValue!) + 10
    }
}
