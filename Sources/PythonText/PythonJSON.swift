import Foundation

/// Python's `json.dumps(value, indent=2, sort_keys=True)` over `JSONValue`s and `JSONSerialization` values (and
/// `[Int: String]` maps such as `id2label`, whose integer keys sort as numbers).
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
    /// `value` is a `JSONValue` or `JSONObject`, a Foundation JSON value (`[String: Any]`, `NSNumber`, ...), an
    /// `[Int: String]` map or a `Literal`; anything else is written as `null`.
    public static func dumps(_ value: Any, ensureASCII: Bool = true, indent: String = "") -> String {
        switch value {
        case let labels as [Int: String]:
            return object(labels.keys.sorted().map { (String($0), labels[$0]!) }, ensureASCII: ensureASCII, indent: indent)
        case let numbered as [Int: Any]:
            return object(numbered.keys.sorted().map { (String($0), numbered[$0]!) }, ensureASCII: ensureASCII, indent: indent)
        case let dict as [String: Any]:
            return object(sortedKeys(dict.keys).map { ($0, dict[$0]!) }, ensureASCII: ensureASCII, indent: indent)
        case let array as [Any]: return self.array(array, ensureASCII: ensureASCII, indent: indent)
        case let object as JSONObject: return dumps(JSONValue.object(object), ensureASCII: ensureASCII, indent: indent)
        case let literal as Literal: return literal.text
        default: return dumps(JSONValue(bridging: value) ?? .null, ensureASCII: ensureASCII, indent: indent)
        }
    }

    /// `json.dumps(value, indent=2, sort_keys=True)` of a value `json.loads` returned.
    public static func dumps(_ value: JSONValue, ensureASCII: Bool = true, indent: String = "") -> String {
        switch value {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let n): return "\(n)"
        case .bigInteger(let digits): return digits
        case .double(let x): return x.isFinite ? pythonRepr(x) : (x.isNaN ? "NaN" : x < 0 ? "-Infinity" : "Infinity")
        case .string(let text): return string(text, ensureASCII: ensureASCII)
        case .array(let items): return array(items, ensureASCII: ensureASCII, indent: indent)
        case .object(let fields):
            let pairs = sortedKeys(fields.keys).compactMap { key in fields[key].map { (key, $0 as Any) } }
            return object(pairs, ensureASCII: ensureASCII, indent: indent)
        }
    }

    /// Keys as `sort_keys=True` orders strings: by code point.
    private static func sortedKeys(_ keys: some Collection<String>) -> [String] {
        keys.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
    }

    private static func object(_ pairs: [(String, Any)], ensureASCII: Bool, indent: String) -> String {
        let inner = indent + "  "
        let items = pairs.map { "\(inner)\(string($0.0, ensureASCII: ensureASCII)): \(dumps($0.1, ensureASCII: ensureASCII, indent: inner))" }
        return items.isEmpty ? "{}" : "{\n" + items.joined(separator: ",\n") + "\n\(indent)}"
    }

    private static func array(_ items: [Any], ensureASCII: Bool, indent: String) -> String {
        let inner = indent + "  "
        return items.isEmpty ? "[]" : "[\n" + items.map { inner + dumps($0, ensureASCII: ensureASCII, indent: inner) }.joined(separator: ",\n") + "\n\(indent)]"
    }

    /// A JSON string literal as `json.dumps` writes it; `ensureASCII` escapes every character outside printable
    /// ASCII as `\\uXXXX` (UTF-16 units), else only control characters are escaped.
    public static func string(_ text: String, ensureASCII: Bool) -> String {
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
}
