/// Python's operators as the parser recognises them; each raw value is the operator as written, which error
/// messages quote (`unsupported operand type(s) for +: ...`).

/// `-x`, `+x`, `~x`, `not x`.
public enum UnaryOperator: String, Sendable {
    case negate = "-", plus = "+", invert = "~", not
}

/// The arithmetic operators, from `+` to `@`.
public enum BinaryOperator: String, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", floorDivide = "//", modulo = "%", power = "**",
         matrixMultiply = "@", bitAnd = "&", bitOr = "|", bitXor = "^", leftShift = "<<", rightShift = ">>"

    /// Whether it is one of the bitwise operators (`&`, `|`, `^`, `<<`, `>>`).
    var isBitwise: Bool {
        switch self {
        case .bitAnd, .bitOr, .bitXor, .leftShift, .rightShift: true
        default: false
        }
    }

    /// The operator of an augmented assignment token (`+=` -> `+`), nil for any other token.
    init?(augmented token: String) {
        guard token.count >= 2, token.hasSuffix("=") else { return nil }
        self.init(rawValue: String(token.dropLast()))
    }
}

/// `and`, `or`: they short-circuit, so they are not `BinaryOperator`s.
public enum LogicalOperator: String, Sendable {
    case and, or
}

/// The comparison operators, which chain (`a < b <= c`).
public enum ComparisonOperator: String, Sendable {
    case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">=",
         `is`, isNot = "is not", `in`, notIn = "not in"
}
