import Foundation

/// A boolean or number that `JSONSerialization` produced, told apart as Python's `json` tells them apart:
/// `true`, `1` and `1.0` are a bool, an int and a float (Foundation bridges all three to `Bool` and `Int`).
public enum JSONNumber: Equatable, Sendable {
    case bool(Bool), int(Int), float(Double)

    /// nil when `value` is not a JSON boolean or number.
    public init?(_ value: Any) {
        guard let number = value as? NSNumber else { return nil }
        switch String(cString: number.objCType) {
        case "c", "B": self = .bool(number.boolValue)
        case "d", "f": self = .float(number.doubleValue)
        default: self = .int(number.intValue)
        }
    }

    /// The value as a number (booleans are nil).
    public var double: Double? {
        switch self {
        case .bool: return nil
        case .int(let n): return Double(n)
        case .float(let x): return x
        }
    }
}
