#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `value` formatted by C's printf with a single double conversion such as `%.4f` or `%11.4e`; for finite values
/// this is exactly what Python's `format(value, ".4f")` gives.
func cFormat(_ format: String, _ value: Double) -> String {
    let length = withVaList([value]) { vsnprintf(nil, 0, format, $0) }
    var buffer = [CChar](repeating: 0, count: Int(Swift.max(length, 0)) + 1)
    _ = withVaList([value]) { vsnprintf(&buffer, buffer.count, format, $0) }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// `format(value, spec)` for Python's `f`/`e` specs with a precision, including nan and inf spelled as Python spells them.
public func pythonFormat(_ value: Double, precision: Int, scientific: Bool, width: Int = 0) -> String {
    let text: String
    if value.isNaN { text = "nan" } else if value.isInfinite { text = value < 0 ? "-inf" : "inf" } else {
        text = cFormat("%.\(precision)\(scientific ? "e" : "f")", value)
    }
    return String(repeating: " ", count: Swift.max(0, width - text.count)) + text
}

/// Python's `repr(float)`: the shortest string that round-trips, in Python's notation
/// (`0.9598047137260437`, `1e-05`, `1e+16`, `100.0`, `nan`, `inf`).
public func pythonRepr(_ value: Double) -> String {
    if value.isNaN { return "nan" }
    if value.isInfinite { return value < 0 ? "-inf" : "inf" }
    if value == 0 { return value.sign == .minus ? "-0.0" : "0.0" }
    let (digits, exponent) = shortestDigits(Swift.abs(value))
    let sign = value < 0 ? "-" : ""
    let decimalExponent = exponent + digits.count - 1 // value = 0.d1d2... x 10^(exponent + count)
    if decimalExponent < -4 || decimalExponent >= 16 {
        let mantissa = digits.count == 1 ? digits : digits.prefix(1) + "." + digits.dropFirst()
        let e = Swift.abs(decimalExponent)
        return sign + mantissa + "e" + (decimalExponent < 0 ? "-" : "+") + (e < 10 ? "0\(e)" : "\(e)")
    }
    if decimalExponent < 0 {
        return sign + "0." + String(repeating: "0", count: -decimalExponent - 1) + digits
    }
    if decimalExponent >= digits.count - 1 {
        return sign + digits + String(repeating: "0", count: decimalExponent - digits.count + 1) + ".0"
    }
    let point = digits.index(digits.startIndex, offsetBy: decimalExponent + 1)
    return sign + digits[..<point] + "." + digits[point...]
}

/// The shortest round-trip decimal digits of a positive finite double or float and the power of ten of the last digit
/// (0.0125 is `("125", -4)`), read from Swift's own shortest representation (`description`).
public func shortestDigits<F: BinaryFloatingPoint & CustomStringConvertible>(_ value: F) -> (digits: String, exponent: Int) {
    let text = value.description // e.g. "0.001", "1.5e-05", "1e+16", "123.25"
    var mantissa = Substring(text), exponent = 0
    if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
        mantissa = text[..<e]
        exponent = Int(text[text.index(after: e)...])!
    }
    var digits = mantissa
    if let dot = mantissa.firstIndex(of: ".") {
        let fraction = mantissa[mantissa.index(after: dot)...]
        digits = mantissa[..<dot] + fraction
        exponent -= fraction.count
    }
    var d = String(digits.drop { $0 == "0" })
    while d.count > 1 && d.hasSuffix("0") { d.removeLast(); exponent += 1 }
    return (d, exponent)
}
