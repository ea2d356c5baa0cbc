import BigInt
import Foundation
import PythonText
import TensorCore

/// Python's format-spec mini-language (`f"{score:.4f}"`, `format(x, ">10,")`) and `%` formatting of strings.
struct FormatSpec {
    /// An f-string's or `str.format` field's value after its conversion: `!r` and `!a` its repr (`!a` without
    /// escaping what is not ASCII), `!s` its str.
    static func converted(_ value: Value, _ conversion: Character?) throws -> Value {
        switch conversion {
        case "r", "a": .str(try value.checkedRepr())
        case "s": .str(try value.checkedStr())
        default: value
        }
    }

    var fill: Character = " "
    var align: Character?
    var sign: Character = "-"
    var alternate = false
    var width = 0
    var grouping: Character?
    var precision: Int?
    var type: Character?

    init(_ spec: String) throws {
        var chars = Array(spec)[...]
        if chars.count >= 2, "<>=^".contains(chars[chars.startIndex + 1]) {
            fill = chars.removeFirst()
            align = chars.removeFirst()
        } else if let c = chars.first, "<>=^".contains(c) {
            align = chars.removeFirst()
        }
        if let c = chars.first, "+- ".contains(c) { sign = chars.removeFirst() }
        if chars.first == "#" { alternate = true; chars.removeFirst() }
        if chars.first == "0" { fill = "0"; align = align ?? "="; chars.removeFirst() }
        var digits = ""
        while let c = chars.first, c.isASCII, c.isNumber { digits.append(chars.removeFirst()) }
        guard digits.isEmpty || Int(digits) != nil else { throw PyError.value("Too many decimal digits in format string") }
        width = Int(digits) ?? 0
        try PyError.checkMemory(bytes: width)
        if let c = chars.first, c == "," || c == "_" { grouping = chars.removeFirst() }
        if chars.first == "." {
            chars.removeFirst()
            var p = ""
            while let c = chars.first, c.isASCII, c.isNumber { p.append(chars.removeFirst()) }
            guard !p.isEmpty else { throw PyError.value("Format specifier missing precision") }
            guard let value = Int(p), value <= Int(Int32.max) else { throw PyError.value("precision too big") }
            precision = value
        }
        if let c = chars.first { type = c; chars.removeFirst() }
        guard chars.isEmpty else { throw PyError.value("Invalid format specifier '\(spec)'") }
    }

    /// `format(value, spec)`.
    static func format(_ value: Value, _ spec: String) throws -> String {
        // a numpy scalar formats as the Python number it holds, even with no spec (numpy's gentype_format)
        if case .object(let scalar as RealScalarObject) = value { return try format(scalar.item, spec) }
        // a program's `__format__` gets the spec as it is
        if let result = try value.instance?.callSpecial("__format__", Arguments([.str(spec)])) {
            guard case .str(let text) = result else { throw PyError.type("__format__ must return a str, not \(result.typeName)") }
            return text
        }
        // a 0-dim tensor formats as its number, even with no spec (torch's Tensor.__format__)
        if case .tensor(let t) = value, t.rank == 0 { return try format(Value(try t.item()), spec) }
        if spec.isEmpty { return try value.checkedStr() }
        let f = try FormatSpec(spec)
        switch value {
        case .int, .bigInt: return try f.formatInt(value.exactInteger!)
        case .bool(let b): return try f.formatInt(b ? 1 : 0)  // bool.__format__ is int's: a spec formats the number
        case .float(let d): return try f.formatFloat(d)
        case .str(let s):
            guard f.type == nil || f.type == "s" else { throw PyError.value("Unknown format code '\(f.type!)' for object of type 'str'") }
            if let separator = f.grouping { throw PyError.value("Cannot specify '\(separator)' with 's'.") }
            return f.pad(f.precision.map { String(s.prefix($0)) } ?? s, numeric: false)
        default:
            throw PyError.type("unsupported format string passed to \(value.typeName).__format__")
        }
    }

    private func formatInt(_ i: BigInt) throws -> String {
        switch type {
        case nil, "d", "n":
            if precision != nil { throw PyError.value("Precision not allowed in integer format specifier") }
            return padNumber(signed(i < 0, ""), String(i.magnitude), every: 3)
        case "x", "X", "o", "b":
            let radix = type == "x" || type == "X" ? 16 : type == "o" ? 8 : 2
            if grouping == "," { throw PyError.value("Cannot specify ',' with '\(type!)'.") }
            let prefix = signed(i < 0, alternate ? "0" + String(type!) : "")
            return padNumber(prefix, String(i.magnitude, radix: radix, uppercase: type == "X"), every: 4)
        case "e", "E", "f", "F", "g", "G", "%":
            return try formatFloat(try IntArithmetic.double(i))
        default:
            throw PyError.value("Unknown format code '\(type!)' for object of type 'int'")
        }
    }

