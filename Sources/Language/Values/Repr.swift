import Foundation
import PythonText
import TensorCore

extension Value {
    /// `repr(x)`, as Python prints it.
    public var repr: String {
        switch self {
        case .none: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .int(let i): return String(i)
        case .float(let f): return pythonRepr(f)
        case .str(let s): return Value.quoted(s)
        case .list(let l): return "[" + l.items.map(\.repr).joined(separator: ", ") + "]"
        case .tuple(let t): return "(" + t.map(\.repr).joined(separator: ", ") + (t.count == 1 ? ",)" : ")")
        case .dict(let d): return "{" + d.items.map { "\($0.0.repr): \($0.1.repr)" }.joined(separator: ", ") + "}"
        case .tensor(let t): return t.description
        case .size(let s): return TensorShape(s).description
        case .dtype(let d): return d.torchName
        case .object(let o): return o.repr
        }
    }

    /// `str(x)`: strings as they are, everything else as its repr.
    public var str: String {
        switch self {
        case .str(let s): return s
        case .object(let o): return o.str
        default: return repr
        }
    }

    /// A string literal as Python's `repr` writes it: single quotes unless the text has `'` and no `"`.
    static func quoted(_ s: String) -> String {
        let quote: Character = s.contains("'") && !s.contains("\"") ? "\"" : "'"
        var out = String(quote)
        for c in s.unicodeScalars {
            switch c {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where Character(c) == quote: out += "\\" + String(quote)
            case _ where !isPrintable(c):
                let hex = String(c.value, radix: 16)
                out += c.value < 0x100 ? "\\x" + String(repeating: "0", count: 2 - hex.count) + hex
                    : c.value < 0x10000 ? "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                    : "\\U" + String(repeating: "0", count: 8 - hex.count) + hex
            default: out.unicodeScalars.append(c)
            }
        }
        return out + String(quote)
    }

    /// Python's `str.isprintable` for one code point: not in categories C* or Z* other than the space.
    private static func isPrintable(_ c: Unicode.Scalar) -> Bool {
        if c == " " { return true }
        switch c.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator, .spaceSeparator:
            return false
        default: return true
        }
    }
}
