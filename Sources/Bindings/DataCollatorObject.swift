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
        if let kind = try a[4].given?.asString("return_tensors"), kind != "pt" {
            throw PyError.notImplemented("DataCollatorWithPadding(return_tensors='\(kind)'): sbpl's batches are torch tensors")
        }
        if padding == .maxLength && maxLength == nil { throw PyError.value("max_length must be given to pad to it") }
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
        let features = try Iteration.materialize(try arguments.bind("DataCollatorWithPadding", ["features"], required: 1)[0]!)
        let examples = try features.map(Example.init)
        guard let first = examples.first else { throw PyError.index("list index out of range") }
        let length = try targetLength(examples)
        var fields = [(name: String, tensor: Tensor)]()
        for key in first.keys + (first.keys.contains("attention_mask") ? [] : ["attention_mask"]) {
            let values = try examples.map { try $0.field(key) }
            fields.append((key, try Self.tensor(key, try values.map { try padded($0, key: key, to: length) })))
        }
        for label in ["label", "label_ids"] {
            if let index = fields.firstIndex(where: { $0.name == label }) { fields.append(("labels", fields.remove(at: index).tensor)) }
        }
        return .object(try EncodingObject(BatchEncoding(tensors: fields)))
    }

    /// The length every sequence is padded to: the longest (or `max_length`), rounded up to `pad_to_multiple_of`.
    private func targetLength(_ examples: [Example]) throws -> Int? {
        var length: Int
        switch padding {
        case .doNotPad: return nil
        case .longest: length = try examples.map { try $0.field("input_ids").ids?.count ?? 0 }.max() ?? 0
        case .maxLength: length = maxLength ?? 0
        }
        if let multiple = padToMultipleOf, multiple > 0, length % multiple != 0 { length = (length / multiple + 1) * multiple }
        return length
    }

    /// One example's field padded as `tokenizer.pad` pads it: ids with the pad token, the attention mask with 0, token
    /// types with 0, the special-tokens mask with 1, on the tokenizer's padding side; other fields as they are.
    private func padded(_ value: Example.Field, key: String, to length: Int?) throws -> Example.Field {
        guard case .ids(let ids) = value, let length, ids.count < length else { return value }
        let fill: Int
        switch key {
        case "input_ids":
            guard let pad = tokenizer.tokenizer.padID else {
                throw PyError.value("Asking to pad but the tokenizer does not have a padding token. Please select a token to use as `pad_token` `(tokenizer.pad_token = tokenizer.eos_token e.g.)` or add a new pad token via `tokenizer.add_special_tokens({'pad_token': '[PAD]'})`.")
            }
            fill = pad
        case "attention_mask", "token_type_ids": fill = 0
        case "special_tokens_mask": fill = 1
        default: return value
        }
        let padding = [Int](repeating: fill, count: length - ids.count)
        return .ids(tokenizer.tokenizer.paddingSide == .left ? padding + ids : ids + padding)
    }

    /// A field's values across the batch as one tensor: `[batch, length]` ids, or `[batch]` labels (int64, or float32
    /// for float labels), with transformers' error for sequences of different lengths.
    private static func tensor(_ key: String, _ values: [Example.Field]) throws -> Tensor {
        switch values[0] {
        case .ids:
            let rows = values.compactMap(\.ids)
            guard rows.count == values.count, rows.allSatisfy({ $0.count == rows[0].count }) else {
                throw PyError.value("Unable to create tensor, you should probably activate truncation and/or padding with 'padding=True' 'truncation=True' to have batched tensors with the same length. Perhaps your features (`\(key)` in this case) have excessive nesting (inputs type `list` where type `int` is expected).")
            }
            return Tensor(ints: rows.flatMap { $0.map(Int64.init) }, shape: [rows.count, rows[0].count])
        case .number:
            let numbers = values.compactMap(\.number)
            guard numbers.count == values.count else { throw PyError.value("Unable to create tensor from the batch's `\(key)`") }
            if numbers.allSatisfy({ $0.isInteger }) { return Tensor(ints: numbers.map { Int64($0.value) }, shape: [numbers.count]) }
            return Tensor(floats: numbers.map { Float($0.value) }, shape: [numbers.count])
        }
    }

    /// One example: its fields in order, each a sequence of ids or a number (a label).
    private struct Example {
        enum Field {
            case ids([Int])
            case number(value: Double, isInteger: Bool)

            var ids: [Int]? { if case .ids(let ids) = self { ids } else { nil } }
            var number: (value: Double, isInteger: Bool)? { if case .number(let v, let i) = self { (v, i) } else { nil } }
        }

        let keys: [String]
        private let fields: [String: Field]

        init(_ item: Value) throws {
            let pairs: [(String, Value)]
            switch item {
            case .dict(let d): pairs = try d.items.map { (try $0.0.asString("a feature name"), $0.1) }
            case .object(let m as MappingObject): pairs = m.mappingKeys.compactMap { key in m.mappingValue(key).map { (key, $0) } }
            default: throw PyError.type("DataCollatorWithPadding takes a list of dicts, not of \(item.typeName)")
            }
            keys = pairs.map(\.0)
            fields = Dictionary(try pairs.map { ($0.0, try Self.field($0.1, $0.0)) }, uniquingKeysWith: { first, _ in first })
        }

        /// The field `key`; an example without it is transformers' KeyError. A missing attention mask is all ones.
        func field(_ key: String) throws -> Field {
            if let field = fields[key] { return field }
            if key == "attention_mask", case .ids(let ids)? = fields["input_ids"] { return .ids(ids.map { _ in 1 }) }
            throw PyError.key(.str(key))
        }

        private static func field(_ value: Value, _ key: String) throws -> Field {
            switch value {
            case .int, .bool: return .number(value: Double(try value.asInt(key)), isInteger: true)
            case .float(let f): return .number(value: f, isInteger: false)
            case .tensor(let t) where t.rank == 0:
                return t.dtype.isFloatingPoint ? .number(value: Double(t.floats()[0]), isInteger: false) : .number(value: Double(t.int64s()[0]), isInteger: true)
            case .tensor(let t) where t.rank == 1: return .ids(t.int64s().map(Int.init))
            default: return .ids(try Iteration.materialize(value).map { try $0.asInt(key) })
            }
        }
    }
}
