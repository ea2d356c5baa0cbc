import PythonText

/// numpy 2's `FloatingFormat` for float32 under the default print options (precision 8, floatmode 'maxprec', no
/// suppression, sign '-'), and the str of an `np.float32` scalar. Made once from the values an array shows, it
/// chooses positional or scientific notation and the widths that line up every decimal point:
/// `[0.5 , 0.25]`, `[1.0e-05, 1.5e+00]`, `[   nan, 1.e-05]`.
///
/// Each value shows its shortest round-trip digits (numpy's Dragon4 in unique mode): at most 8 past the point in
/// positional notation, and in scientific notation as many as the longest mantissa needs, the others continued
/// with their exact digits, correctly rounded.
struct NumpyFloatFormat {
    /// numpy's print precision: the most digits shown past the point in positional notation.
    private static let precision = 8
    private let scientific: Bool
    /// The widest integer part (with its sign), and the widest fraction (in scientific notation, all that follows
    /// the point: digits, `e`, the exponent's sign and two digits).
    private let padLeft: Int, padRight: Int
    /// In scientific notation, the digits every mantissa shows past the point.
    private let fractionDigits: Int

    /// The format for an array that shows `values`.
    init(_ values: [Float]) {
        let finite = values.filter(\.isFinite)
        let magnitudes = finite.filter { $0 != 0 }.map(abs)
        var scientific = false
        if let largest = magnitudes.max(), let smallest = magnitudes.min() {
            // numpy compares in float32: max >= 10**min(8, finfo(float32).precision), min < 1e-4, max / min > 1000
            scientific = largest >= 1e6 || smallest < 1e-4 || largest / smallest > 1000
        }
        var padLeft = 0, padRight = 0, fractionDigits = 0
        if scientific {
            let parts = finite.map { Self.scientificParts($0, fractionDigits: 0) }
            fractionDigits = parts.map(\.fraction.count).max() ?? 0
            padLeft = parts.map(\.integer.count).max() ?? 0
            padRight = fractionDigits + 4 // float32 exponents have two digits: "e-05"
        } else {
            let parts = finite.map { Self.positionalParts($0, precision: Self.precision) }
            padLeft = parts.map(\.integer.count).max() ?? 0
            padRight = parts.map(\.fraction.count).max() ?? 0
        }
        if finite.count != values.count {
            // room for "nan", "inf" and "-inf" right-aligned in the common width
            let negativeInfinity = values.contains { $0 == -.infinity } ? 1 : 0
            padLeft = max(padLeft, 3 - (padRight + 1), 3 + negativeInfinity - (padRight + 1))
        }
        (self.scientific, self.padLeft, self.padRight, self.fractionDigits) = (scientific, padLeft, padRight, fractionDigits)
    }

    /// `value` in the common width.
    func format(_ value: Float) -> String {
        guard value.isFinite else { return Self.nonFinite(value).leftPadded(to: padLeft + padRight + 1) }
        if scientific {
            let parts = Self.scientificParts(value, fractionDigits: fractionDigits)
            return parts.integer.leftPadded(to: padLeft) + "." + parts.fraction + Self.exponent(parts.exponent)
        }
        let parts = Self.positionalParts(value, precision: Self.precision)
        return parts.integer.leftPadded(to: padLeft) + "." + parts.fraction.rightPadded(to: padRight)
    }

    /// `str(np.float32(value))`: positional from 1e-4 up to 1e6 with at least one digit past the point (`0.5`, `100.0`),
    /// scientific outside it without trailing zeros (`1e-05`, `1.234567e+06`).
    static func scalar(_ value: Float) -> String {
        guard value.isFinite else { return nonFinite(value) }
        if value == 0 || (abs(value) >= 1e-4 && abs(value) < 1e6) {
            let parts = positionalParts(value, precision: nil)
            return parts.integer + "." + (parts.fraction.isEmpty ? "0" : parts.fraction)
        }
        let parts = scientificParts(value, fractionDigits: 0)
        return parts.integer + (parts.fraction.isEmpty ? "" : "." + parts.fraction) + exponent(parts.exponent)
    }

    private static func nonFinite(_ value: Float) -> String { value.isNaN ? "nan" : value < 0 ? "-inf" : "inf" }

    /// `e+05`, `e-12`.
    private static func exponent(_ e: Int) -> String {
        "e" + (e < 0 ? "-" : "+") + (abs(e) < 10 ? "0" : "") + String(abs(e))
    }

    /// The integer part (with the sign) and the fraction of a finite `value` in positional notation: its shortest
    /// digits, or, when they reach past `precision` places, the value rounded there without trailing zeros.
    private static func positionalParts(_ value: Float, precision: Int?) -> (integer: String, fraction: String) {
        let sign = value.sign == .minus ? "-" : ""
        guard value != 0 else { return (sign + "0", "") }
        let (digits, exponent) = shortestDigits(abs(value))
        if let precision, -exponent > precision {
            let rounded = pythonFormat(Double(abs(value)), precision: precision, scientific: false).split(separator: ".")
            return (sign + rounded[0], String(rounded[1].reversed().drop { $0 == "0" }.reversed()))
        }
        if exponent >= 0 { return (sign + digits + String(repeating: "0", count: exponent), "") }
        let places = -exponent
        if digits.count > places { return (sign + digits.dropLast(places), String(digits.suffix(places))) }
        return (sign + "0", String(repeating: "0", count: places - digits.count) + digits)
    }

    /// The mantissa's integer digit (with the sign), its fraction and the power of ten of a finite `value` in
    /// scientific notation: its shortest digits, continued with its exact digits when they are fewer than
    /// `fractionDigits` (as Dragon4's `min_digits` continues them), correctly rounded.
    private static func scientificParts(_ value: Float, fractionDigits: Int) -> (integer: String, fraction: String, exponent: Int) {
        let sign = value.sign == .minus ? "-" : ""
        guard value != 0 else { return (sign + "0", String(repeating: "0", count: fractionDigits), 0) }
        let (digits, last) = shortestDigits(abs(value))
        if digits.count - 1 >= fractionDigits {
            return (sign + digits.prefix(1), String(digits.dropFirst()), last + digits.count - 1)
        }
        let text = pythonFormat(Double(abs(value)), precision: fractionDigits, scientific: true) // "1.0000000e+00"
        let mantissa = text.prefix { $0 != "e" }, power = Int(text.drop { $0 != "e" }.dropFirst())!
        return (sign + mantissa.prefix(1), String(mantissa.dropFirst(2)), power)
    }
}
