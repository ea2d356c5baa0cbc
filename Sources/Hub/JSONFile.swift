import Foundation

/// Reads the JSON files of a checkpoint with errors that name the file.
public enum JSONFile {
    /// The top-level object of the JSON file at `url`.
    public static func object(at url: URL) throws -> [String: Any] {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw JSONFileError(path: url.path, reason: "cannot be read (\(error.localizedDescription))")
        }
        guard String(data: data, encoding: .utf8) != nil else {
            throw JSONFileError(path: url.path, reason: "is not UTF-8 text")
        }
        guard let parsed = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else {
            throw JSONFileError(path: url.path, reason: "is not valid JSON")
        }
        guard let object = parsed as? [String: Any] else {
            throw JSONFileError(path: url.path, reason: "does not hold a JSON object")
        }
        return object
    }
}

/// A JSON file that cannot be used, with its path.
public struct JSONFileError: Error, CustomStringConvertible, Equatable {
    public let path: String
    public let reason: String

    public var description: String { "\(path) \(reason)" }
}

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
