import Foundation

/// `float.hex()` and `float.fromhex()`: a float's exact value in hexadecimal, as CPython writes and reads it
/// (`0x1.8000000000000p+1` is 3.0).
enum FloatHex {
    /// `x.hex()`: `[-]0x1.<13 hex digits>p<exponent>`, subnormals as `0x0.<digits>p-1022`, zero as `0x0.0p+0`.
    static func format(_ x: Double) -> String {
        guard x.isFinite else { return x.isNaN ? "nan" : x < 0 ? "-inf" : "inf" }
        let sign = x.sign == .minus ? "-" : ""
        guard x != 0 else { return sign + "0x0.0p+0" }
        let digits = String(x.significandBitPattern, radix: 16)
        let fraction = String(repeating: "0", count: 13 - digits.count) + digits
        let exponent = x.isNormal ? Int(x.exponent) : -1022
        return "\(sign)0x\(x.isNormal ? 1 : 0).\(fraction)p\(exponent < 0 ? "-" : "+")\(abs(exponent))"
    }

    /// `float.fromhex(s)`: `[sign][0x]digits[.digits][p[sign]exponent]` (or inf, infinity, nan), spaces around,
    /// rounded to the nearest float; CPython's ValueError for anything else and OverflowError past the largest float.
    static func parse(_ text: String) throws -> Double {
        let invalid = PyError.value("invalid hexadecimal floating-point string")
        var s = Substring(text.trimmingCharacters(in: .whitespacesAndNewlines)).lowercased()[...]
        var negative = false
        if let sign = s.first, sign == "+" || sign == "-" { (negative, s) = (sign == "-", s.dropFirst()) }
        if ["inf", "infinity", "nan"].contains(String(s)) { return s == "nan" ? .nan : negative ? -.infinity : .infinity }
        if s.hasPrefix("0x") { s = s.dropFirst(2) }
        let mantissa = s.prefix { $0 != "p" }, exponent = s.dropFirst(mantissa.count + 1)
        let parts = mantissa.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let hex = Set("0123456789abcdef")
        guard parts.count <= 2, parts.joined().contains(where: hex.contains), parts.allSatisfy({ $0.allSatisfy(hex.contains) }),
              s.count == mantissa.count || isExponent(exponent) else { throw invalid }
        // Swift reads the normalised form as C's strtod does in the C locale (a REPL's locale may use a decimal
        // comma), rounding it as CPython does
        guard let value = Double("0x\(mantissa)p\(exponent.isEmpty ? "0" : exponent)") else { throw invalid }
        guard value.isFinite else { throw PyError(.overflowError, "hexadecimal value too large to represent as a float") }
        return negative ? -value : value
    }

    /// A signed decimal exponent.
    private static func isExponent(_ s: Substring) -> Bool {
        let digits = s.first == "+" || s.first == "-" ? s.dropFirst() : s
        return !digits.isEmpty && digits.allSatisfy(\.isASCII) && digits.allSatisfy(\.isNumber)
    }
}
