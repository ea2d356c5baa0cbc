import Foundation

/// A JSON value as Python's `json.loads` reads it: `true`, `1` and `1.0` are a bool, an int and a float, and an
/// object keeps its keys in the order written.
///
/// ```swift
/// let config = try JSONValue(parsing: #"{"dim": 768, "dropout": 0.1}"#)
/// config.object?["dim"]      // .int(768)
/// ```
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    /// An integer beyond Int's range, as its decimal digits (Python's ints have no limit).
    case bigInteger(String)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// Parses JSON text as Python's `json.loads` does (`NaN`, `Infinity` and `-Infinity` included; an integer
    /// beyond Int's range kept whole, `bigInteger`).
    public init(parsing text: String) throws(JSONParseError) {
        var parser = JSONParser(Array(text.utf8))
        self = try parser.document()
    }

    /// The value a Foundation API produced (`JSONSerialization`, `[String: Any]`), told apart as Python's `json`
    /// tells them apart; nil for anything that is not a JSON value. Foundation bridges `true`, `1` and `1.0` all
    /// to `NSNumber`: its `objCType` is the one place they are told apart.
    public init?(bridging value: Any) {
        switch value {
        case let json as JSONValue: self = json
        case let text as String: self = .string(text)
        case is NSNull: self = .null
        case let array as [Any]:
            var items = [JSONValue]()
            for item in array {
                guard let json = JSONValue(bridging: item) else { return nil }
                items.append(json)
            }
            self = .array(items)
        case let dict as [String: Any]:
            var object = JSONObject()
            for key in dict.keys.sorted() {
                guard let json = dict[key].flatMap(JSONValue.init(bridging:)) else { return nil }
                object[key] = json
            }
            self = .object(object)
        case let number as NSNumber:
            switch String(cString: number.objCType) {
            case "c", "B": self = .bool(number.boolValue)
            case "d", "f": self = .double(number.doubleValue)
            default: self = .int(number.intValue)
            }
        default: return nil
        }
    }

    /// The string, if this is one.
    public var string: String? { if case .string(let s) = self { s } else { nil } }
    /// The integer, if this is one (booleans are not).
    public var int: Int? { if case .int(let n) = self { n } else { nil } }
    /// The boolean, if this is one.
    public var bool: Bool? { if case .bool(let b) = self { b } else { nil } }
    /// The value as a number, if it is an int or a float (booleans are not).
    public var number: Double? {
        switch self {
        case .int(let n): Double(n)
        case .bigInteger(let digits): Double(digits)
        case .double(let x): x
        default: nil
        }
    }
    /// The object, if this is one.
    public var object: JSONObject? { if case .object(let o) = self { o } else { nil } }
    /// The array, if this is one.
    public var array: [JSONValue]? { if case .array(let a) = self { a } else { nil } }
    /// Whether this is `null`.
    public var isNull: Bool { self == .null }

    /// Python's `==` between the values `json.loads` returns: `1 == 1.0 == True`, objects equal whatever their
    /// key order.
    public func pythonEquals(_ other: JSONValue) -> Bool {
        switch (self, other) {
        case (.null, .null): return true
        case let (.string(x), .string(y)): return x == y
        case let (.array(x), .array(y)): return x.count == y.count && zip(x, y).allSatisfy { $0.pythonEquals($1) }
        case let (.object(x), .object(y)):
            return x.count == y.count && x.allSatisfy { key, value in y[key].map(value.pythonEquals) ?? false }
        default:
            guard let x = pythonNumber, let y = other.pythonNumber else { return false }
            return x == y
        }
    }

    /// The value as Python compares numbers (`True == 1`); nil when not a number or boolean.
    private var pythonNumber: Double? {
        if case .bool(let b) = self { return b ? 1 : 0 }
        return number
    }
}

/// A JSON object: values by key, the keys in the order they were first set (as a Python dict keeps them).
public struct JSONObject: Sendable, Equatable, Sequence {
    /// The keys in insertion order.
    public private(set) var keys: [String] = []
    private var values: [String: JSONValue] = [:]

    public init() {}

    /// An object with `pairs` in order; a repeated key keeps its first place and its last value, as in Python.
    public init(_ pairs: [(String, JSONValue)]) {
        for (key, value) in pairs { self[key] = value }
    }

    /// The value for `key`; setting nil removes the key.
    public subscript(key: String) -> JSONValue? {
        get { values[key] }
        set {
            switch (values[key], newValue) {
            case (nil, let value?):
                keys.append(key)
                values[key] = value
            case (_?, nil):
                keys.removeAll { $0 == key }
                values[key] = nil
            default: values[key] = newValue
            }
        }
    }

    /// The number of keys.
    public var count: Int { keys.count }

    /// The pairs in key order.
    public func makeIterator() -> IndexingIterator<[(key: String, value: JSONValue)]> {
        keys.compactMap { key in values[key].map { (key: key, value: $0) } }.makeIterator()
    }

    /// `self` with `other`'s keys set over it (`dict.update`).
    public func merging(_ other: JSONObject) -> JSONObject {
        var merged = self
        for (key, value) in other { merged[key] = value }
        return merged
    }
}

/// JSON values written as Swift literals: `["architectures": ["BertModel"], "torch_dtype": "float32"]`.
extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) { self = .object(JSONObject(elements)) }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    /// The pairs in the order written.
    public init(dictionaryLiteral elements: (String, JSONValue)...) { self.init(elements) }
}

/// JSON text that cannot be parsed, with the byte offset where parsing stopped.
public struct JSONParseError: Error, CustomStringConvertible, Equatable {
    public let offset: Int
    public let reason: String

    public var description: String { "\(reason) at byte \(offset)" }
}
