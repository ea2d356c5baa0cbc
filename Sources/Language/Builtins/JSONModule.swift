import BigInt
import PythonText

/// Python's `json` module: `dumps`/`loads`, and `dump`/`load` on files, writing and reading JSON exactly as CPython's
/// encoder and decoder do (separators, `indent`, `sort_keys`, `ensure_ascii`, key conversion, errors).
enum JSONModule {
    static func make() -> PythonModule {
        PythonModule("json", [
            "dumps": builtin("dumps") { args in .str(try encode(args, "dumps", valueIndex: 0)) },
            "dump": builtin("dump") { args in
                guard args.positional.count >= 2, case .object(let file as TextFileObject) = args.positional[1] else {
                    throw PyError.type("dump() needs an object and a file opened for writing")
                }
                var rest = args
                rest.positional.remove(at: 1)
                try file.write(try encode(rest, "dump", valueIndex: 0))
                return .none
            },
            "loads": builtin("loads") { args in try decode(try args.bind("loads", ["s"], required: 1)[0]!.asString("s")) },
            "load": builtin("load") { args in
                guard case .object(let file as TextFileObject)? = try args.bind("load", ["fp"], required: 1)[0] else {
                    throw PyError.type("load() needs a file opened for reading")
                }
                return try decode(try file.read(-1))
            },
        ])
    }

    /// The keyword arguments of `dumps`, then the text.
    private static func encode(_ args: Arguments, _ name: String, valueIndex: Int) throws -> String {
        let a = try args.bind(name, ["obj", "skipkeys", "ensure_ascii", "check_circular", "allow_nan", "cls", "indent", "separators", "default", "sort_keys"], required: 1)
        var encoder = Encoder(ensureASCII: try a[2]?.isTruthy() ?? true, sortKeys: try a[9]?.isTruthy() ?? false)
        if let indent = a[6].given {
            if case .str(let text) = indent { encoder.indent = text } else { encoder.indent = String(repeating: " ", count: max(0, try indent.asInt("indent"))) }
            encoder.itemSeparator = ","
        }
        if let separators = a[7].given {
            let pair = try Iteration.materialize(separators)
            guard pair.count == 2 else { throw PyError.value("separators must be an (item_separator, key_separator) tuple") }
            (encoder.itemSeparator, encoder.keySeparator) = (try pair[0].asString("item_separator"), try pair[1].asString("key_separator"))
        }
        return try encoder.encode(a[valueIndex]!, depth: "")
    }

    /// CPython's `JSONEncoder.iterencode`, over sbpl values.
    struct Encoder {
        let ensureASCII: Bool
        let sortKeys: Bool
        /// nil: everything on one line.
        var indent: String?
        var itemSeparator = ", ", keySeparator = ": "
        /// The containers being written, to refuse a circular reference as CPython does.
        private var open = Set<ObjectIdentifier>()

        init(ensureASCII: Bool, sortKeys: Bool) {
            (self.ensureASCII, self.sortKeys) = (ensureASCII, sortKeys)
        }

        mutating func encode(_ value: Value, depth: String) throws -> String {
            switch value {
            case .none: return "null"
            case .bool(let b): return b ? "true" : "false"
            case .int(let i): return String(i)
            case .bigInt(let i): return String(i)
            case .float(let x): return number(x)
            case .str(let s): return PythonJSON.string(s, ensureASCII: ensureASCII)
            case .list(let l): return try container(ObjectIdentifier(l), "[", "]", l.items.map { (nil, $0) }, depth)
            case .tuple(let t): return try container(nil, "[", "]", t.map { (nil, $0) }, depth)
            case .dict(let d):
                var pairs = try d.items.map { (Optional(try key($0.0)), $0.1) }
                if sortKeys { pairs.sort { $0.0!.unicodeScalars.lexicographicallyPrecedes($1.0!.unicodeScalars) } }
                return try container(ObjectIdentifier(d), "{", "}", pairs, depth)
            default: throw PyError.type("Object of type \(value.typeName) is not JSON serializable")
            }
        }

        private mutating func container(_ id: ObjectIdentifier?, _ opening: String, _ closing: String,
                                        _ items: [(String?, Value)], _ depth: String) throws -> String {
            guard !items.isEmpty else { return opening + closing }
            if let id {
                guard open.insert(id).inserted else { throw PyError.value("Circular reference detected") }
            }
            defer { if let id { open.remove(id) } }
            let inner = indent.map { depth + $0 } ?? ""
            var parts = [String]()
            for (key, value) in items {
                let text = try encode(value, depth: inner)
                parts.append(key.map { PythonJSON.string($0, ensureASCII: ensureASCII) + keySeparator + text } ?? text)
            }
            guard indent != nil else { return opening + parts.joined(separator: itemSeparator) + closing }
            return opening + "\n" + inner + parts.joined(separator: itemSeparator + "\n" + inner) + "\n" + depth + closing
        }

        /// A dict key as JSON writes it: strings as they are, numbers, booleans and None as their JSON text.
        private func key(_ key: Value) throws -> String {
            switch key {
            case .str(let s): return s
            case .int, .bigInt, .bool, .none: return try Encoder(ensureASCII: true, sortKeys: false).plain(key)
            case .float(let x): return number(x)
            default: throw PyError.type("keys must be str, int, float, bool or None, not \(key.typeName)")
            }
        }

        private func plain(_ value: Value) throws -> String {
            var copy = self
            return try copy.encode(value, depth: "")
        }

        private func number(_ x: Double) -> String {
            x.isNaN ? "NaN" : x.isInfinite ? (x < 0 ? "-Infinity" : "Infinity") : pythonRepr(x)
        }
    }

    /// `json.loads(text)`: objects as dicts in their order, numbers as ints or floats.
    static func decode(_ text: String) throws -> Value {
        do {
            return try Value(json: JSONValue(parsing: text))
        } catch let error as JSONParseError {
            let prefix = text.utf8.prefix(error.offset)
            let line = prefix.filter { $0 == UInt8(ascii: "\n") }.count + 1
            let column = error.offset - (prefix.lastIndex(of: UInt8(ascii: "\n")).map { prefix.distance(from: prefix.startIndex, to: $0) + 1 } ?? 0) + 1
            throw PyError.value("\(pythonReason(error.reason)): line \(line) column \(column) (char \(error.offset))")
        }
    }

    /// CPython's wording for each parse error.
    private static func pythonReason(_ reason: String) -> String {
        [
            "expected a value": "Expecting value", "extra data": "Extra data",
            "expected a string key": "Expecting property name enclosed in double quotes",
            "expected ':'": "Expecting ':' delimiter", "expected ',' or '}'": "Expecting ',' delimiter",
            "expected ',' or ']'": "Expecting ',' delimiter", "unterminated string": "Unterminated string starting at",
            "invalid escape": "Invalid \\escape", "control character in a string": "Invalid control character at",
        ][reason] ?? reason
    }
}

extension Value {
    /// A JSON value as `json.loads` gives it: objects as dicts in their key order, numbers as ints or floats.
    public init(json: JSONValue) throws {
        switch json {
        case .null: self = .none
        case .bool(let b): self = .bool(b)
        case .int(let n): self = .int(n)
        case .bigInteger(let digits): self = .integer(BigInt(digits)!)
        case .double(let x): self = .float(x)
        case .string(let s): self = .str(s)
        case .array(let items): self = .list(PyList(try items.map(Value.init(json:))))
        case .object(let fields): self = .dict(try PyDict(fields.map { (.str($0.key), try Value(json: $0.value)) }))
        }
    }
}