    private func formatFloat(_ d: Double) throws -> String {
        let magnitude = Swift.abs(d)
        var body: String
        switch type {
        case "f", "F":
            body = pythonFormat(magnitude, precision: precision ?? 6, scientific: false)
            if alternate, !body.contains("."), magnitude.isFinite { body += "." }
        case "e", "E": body = pythonFormat(magnitude, precision: precision ?? 6, scientific: true)
        case "%": body = pythonFormat(magnitude * 100, precision: precision ?? 6, scientific: false) + "%"
        case "g", "G": body = general(magnitude, precision ?? 6)
        case nil:
            if let p = precision {
                body = significant(magnitude, Swift.max(p, 1))
            } else {
                body = pythonRepr(magnitude)
            }
        default: throw PyError.value("Unknown format code '\(type!)' for object of type 'float'")
        }
        if type == "F" || type == "E" || type == "G" { body = body.uppercased() }
        if grouping != nil, let dot = body.firstIndex(where: { $0 == "." || $0 == "e" || $0 == "%" }) ?? Optional(body.endIndex) {
            body = group(String(body[..<dot])) + body[dot...]
        }
        return pad(signed(d.sign == .minus && !d.isNaN, body), numeric: true)
    }

    /// A float with a precision and no type: `p` significant digits as `g` gives them, but scientific from one
    /// exponent earlier (`exp >= p - 1`) and a fixed result keeping one digit after the point (`1.0`).
    private func significant(_ d: Double, _ p: Int) -> String {
        guard d.isFinite else { return general(d, p) }
        let scientific = String(format: "%.\(p - 1)e", d)
        let exponent = Int(scientific.split(separator: "e")[1])!
        if exponent < -4 || exponent >= p - 1 {
            let parts = scientific.split(separator: "e")
            return (alternate ? String(parts[0]) : Self.trimmingZeros(String(parts[0]))) + "e" + parts[1]
        }
        let fixed = String(format: "%.\(p - 1 - exponent)f", d)
        if alternate { return fixed.contains(".") ? fixed : fixed + "." }
        let trimmed = Self.trimmingZeros(fixed)
        return trimmed.contains(".") ? trimmed : trimmed + ".0"
    }

    /// `2.500` as `2.5`, `2.000` as `2`.
    private static func trimmingZeros(_ text: String) -> String {
        guard text.contains(".") else { return text }
        var out = Substring(text)
        while out.hasSuffix("0") { out = out.dropLast() }
        if out.hasSuffix(".") { out = out.dropLast() }
        return String(out)
    }

    /// `%g`: significant digits, trailing zeros removed.
    private func general(_ d: Double, _ p: Int) -> String {
        guard d.isFinite else { return pythonFormat(d, precision: 0, scientific: false) }
        return String(format: alternate ? "%#.\(Swift.max(p, 1))g" : "%.\(Swift.max(p, 1))g", d)
    }

    private func group(_ digits: String) -> String {
        guard let separator = grouping, digits.allSatisfy(\.isNumber) else { return digits }
        return Self.grouped(digits, separator, 3)
    }

    /// An integer's `prefix` (sign, `0x`) and `digits`, grouped every `every` digits; zero padding to the width
    /// is grouped too (`f"{1234567:012,}"` is `0,001,234,567`).
    private func padNumber(_ prefix: String, _ digits: String, every: Int) -> String {
        guard let separator = grouping else { return pad(prefix + digits, numeric: true) }
        var digits = digits
        if fill == "0", align == "=" {
            // as many leading zeros as make the grouped text (n digits and (n - 1) / every separators) reach the width
            var count = digits.count
            while prefix.count + count + (count - 1) / every < width { count += 1 }
            digits = String(repeating: "0", count: count - digits.count) + digits
        }
        return pad(prefix + Self.grouped(digits, separator, every), numeric: true)
    }

    private static func grouped(_ digits: String, _ separator: Character, _ every: Int) -> String {
        var out = ""
        for (i, c) in digits.reversed().enumerated() {
            if i > 0 && i % every == 0 { out.append(separator) }
            out.append(c)
        }
        return String(out.reversed())
    }

    private func signed(_ negative: Bool, _ body: String) -> String {
        (negative ? "-" : sign == "+" ? "+" : sign == " " ? " " : "") + body
    }

