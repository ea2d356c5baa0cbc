import Foundation
import PythonText
import TensorCore

extension Value {
    /// `repr(x)`, as Python prints it; a list or dict inside itself prints as `[...]` / `{...}`.
    public var repr: String {
        var writer = ReprWriter()
        writer.write(self) { $0.scalarRepr }
        return writer.text
    }

    /// `repr(x)` as the builtins take it: what a program's `__repr__` raises, for x or an item inside it, is raised
    /// (`repr` shows the default repr then).
    func checkedRepr() throws -> String {
        var writer = ReprWriter()
        try writer.write(self) { try $0.instance?.text("__repr__") ?? $0.scalarRepr }
        return writer.text
    }

    /// `repr(x)` of a value that contains no other values.
    fileprivate var scalarRepr: String {
        switch self {
        case .none: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .int(let i): return String(i)
        case .bigInt(let i): return i.description
        case .float(let f): return pythonRepr(f)
        case .str(let s): return Value.quoted(s)
        case .tensor(let t): return t.description
        case .size(let s): return TensorShape(s).description
        case .dtype(let d): return d.torchName
        case .object(let o): return o.repr
        case .list, .tuple, .dict: return ""
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
            case _ where !PythonCharacters.isPrintable(c): out += PythonCharacters.escaped(c)
            default: out.unicodeScalars.append(c)
            }
        }
        return out + String(quote)
    }
}

/// Writes the repr of nested containers into one string with an explicit stack, so depth costs neither stack nor
/// copies (a million-deep list prints in linear time), and a container met again inside itself prints as `[...]` or
/// `{...}`, as CPython's `Py_ReprEnter` guard does.
private struct ReprWriter {
    private enum Work {
        case value(Value)
        case text(String)
        /// The container is done: it may appear again without being a cycle.
        case leave(ObjectIdentifier)
    }

    private(set) var text = ""
    private var stack = [Work]()
    private var open = Set<ObjectIdentifier>()

    /// Writes `value`, each value that is not a list, tuple or dict as `scalar` gives it.
    mutating func write(_ value: Value, scalar: (Value) throws -> String) rethrows {
        stack.append(.value(value))
        while let work = stack.popLast() {
            switch work {
            case .text(let s): text += s
            case .leave(let id): open.remove(id)
            case .value(let v): try enter(v, scalar)
            }
        }
    }

    /// Writes a scalar, or opens a container and schedules its items, separators and closing bracket.
    private mutating func enter(_ value: Value, _ scalar: (Value) throws -> String) rethrows {
        switch value {
        case .list(let l): container(ObjectIdentifier(l), "[", l.items.map { [.value($0)] }, "]", cycle: "[...]")
        case .dict(let d):
            let (opening, closing) = try d.brackets(scalar)
            let entries: [[Work]] = d.printedItems.map { key, value in
                if case .ordered = d.flavor { return [.text("("), .value(key), .text(", "), .value(value), .text(")")] }
                return [.value(key), .text(": "), .value(value)]
            }
            let cycle = if case .ordered = d.flavor { "..." } else { opening + "..." + closing }
            container(ObjectIdentifier(d), opening, entries, closing, cycle: cycle)
        case .tuple(let t):
            text += "("
            schedule(t.map { [.value($0)] }, close: t.count == 1 ? ",)" : ")")
        default: text += try scalar(value)
        }
    }

    private mutating func container(_ id: ObjectIdentifier, _ opening: String, _ items: [[Work]], _ closing: String, cycle: String) {
        guard open.insert(id).inserted else { text += cycle; return }
        text += opening
        stack.append(.leave(id))
        schedule(items, close: closing)
    }

    /// Pushes `items` separated by commas, then `close`, so that they pop in order.
    private mutating func schedule(_ items: [[Work]], close: String) {
        stack.append(.text(close))
        for (i, item) in items.enumerated().reversed() {
            stack.append(contentsOf: item.reversed())
            if i > 0 { stack.append(.text(", ")) }
        }
    }
}
