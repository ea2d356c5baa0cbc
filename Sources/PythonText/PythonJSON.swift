import Foundation

/// Python's `json.dumps(value, indent=2, sort_keys=True)` over `JSONSerialization` values (and `[Int: String]`
/// maps such as `id2label`, whose integer keys sort as numbers), and Python's `==` between such values.
public enum PythonJSON {
    /// A number written as given, for values beyond Int64 (transformers' `int(1e30)`).
    public struct Literal {
        let text: String
        public init(_ text: String) { self.text = text }
    }

    /// Parses a JSON object that sbpl wrote itself (defaults, fields carried over); empty if it is not one.
    public static func object(_ text: String) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
    }

    /// The JSON text; `ensureASCII` escapes non-ASCII characters as `\\uXXXX`, as `json.dumps` does by default.
    public static func dumps(_ value: Any, ensureASCII: Bool = true, indent: String = "") -> String {
        let inner = indent + "  "
        func object(_ pairs: [(String, Any)]) -> String {
            let items = pairs.map { "\(inner)\(string($0.0, ensureASCII: ensureASCII)): \(dumps($0.1, ensureASCII: ensureASCII, indent: inner))" }
            return items.isEmpty ? "{}" : "{\n" + items.joined(separator: ",\n") + "\n\(indent)}"
        }
        switch value {
        case let labels as [Int: String]: return object(labels.keys.sorted().map { (String($0), labels[$0]!) })
        case let dict as [String: Any]:
            return object(dict.keys.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }.map { ($0, dict[$0]!) })
        case let array as [Any]:
            return array.isEmpty ? "[]" : "[\n" + array.map { inner + dumps($0, ensureASCII: ensureASCII, indent: inner) }.joined(separator: ",\n") + "\n\(indent)]"
        case let text as String: return string(text, ensureASCII: ensureASCII)
        case let literal as Literal: return literal.text
        case is NSNull: return "null"
        default:
            switch JSONNumber(value) {
            case .bool(let b)?: return b ? "true" : "false"
            case .int(let n)?: return "\(n)"
            case .float(let x)?: return x.isFinite ? pythonRepr(x) : (x.isNaN ? "NaN" : x < 0 ? "-Infinity" : "Infinity")
            case nil: return "null"
            }
        }
    }

    /// A JSON string literal as `json.dumps` writes it; `ensureASCII` escapes every character outside printable
    /// ASCII as `\\uXXXX` (UTF-16 units), else only control characters are escaped.
    static func string(_ text: String, ensureASCII: Bool) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case " "..."~": out.unicodeScalars.append(scalar)
            case _ where !ensureASCII && scalar.value >= 0x7F: out.unicodeScalars.append(scalar)
            default:
                for unit in String(scalar).utf16 {
                    let hex = String(unit, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                }
            }
        }
        return out + "\""
    }

    /// Python's `==` between two JSON values (`1 == 1.0 == True`).
    public static func equal(_ a: Any, _ b: Any) -> Bool {
        switch (stringKeyed(a), stringKeyed(b)) {
        case (is NSNull, is NSNull): return true
        case let (x as String, y as String): return x == y
        case let (x as [String: Any], y as [String: Any]):
            return x.count == y.count && x.allSatisfy { key, value in y[key].map { equal(value, $0) } ?? false }
        case let (x as [Any], y as [Any]): return x.count == y.count && zip(x, y).allSatisfy(equal)
        default:
            guard let x = JSONNumber(a), let y = JSONNumber(b) else { return false }
            return x.pythonNumber == y.pythonNumber
        }
    }

    /// An `[Int: String]` map as the string-keyed object it is written as; other values as they are.
    private static func stringKeyed(_ value: Any) -> Any {
        guard let map = value as? [Int: String], !map.isEmpty else { return value }
        return Dictionary(uniqueKeysWithValues: map.map { (String($0.key), $0.value as Any) })
    }
}

private extension JSONNumber {
    /// The value as Python compares it (`True == 1`).
    var pythonNumber: Double {
        switch self {
        case .bool(let b): return b ? 1 : 0
        case .int(let n): return Double(n)
        case .float(let x): return x
        }
    }
}
