import Language
import TensorCore

/// One example: its fields in order, tensors and tuples read as lists (transformers' `to_py_obj`).
struct CollatorExample {
    let keys: [String]
    private let fields: [String: Value]

    /// The examples of `features`: a list of dicts or encodings, or one dict or encoding of lists (a batch).
    static func all(_ features: Value, collator: String) throws -> [CollatorExample] {
        switch features {
        case .dict, .object(_ as MappingObject):
            let columns = try Iteration.mappingItems(features).map { (try $0.0.asString("a feature name"), try Iteration.materialize($0.1)) }
            let count = columns.first?.1.count ?? 0
            return (0..<count).map { i in CollatorExample(columns.map { ($0.0, $0.1.indices.contains(i) ? $0.1[i] : .none) }) }
        default:
            return try Iteration.materialize(features).map { item in
                switch item {
                case .dict, .object(_ as MappingObject):
                    return CollatorExample(try Iteration.mappingItems(item).map { (try $0.0.asString("a feature name"), $0.1) })
                default: throw PyError.type("\(collator) takes a list of dicts, not of \(item.typeName)")
                }
            }
        }
    }

    private init(_ pairs: [(String, Value)]) {
        keys = pairs.map(\.0)
        fields = Dictionary(pairs.map { ($0.0, Self.pythonObject($0.1)) }, uniquingKeysWith: { first, _ in first })
    }

    /// The field `key` as given (a list for a tensor or tuple), nil when the example has none.
    subscript(key: String) -> Value? { fields[key] }

    /// The field `key`; a missing attention mask is all ones.
    func field(_ key: String) throws -> Value {
        if let field = fields[key] { return field }
        if key == "attention_mask" { return .list(PyList(try inputIDs().map { _ in .int(1) })) }
        throw PyError.key(.str(key))
    }

    /// The input ids, which every example must have (transformers' error otherwise).
    func inputIDs() throws -> [Value] {
        guard let ids = fields["input_ids"] else {
            throw PyError.value("You should supply an encoding or a list of encodings to this method that includes input_ids, but you provided \(Value.list(PyList(keys.map(Value.str))).repr)")
        }
        if case .list(let items) = ids { return items.items }
        return []
    }

    private static func pythonObject(_ value: Value) -> Value {
        switch value {
        case .tensor(let t) where t.rank > 0: return TensorMethods.toList(t)
        case .tuple(let items): return .list(PyList(items))
        default: return value
        }
    }
}
