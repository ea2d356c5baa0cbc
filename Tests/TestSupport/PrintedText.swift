import Foundation

/// How far a printed decimal may be from the golden one: `|actual - expected| <= absolute + relative * |expected|`
/// (as `numpy.isclose`), or one unit in the last printed digit, since a value within tolerance may round either way.
public struct NumberTolerance: Sendable {
    public var absolute: Double
    public var relative: Double
    /// Whether numbers must be printed with the same digits (a tensor's fixed precision); false for Python floats'
    /// shortest repr, whose length depends on the value.
    public var sameLayout = true

    public init(absolute: Double, relative: Double, sameLayout: Bool = true) {
        self.absolute = absolute
        self.relative = relative
        self.sameLayout = sameLayout
    }

    /// For numbers computed through BLAS in float32, whose summation order differs between CPUs and kernels.
    public static let blas = NumberTolerance(absolute: 1e-6, relative: 1e-5)
    /// For scores a pipeline computes from a model's output (a softmax over thousands of logits after BLAS), printed
    /// as Python floats: float32 `exp` implementations differ by a few ulps, and the repr's length with them.
    public static let pipelines = NumberTolerance(absolute: 1e-6, relative: 1e-4, sameLayout: false)
}

/// Compares two printed outputs token by token: decimal numbers (`0.9598`, `-1.5e-05`, `1.`) within a tolerance and
/// with the same number of digits, everything else (text, spacing, integers, `nan`) byte for byte.
public enum PrintedText {
    /// The first difference between `actual` and `expected`, described with its line, or nil when they agree.
    public static func difference(_ actual: String, _ expected: String, tolerance: NumberTolerance = .blas) -> String? {
        let (a, e) = (tokens(actual), tokens(expected))
        for (index, (got, want)) in zip(a, e).enumerated() where !agree(got, want, tolerance) {
            return "token \(index) differs: expected \(want.text.debugDescription), got \(got.text.debugDescription)"
                + "\n--- expected:\n\(expected)\n--- got:\n\(actual)"
        }
        guard a.count == e.count else {
            return "expected \(e.count) tokens, got \(a.count)\n--- expected:\n\(expected)\n--- got:\n\(actual)"
        }
        return nil
    }

    /// A run of text, or one decimal number.
    struct Token {
        let text: String
        let isNumber: Bool
    }

    /// A decimal number not inside a word or a dotted name: `1.5`, `-0.25`, `1.`, `3.2e-05`, `1e+16`.
    private static let decimal = try! NSRegularExpression(
        pattern: #"(?<![\w.])-?(?:\d+\.\d*(?:e[-+]?\d+)?|\d+e[-+]?\d+)(?!\w)"#)

    static func tokens(_ text: String) -> [Token] {
        var tokens = [Token](), last = text.startIndex
        for match in decimal.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            guard let range = Range(match.range, in: text) else { continue }
            if last < range.lowerBound { tokens.append(Token(text: String(text[last..<range.lowerBound]), isNumber: false)) }
            tokens.append(Token(text: String(text[range]), isNumber: true))
            last = range.upperBound
        }
        if last < text.endIndex { tokens.append(Token(text: String(text[last...]), isNumber: false)) }
        return tokens
    }

    private static func agree(_ actual: Token, _ expected: Token, _ tolerance: NumberTolerance) -> Bool {
        guard actual.isNumber, expected.isNumber,
              !tolerance.sameLayout || layout(actual.text) == layout(expected.text) || fullPrecision(expected.text),
              let a = Double(actual.text), let e = Double(expected.text) else { return actual.text == expected.text }
        let difference = Swift.abs(a - e)
        return difference <= tolerance.absolute + tolerance.relative * Swift.abs(e)
            || difference <= lastDigit(expected.text) * (1 + 1e-9)
    }

    /// The number of fraction digits and the exponent's presence: how the number was formatted.
    private static func layout(_ number: String) -> (fraction: Int, scientific: Bool) {
        let mantissa = number.split(separator: "e", maxSplits: 1)[0]
        let fraction = mantissa.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false).dropFirst().first
        return (fraction?.count ?? 0, number.contains("e"))
    }

    /// Whether the number is a Python float's repr at full precision (15 or more significant digits), whose length
    /// depends on the value rather than on a format.
    private static func fullPrecision(_ number: String) -> Bool {
        number.split(separator: "e", maxSplits: 1)[0].filter(\.isNumber).drop { $0 == "0" }.count >= 15
    }

    /// The value of one unit in the number's last printed digit (`0.0001` for `1.5607`, `1e-06` for `2.5e-05`).
    private static func lastDigit(_ number: String) -> Double {
        let parts = number.split(separator: "e", maxSplits: 1)
        let exponent = parts.count == 2 ? Double(parts[1]) ?? 0 : 0
        return pow(10, exponent - Double(layout(number).fraction))
    }
}
