import Foundation
import Language
import Tokenizers

/// A stage class of huggingface/tokenizers as Python constructs it (`normalizers.BertNormalizer(lowercase=False)`):
/// its parameters, declared once with their defaults as `help()` writes them (`"left=True, right=True"`), and what it
/// builds from the bound arguments.
final class StageClass: CallableObject {
    /// The module it is defined in: `normalizers`, `pre_tokenizers`, `models`, `trainers`, `processors` or `decoders`.
    let module: String
    let name: String
    let signature: String
    private let parameters: [(name: String, default: Value?)]
    private let make: (StageArguments) throws -> Value
    /// The class's own functions (`ByteLevel.alphabet()`).
    private let members: [String: Value]

    init(_ module: String, _ name: String, _ signature: String = "", members: [String: Value] = [:],
         make: @escaping (StageArguments) throws -> Value) {
        (self.module, self.name, self.signature, self.members, self.make) = (module, name, signature, members, make)
        parameters = signature.split(separator: ",").map { item in
            let parts = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            return (parts[0], parts.count == 2 ? Self.literal(parts[1]) : nil)
        }
    }

    /// A default as the signature writes it: `True`, `False`, `None`, `[]`, an int, a float, a quoted str.
    private static func literal(_ text: String) -> Value {
        switch text {
        case "True": return .bool(true)
        case "False": return .bool(false)
        case "None": return .none
        case "[]": return .list(PyList([]))
        default: return Int(text).map(Value.int) ?? Double(text).map(Value.float) ?? .str(String(text.dropFirst().dropLast()))
        }
    }

    func attribute(_ name: String, _ interpreter: Interpreter) throws -> Value? { members[name] }
    var attributeNames: [String] { members.keys.sorted() }

    var typeName: String { "type" }
    var repr: String { "<class 'tokenizers.\(module).\(name)'>" }
    var help: String? { "\(name)(\(signature)): huggingface/tokenizers' tokenizers.\(module).\(name)" }

    func call(_ arguments: Arguments, _ interpreter: Interpreter) throws -> Value? {
        let (required, most, given) = (parameters.prefix { $0.default == nil }.count, parameters.count, arguments.positional.count)
        if given > most {  // worded as pyo3 (and CPython) word it, with the range of counts
            let takes = required == most ? "\(most) positional argument\(most == 1 ? "" : "s")" : "from \(required) to \(most) positional arguments"
            throw PyError.type("\(name).__new__() takes \(takes) but \(given) \(given == 1 ? "was" : "were") given")
        }
        let slots = try arguments.bind("\(name).__new__", parameters.map(\.name), required: required)
        var values = [String: Value]()
        for (parameter, slot) in zip(parameters, slots) { values[parameter.name] = slot ?? parameter.default }
        return try make(StageArguments(values: values))
    }
}

/// The bound arguments of a stage class's call, read by name with the TypeErrors the Rust bindings (pyo3) give.
struct StageArguments {
    let values: [String: Value]

    private func value(_ name: String) -> Value { values[name] ?? .none }

    func bool(_ name: String) throws -> Bool {
        guard case .bool(let flag) = value(name) else { throw mismatch(name, "PyBool") }
        return flag
    }

    /// An int that is not negative (a Rust `usize` or `u32`).
    func unsigned(_ name: String) throws -> Int {
        let number = try int(name)
        guard number >= 0 else { throw PyError(.overflowError, "can't convert negative int to unsigned") }
        return number
    }

    /// The argument as `read` reads it, or nil for None (`a.optional("unk_token", a.string)`).
    func optional<T>(_ name: String, _ read: (String) throws -> T) throws -> T? {
        if case .none = value(name) { return nil }
        return try read(name)
    }

    /// An int that fits a Rust `u32`.
    func unsigned32(_ name: String) throws -> Int {
        let number = try int(name)
        guard (0...Int(UInt32.max)).contains(number) else { throw PyError(.overflowError, "out of range integral type conversion attempted") }
        return number
    }

    /// A float, or an int taken as one (a Rust `f64`).
    func double(_ name: String) throws -> Double {
        switch value(name) {
        case .float(let number): return number
        case .int(let number): return Double(number)
        default: throw mismatch(name, "PyFloat")
        }
    }

    func string(_ name: String) throws -> String {
        guard case .str(let text) = value(name) else { throw mismatch(name, "PyString") }
        return text
    }

    func int(_ name: String) throws -> Int {
        guard case .int(let number) = value(name) else { throw mismatch(name, "PyInt") }
        return number
    }

    /// A list of strs (special tokens, an alphabet's characters).
    func strings(_ name: String) throws -> [String] {
        guard case .list(let list) = value(name) else { throw mismatch(name, "PyList") }
        return try list.items.map { try $0.asString("argument '\(name)': each item") }
    }

    /// Whether the argument was given as something other than None.
    func isGiven(_ name: String) -> Bool {
        if case .none = value(name) { return false }
        return true
    }

    /// A str, matched as it is, or a `tokenizers.Regex`.
    func pattern(_ name: String) throws -> Replace.Pattern {
        switch value(name) {
        case .str(let text): return .string(text)
        case .object(let regex as RegexObject): return .regex(regex.pattern)
        default: throw PyError.type("argument '\(name)': expected a str or a tokenizers.Regex, got '\(value(name).typeName)'")
        }
    }

    /// A list of stage objects of type `Object` (a `Sequence`'s).
    func stages<Object>(_ name: String, of _: Object.Type, kind: String) throws -> [Object] {
        let items: [Value]
        switch value(name) {
        case .list(let list): items = list.items
        case .tuple(let tuple): items = tuple
        default: throw mismatch(name, "PyList")
        }
        return try items.map { item in
            guard case .object(let object as Object) = item else {
                throw PyError.type("argument '\(name)': expected a \(kind), got '\(item.typeName)'")
            }
            return object
        }
    }

    /// One of the names `T` has (`behavior="isolated"`); another is the ValueError `wrong` words for it.
    func choice<T: RawRepresentable>(_ name: String, of _: T.Type, wrong: (String) -> String) throws -> T where T.RawValue == String {
        let text = try string(name)
        guard let choice = T(rawValue: text) else { throw PyError.value(wrong(text)) }
        return choice
    }

    /// Metaspace's `replacement` (one character) and `prepend_scheme`, which the pre-tokenizer and the decoder take.
    func metaspace() throws -> (replacement: Unicode.Scalar, scheme: PrependScheme) {
        let replacement = try string("replacement")
        guard replacement.unicodeScalars.count == 1, let scalar = replacement.unicodeScalars.first else {
            throw PyError.value("expected a string of length 1")
        }
        let scheme = try choice("prepend_scheme", of: PrependScheme.self) {
            "\($0) is an unknown variant, should be one of ['first', 'never', 'always']"
        }
        return (scalar, scheme)
    }

    private func mismatch(_ name: String, _ type: String) -> PyError {
        PyError.type("argument '\(name)': '\(value(name).typeName)' object cannot be converted to '\(type)'")
    }
}
