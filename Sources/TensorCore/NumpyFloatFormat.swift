import PythonText

/// numpy 2's `FloatingFormat` for float32 and float64 (`F`) under the default print options (precision 8, floatmode
/// 'maxprec', no suppression, sign '-'), and the str of an `np.float32` scalar. Made once from the values an array
/// shows, it chooses positional or scientific notation and the widths that line up every decimal point:
/// `[0.5 , 0.25]`, `[1.0e-05, 1.5e+00]`, `[   nan, 1.e-05]`.
///
/// Each value shows its shortest round-trip digits (numpy's Dragon4 in unique mode), at most 8 past the point (in
/// scientific notation, past the mantissa's point); in scientific notation each mantissa shows as many as the
/// longest needs, the others continued with their exact digits, correctly rounded, and each exponent as many digits
/// as the longest (at least two).
struct NumpyFloatFormat<F: BinaryFloatingPoint & CustomStringConvertible> {
    /// numpy's print precision: the most digits shown past the point in positional notation.
    private static var precision: Int { 8 }
    private let scientific: Bool
    /// The widest integer part (with its sign), and the widest fraction (in scientific notation, all that follows
    /// the point: digits, `e`, the exponent's sign and its digits).
    private let padLeft: Int, padRight: Int
    /// In scientific notation, the digits every mantissa shows past the point.
    private let fractionDigits: Int
    /// In scientific notation, the digits every exponent shows.
    private let exponentDigits: Int

    /// The format for an array that shows `values`.
    init(_ values: [F]) {
        let finite = values.filter(\.isFinite)
        let magnitudes = finite.filter { $0 != 0 }.map(abs)
        var scientific = false
        if let largest = magnitudes.max(), let smallest = magnitudes.min() {
            // numpy compares in the dtype: max >= 10**min(8, finfo(dtype).precision), min < 1e-4, max / min > 1000
            let cutoff: F = F.significandBitCount > 23 ? 1e8 : 1e6
            scientific = largest >= cutoff || smallest < 1e-4 || largest / smallest > 1000
        }
        var padLeft = 0, padRight = 0, fractionDigits = 0, exponentDigits = 2
        if scientific {
            let parts = finite.map { Self.scientificParts($0, fractionDigits: 0) }
            fractionDigits = parts.map(\.fraction.count).max() ?? 0
            padLeft = parts.map(\.integer.count).max() ?? 0
            exponentDigits = max(2, parts.map { String(abs($0.exponent)).count }.max() ?? 0)
            padRight = fractionDigits + exponentDigits + 2 // "e-05"
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
        (self.scientific, self.padLeft, self.padRight) = (scientific, padLeft, padRight)
        (self.fractionDigits, self.exponentDigits) = (fractionDigits, exponentDigits)
    }

    /// `value` in the common width.
    func format(_ value: F) -> String {
        guard value.isFinite else { return Self.nonFinite(value).leftPadded(to: padLeft + padRight + 1) }
        if scientific {
            let parts = Self.scientificParts(value, fractionDigits: fractionDigits)
            return parts.integer.leftPadded(to: padLeft) + "." + parts.fraction + Self.exponent(parts.exponent, digits: exponentDigits)
        }
        let parts = Self.positionalParts(value, precision: Self.precision)
        return parts.integer.leftPadded(to: padLeft) + "." + parts.fraction.rightPadded(to: padRight)
    }

    /// `str(np.float32(value))`: positional from 1e-4 up to 1e6 with at least one digit past the point (`0.5`, `100.0`),
    /// scientific outside it without trailing zeros (`1e-05`, `1.234567e+06`).
    static func scalar(_ value: F) -> String {
        guard value.isFinite else { return nonFinite(value) }
        if value == 0 || (abs(value) >= 1e-4 && abs(value) < 1e6) {
            let parts = positionalParts(value, precision: nil)
            return parts.integer + "." + (parts.fraction.isEmpty ? "0" : parts.fraction)
        }
        let parts = scientificParts(value, fractionDigits: 0)
        return parts.integer + (parts.fraction.isEmpty ? "" : "." + parts.fraction) + exponent(parts.exponent, digits: 2)
    }

    private static func nonFinite(_ value: F) -> String { value.isNaN ? "nan" : value < 0 ? "-inf" : "inf" }

    /// `e+05`, `e-12`, `e+100`: the power of ten with at least `digits` digits.
    private static func exponent(_ e: Int, digits: Int) -> String {
        let magnitude = String(abs(e))
        return "e" + (e < 0 ? "-" : "+") + String(repeating: "0", count: max(0, digits - magnitude.count)) + magnitude
    }

    /// The integer part (with the sign) and the fraction of a finite `value` in positional notation: its shortest
    /// digits, or, when they reach past `precision` places, the value rounded there without trailing zeros.
    private static func positionalParts(_ value: F, precision: Int?) -> (integer: String, fraction: String) {
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
    /// scientific notation: its shortest digits (rounded to `precision` past the point when they are more, trailing
    /// zeros dropped), continued with its exact digits when they are fewer than `fractionDigits` (as Dragon4's
    /// `min_digits` continues them), correctly rounded.
    private static func scientificParts(_ value: F, fractionDigits: Int) -> (integer: String, fraction: String, exponent: Int) {
        let sign = value.sign == .minus ? "-" : ""
        guard value != 0 else { return (sign + "0", String(repeating: "0", count: fractionDigits), 0) }
        let (digits, last) = shortestDigits(abs(value))
        if digits.count - 1 > precision {
            let parts = exactScientificParts(abs(value), fractionDigits: precision)
            return (sign + parts.integer, String(parts.fraction.reversed().drop { $0 == "0" }.reversed()), parts.exponent)
        }
        if digits.count - 1 >= fractionDigits {
            return (sign + digits.prefix(1), String(digits.dropFirst()), last + digits.count - 1)
        }
        let parts = exactScientificParts(abs(value), fractionDigits: fractionDigits)
        return (sign + parts.integer, parts.fraction, parts.exponent)
    }

    /// A positive `value`'s exact digits in scientific notation, rounded to `fractionDigits` past the point.
    private static func exactScientificParts(_ value: F, fractionDigits: Int) -> (integer: String, fraction: String, exponent: Int) {
        let text = pythonFormat(Double(value), precision: fractionDigits, scientific: true) // "1.0000000e+00"
        let mantissa = text.prefix { $0 != "e" }, power = Int(text.drop { $0 != "e" }.dropFirst())!
        return (String(mantissa.prefix(1)), String(mantissa.dropFirst(2)), power)
    }
}
