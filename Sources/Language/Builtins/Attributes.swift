import Foundation
import Models
import TensorCore

/// Attributes and methods of the built-in value types: str, list, dict (and BatchEncoding), tensors, sizes,
/// model outputs.
enum Attributes {
    static func lookup(_ value: Value, _ name: String, _ interpreter: Interpreter) throws -> Value? {
        switch value {
        case .str(let s): return StringMethods.method(s, name)
        case .list(let l): return ListMethods.method(l, name, interpreter)
        case .dict(let d): return try DictMethods.method(d, name)
        case .tensor(let t): return try TensorMethods.attribute(t, name, interpreter)
        case .output(let o): return outputAttribute(o, name)
        case .size(let s):
            if name == "numel" { return method(name) { try $0.expectNone(name); return .int(s.reduce(1, *)) } }
            return nil
        case .dtype(let d):
            return name == "is_floating_point" ? .bool(d.isFloatingPoint) : nil
        case .float(let f):
            return name == "is_integer" ? method(name) { _ in .bool(f.rounded() == f) } : nil
        default: return nil
        }
    }

    /// A bound method value.
    static func method(_ name: String, _ body: @escaping (Arguments) throws -> Value) -> Value {
        .object(BuiltinFunction(name, body))
    }

    /// Names for completion, per value type.
    static func names(_ value: Value) -> [String] {
        switch value {
        case .str: return StringMethods.names
        case .list: return ListMethods.names
        case .dict(let d):
            let keys: [String] = d.typeName == "BatchEncoding" ? d.keys.compactMap { if case .str(let k) = $0 { return k } else { return nil } } : []
            return DictMethods.names + keys + d.extraAttributes.keys.sorted()
        case .tensor: return TensorMethods.names
        case .output(let o): return o.fields.map(\.name) + ["keys", "values", "items", "to_tuple"]
        case .object(let o): return o.attributeNames
        default: return []
        }
    }

    private static func outputAttribute(_ o: ModelOutput, _ name: String) -> Value? {
        if o.hasField(name) { return o[name].map(Value.tensor) ?? Value.none }
        switch name {
        case "keys": return method(name) { _ in .object(DictView("keys", o.keys.map(Value.str))) }
        case "values": return method(name) { _ in .object(DictView("values", o.keys.map { .tensor(o[$0]!) })) }
        case "items": return method(name) { _ in .object(DictView("items", o.keys.map { .tuple([.str($0), .tensor(o[$0]!)]) })) }
        case "to_tuple": return method(name) { _ in .tuple(o.keys.map { .tensor(o[$0]!) }) }
        default: return nil
        }
    }
}

/// Converting argument values to Swift types, with Python's TypeErrors.
extension Value {
    func asInt(_ what: String) throws -> Int {
        switch self {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        default:
            if case .tensor(let t) = self, t.count == 1, t.dtype == .int64, case .int(let i) = try t.item() { return Int(i) }
            throw PyError.type("\(what) must be an integer, not '\(typeName)'")
        }
    }

    func asDouble(_ what: String) throws -> Double {
        switch self {
        case .int(let i): return Double(i)
        case .bool(let b): return b ? 1 : 0
        case .float(let f): return f
        case .tensor(let t) where t.count == 1: return try t.item().doubleValue
        default: throw PyError.type("\(what) must be a real number, not '\(typeName)'")
        }
    }

    func asString(_ what: String) throws -> String {
        guard case .str(let s) = self else { throw PyError.type("\(what) must be str, not \(typeName)") }
        return s
    }

    func asTensor(_ what: String) throws -> Tensor {
        guard case .tensor(let t) = self else { throw PyError.type("\(what) must be a Tensor, not \(typeName)") }
        return t
    }

    /// A Python `int`/`float` from a tensor element.
    init(_ scalar: Scalar) {
        switch scalar {
        case .int(let i): self = .int(Int(i))
        case .float(let f): self = .float(f)
        }
    }
}