    private func pad(_ text: String, numeric: Bool) -> String {
        let missing = width - text.unicodeScalars.count
        guard missing > 0 else { return text }
        let padding = String(repeating: fill, count: missing)
        switch align ?? (numeric ? ">" : "<") {
        case "<": return text + padding
        case "^": return String(repeating: fill, count: missing / 2) + text + String(repeating: fill, count: missing - missing / 2)
        case "=":
            if let first = text.first, "+- ".contains(first) { return String(first) + padding + text.dropFirst() }
            return padding + text
        default: return padding + text
        }
    }

    /// `"%s scored %.2f" % (name, score)`, and `"%(name)s" % mapping`.
    static func percent(_ template: String, _ arguments: Value) throws -> String {
        var values: [Value]
        switch arguments {
        case .tuple(let t): values = t
        case .size(let s): values = s.map(Value.int)  // torch.Size and torch.return_types are tuples
        case .object(let namedTuple as NamedTuple): values = namedTuple.items
        default: values = [arguments]
        }
        // a dict is the mapping `%(key)` conversions read; it, and any other argument CPython's PyMapping_Check takes
        // for a mapping (what can be subscripted, but a str), need not be used up
        let mapping: PyDict? = if case .dict(let d) = arguments { d } else { nil }
        let isMapping = switch arguments {
        case .dict, .list, .tensor: true
        case .object(let o): o is MappingObject || o is RangeObject || o is TensorIndexable
        default: false
        }
        var out = "", chars = Array(template)[...]
        while let c = chars.popFirst() {
            guard c == "%" else { out.append(c); continue }
            let key = try mappingKey(&chars)
            var flags = "", size = ""
            while let s = chars.first, "-+ 0#".contains(s) { flags.append(chars.removeFirst()) }
            while let s = chars.first, !"sdiurfFeEgGxXoc%".contains(s) { size.append(chars.removeFirst()) }
            // the flags as a format spec: `-` aligns left, `0` pads after the sign (`=`), `+`/` ` sign, `#` alternate
            let left = flags.contains("-"), text = size.isEmpty ? "" : (left ? "<" : ">") + size
            let spec = (left ? "<" : flags.contains("0") ? "0=" : ">") + (flags.contains("+") ? "+" : flags.contains(" ") ? " " : "")
                + (flags.contains("#") ? "#" : "") + size
            guard let conversion = chars.popFirst() else { throw PyError.value("incomplete format") }
            if conversion == "%" { out += "%"; continue }
            let value: Value
            if let key {
                guard let mapping else { throw PyError.type("format requires a mapping") }
                guard let found = try mapping.get(.str(key)) else { throw PyError.key(.str(key)) }
                value = found
            } else {
                guard !values.isEmpty else { throw PyError.type("not enough arguments for format string") }
                value = values.removeFirst()
            }
            // a number conversion reads a one-element tensor's number (`'%.2f' % loss`), as `__float__` gives it
            var number = value
            if case .tensor(let t) = value, !"src".contains(conversion) {
                guard t.count == 1 else { throw PyError.value("only one element tensors can be converted to Python scalars") }
                number = Value(try t.item())
            }
            switch conversion {
            case "s": out += try format(.str(try value.checkedStr()), text)
            case "r": out += try format(.str(try value.checkedRepr()), text)
            case "c":
                switch value {
                case .str(let c) where c.count == 1: out += try format(value, text)
                case .int, .bool, .bigInt:
                    let code = (try? value.asIndex()) ?? -1
                    guard (0...0x10FFFF).contains(code) else { throw PyError(.overflowError, "%c arg not in range(0x110000)") }
                    guard let scalar = Unicode.Scalar(UInt32(code)) else {
                        throw PyError.value("%c of \(code) is a lone surrogate, which sbpl strings cannot hold")
                    }
                    out += try format(.str(String(Character(scalar))), text)
                default: throw PyError.type("%c requires int or char")
                }
            case "d", "i", "u":  // a float is truncated, as int() does
                let integer = if case .float(let f) = number { try IntArithmetic.truncating(f) } else { number }
                out += try format(integer, spec + "d")
            case "x", "X", "o":
                if case .float = number { throw PyError.type("%\(conversion) format: an integer is required, not float") }
                out += try format(number, spec + String(conversion))
            default: out += try format(number, spec + String(conversion))
            }
        }
        guard values.isEmpty || isMapping else { throw PyError.type("not all arguments converted during string formatting") }
        return out
    }

    /// The `(key)` after a `%`, its parentheses balanced as CPython balances them; nil when there is none.
    private static func mappingKey(_ chars: inout ArraySlice<Character>) throws -> String? {
        guard chars.first == "(" else { return nil }
        chars.removeFirst()
        var key = "", depth = 1
        while let c = chars.popFirst() {
            if c == "(" { depth += 1 } else if c == ")" { depth -= 1; if depth == 0 { return key } }
            key.append(c)
        }
        throw PyError.value("incomplete format key")
    }
}
