/// A recursive-descent reader of JSON text into `JSONValue`s, with Python's `json` module's rules: integers stay
/// integers, `NaN`/`Infinity`/`-Infinity` are floats, object keys keep their order.
struct JSONParser {
    private let bytes: [UInt8]
    private var index = 0
    /// Arrays and objects open around the current value; bounded so that hostile nesting is an error, not a
    /// stack overflow (Python raises RecursionError).
    private var depth = 0
    private static let maxDepth = 512

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// One value, with nothing but whitespace after it.
    mutating func document() throws(JSONParseError) -> JSONValue {
        let value = try self.value()
        skipWhitespace()
        guard index == bytes.count else { throw error("extra data") }
        return value
    }

    private mutating func value() throws(JSONParseError) -> JSONValue {
        skipWhitespace()
        guard index < bytes.count else { throw error("expected a value") }
        switch bytes[index] {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            guard depth < Self.maxDepth else { throw error("nested too deeply") }
            depth += 1
            defer { depth -= 1 }
            return bytes[index] == UInt8(ascii: "{") ? .object(try object()) : .array(try array())
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        case UInt8(ascii: "N"): return try literal("NaN", .double(.nan))
        case UInt8(ascii: "I"): return try literal("Infinity", .double(.infinity))
        default: return try number()
        }
    }

    private mutating func object() throws(JSONParseError) -> JSONObject {
        index += 1
        var object = JSONObject()
        skipWhitespace()
        if consume("}") { return object }
        repeat {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("expected a string key") }
            let key = try string()
            skipWhitespace()
            guard consume(":") else { throw error("expected ':'") }
            object[key] = try value()
            skipWhitespace()
        } while consume(",")
        guard consume("}") else { throw error("expected ',' or '}'") }
        return object
    }

    private mutating func array() throws(JSONParseError) -> [JSONValue] {
        index += 1
        var items = [JSONValue]()
        skipWhitespace()
        if consume("]") { return items }
        repeat {
            items.append(try value())
            skipWhitespace()
        } while consume(",")
        guard consume("]") else { throw error("expected ',' or ']'") }
        return items
    }

    private mutating func string() throws(JSONParseError) -> String {
        index += 1
        var units = [UInt8]()
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""): return String(decoding: units, as: UTF8.self)
            case UInt8(ascii: "\\"): units += try escape()
            case 0..<0x20: throw error("control character in a string")
            default: units.append(byte)
            }
        }
        throw error("unterminated string")
    }

    /// The UTF-8 of one escape after its backslash; `\uXXXX` pairs of UTF-16 surrogates make one character.
    private mutating func escape() throws(JSONParseError) -> [UInt8] {
        guard index < bytes.count else { throw error("unterminated string") }
        let byte = bytes[index]
        index += 1
        let simple: [UInt8: String] = [UInt8(ascii: "\""): "\"", UInt8(ascii: "\\"): "\\", UInt8(ascii: "/"): "/",
                                       UInt8(ascii: "b"): "\u{08}", UInt8(ascii: "f"): "\u{0C}", UInt8(ascii: "n"): "\n",
                                       UInt8(ascii: "r"): "\r", UInt8(ascii: "t"): "\t"]
        if let text = simple[byte] { return Array(text.utf8) }
        guard byte == UInt8(ascii: "u") else { throw error("invalid escape") }
        var code = UInt32(try hex4())
        if (0xD800..<0xDC00).contains(code), bytes[index...].starts(with: Array("\\u".utf8)) {
            let saved = index
            index += 2
            let low = UInt32(try hex4())
            if (0xDC00..<0xE000).contains(low) { code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00) } else { index = saved }
        }
        return Array(String(Unicode.Scalar(code).map(Character.init) ?? "\u{FFFD}").utf8)
    }

    private mutating func hex4() throws(JSONParseError) -> UInt16 {
        guard index + 4 <= bytes.count, let code = UInt16(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16) else {
            throw error("invalid \\u escape")
        }
        index += 4
        return code
    }

    /// An int when written without fraction or exponent (a `bigInteger` beyond Int's range), else a float.
    private mutating func number() throws(JSONParseError) -> JSONValue {
        let start = index
        if consume("-"), index < bytes.count, bytes[index] == UInt8(ascii: "I") { return try literal("Infinity", .double(-.infinity)) }
        let numeric = Set("0123456789+-.eE".utf8)
        while index < bytes.count, numeric.contains(bytes[index]) { index += 1 }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        let isInteger = !text.contains { ".eE".contains($0) }
        if isInteger, let n = Int(text) { return .int(n) }
        let digits = text.dropFirst(text.first == "-" ? 1 : 0)
        if isInteger, !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) { return .bigInteger(text) }
        guard let x = Double(text), text.first != "+", !text.isEmpty else {
            index = start
            throw error("expected a value")
        }
        return .double(x)
    }

    private mutating func literal(_ word: String, _ value: JSONValue) throws(JSONParseError) -> JSONValue {
        guard bytes[index...].starts(with: Array(word.utf8)) else { throw error("expected a value") }
        index += word.utf8.count
        return value
    }

    private mutating func consume(_ character: Unicode.Scalar) -> Bool {
        guard index < bytes.count, bytes[index] == UInt8(ascii: character) else { return false }
        index += 1
        return true
    }

    private mutating func skipWhitespace() {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }

    private func error(_ reason: String) -> JSONParseError { JSONParseError(offset: index, reason: reason) }
}
