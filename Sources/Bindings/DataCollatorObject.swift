import Language
import TensorCore
import Tokenizers

/// transformers' `DataCollatorWithPadding(tokenizer, padding=True, max_length=None, pad_to_multiple_of=None,
/// return_tensors="pt")`: called on a list of examples (dicts or encodings of id lists and labels), it pads them
/// together as `tokenizer.pad` does and returns a `BatchEncoding` of tensors, `label`/`label_ids` renamed `labels`:
/// the `collate_fn` of chapter 3's `DataLoader`.
final class DataCollatorObject: CallableObject, MemberTableObject {
    private let tokenizer: TokenizerObject
    private let padding: Padding
    /// `padding` as given, for the repr.
    private let paddingGiven: Value
    private let maxLength: Int?, padToMultipleOf: Int?

    /// The class `transformers.DataCollatorWithPadding`.
    static var type: Value { .object(TypeObject("DataCollatorWithPadding", qualified: "transformers.data.data_collator.DataCollatorWithPadding") {
        .object(try DataCollatorObject($0))
    }) }

    private init(_ arguments: Arguments) throws {
        let a = try arguments.bind("DataCollatorWithPadding", ["tokenizer", "padding", "max_length", "pad_to_multiple_of", "return_tensors"],
                                   required: 1)
        guard case .object(let tokenizer as TokenizerObject) = a[0]! else {
            throw PyError.type("DataCollatorWithPadding takes a tokenizer, not \(a[0]!.typeName)")
        }
        self.tokenizer = tokenizer
        paddingGiven = a[1] ?? .bool(true)
        padding = try TokenizerObject.padding(paddingGiven)
        maxLength = try a[2].given?.asInt("max_length")
        padToMultipleOf = try a[3].given?.asInt("pad_to_multiple_of")
        if let kind = a[4], kind.repr != "'pt'" {
            throw PyError.notImplemented("DataCollatorWithPadding(return_tensors=\(kind.repr)): sbpl's batches are torch tensors ('pt')")
        }
    }

    var typeName: String { "DataCollatorWithPadding" }
    var qualifiedTypeName: String? { "transformers.data.data_collator.DataCollatorWithPadding" }
    var repr: String {
        "DataCollatorWithPadding(tokenizer=\(tokenizer.repr), padding=\(paddingGiven.repr), max_length=\(maxLength.map(String.init) ?? "None"), pad_to_multiple_of=\(padToMultipleOf.map(String.init) ?? "None"), return_tensors='pt')"
    }

    static let members = MemberTable<DataCollatorObject>("DataCollatorWithPadding", [
        .attribute("tokenizer", "the tokenizer whose pad token it pads with") { .object($0.tokenizer) },
    ])

    func call(_ arguments: Arguments, _ interpreter: Interpreter) throws -> Value? {
        let examples = try Example.all(try arguments.bind("DataCollatorWithPadding", ["features"], required: 1)[0]!)
        guard let first = examples.first else { throw PyError.index("list index out of range") }
        if padding != .doNotPad && tokenizer.tokenizer.padID == nil {
            throw PyError.value("Asking to pad but the tokenizer does not have a padding token. Please select a token to use as `pad_token` `(tokenizer.pad_token = tokenizer.eos_token e.g.)` or add a new pad token via `tokenizer.add_special_tokens({'pad_token': '[PAD]'})`.")
        }
        // how many positions each example's input ids lack
        let lacking = try targetLength(examples).map { length in try examples.map { length - (try $0.inputIDs().count) } }
        var fields = [(name: String, tensor: Tensor)]()
        for key in first.keys + (first.keys.contains("attention_mask") ? [] : ["attention_mask"]) {
            let values = try examples.indices.map { try padded(try examples[$0].field(key), key: key, by: lacking?[$0] ?? 0) }
            fields.append((key, try EncodingObject.fieldTensor(key, .list(PyList(values)))))
        }
        for label in ["label", "label_ids"] {
            if let index = fields.firstIndex(where: { $0.name == label }) { fields.append(("labels", fields.remove(at: index).tensor)) }
        }
        return .object(try EncodingObject(BatchEncoding(tensors: fields)))
    }

    /// The length every sequence is padded to: the longest (or `max_length`, else the model's), rounded up to
    /// `pad_to_multiple_of`.
    private func targetLength(_ examples: [Example]) throws -> Int? {
        var length: Int
        switch padding {
        case .doNotPad: return nil
        case .longest: length = try examples.map { try $0.inputIDs().count }.max() ?? 0
        case .maxLength: length = try maxLength ?? tokenizer.tokenizer.modelMaxLength ?? examples.map { try $0.inputIDs().count }.max() ?? 0
        }
        if let multiple = padToMultipleOf, multiple > 0, length % multiple != 0 { length = (length / multiple + 1) * multiple }
        return length
    }

    /// One example's field padded as `tokenizer.pad` pads it, by `count` positions: ids with the pad token, the
    /// attention mask and token types with 0, the special-tokens mask with 1, on the tokenizer's padding side; other
    /// fields as they are.
    private func padded(_ value: Value, key: String, by count: Int) throws -> Value {
        guard count > 0, case .list(let items) = value else { return value }
        let fill: Int
        switch key {
        case "input_ids": fill = tokenizer.tokenizer.padID ?? 0
        case "attention_mask", "token_type_ids": fill = 0
        case "special_tokens_mask": fill = 1
        default: return value
        }
        let padding = [Value](repeating: .int(fill), count: count)
        return .list(PyList(tokenizer.tokenizer.paddingSide == .left ? padding + items.items : items.items + padding))
    }

    /// One example: its fields in order, tensors and tuples read as lists (transformers' `to_py_obj`).
    private struct Example {
        let keys: [String]
        private let fields: [String: Value]

        /// The examples of `features`: a list of dicts or encodings, or one dict or encoding of lists (a batch).
        static func all(_ features: Value) throws -> [Example] {
            switch features {
            case .dict, .object(_ as MappingObject):
                let columns = try Iteration.mappingItems(features).map { (try $0.0.asString("a feature name"), try Iteration.materialize($0.1)) }
                let count = columns.first?.1.count ?? 0
                return (0..<count).map { i in Example(columns.map { ($0.0, $0.1.indices.contains(i) ? $0.1[i] : .none) }) }
            default:
                return try Iteration.materialize(features).map { item in
                    switch item {
                    case .dict, .object(_ as MappingObject):
                        return Example(try Iteration.mappingItems(item).map { (try $0.0.asString("a feature name"), $0.1) })
                    default: throw PyError.type("DataCollatorWithPadding takes a list of dicts, not of \(item.typeName)")
                    }
                }
            }
        }

        private init(_ pairs: [(String, Value)]) {
            keys = pairs.map(\.0)
            fields = Dictionary(pairs.map { ($0.0, Self.pythonObject($0.1)) }, uniquingKeysWith: { first, _ in first })
        }

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
}
