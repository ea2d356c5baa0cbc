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
        let length = try targetLength(examples)
        var fields = [(name: String, tensor: Tensor)]()
        for key in first.keys + (first.keys.contains("attention_mask") ? [] : ["attention_mask"]) {
            let values = try examples.map { example in try padded(try example.field(key), key: key, by: length.map { $0 - (try example.field("input_ids").sequence?.count ?? 0) } ?? 0) }
            fields.append((key, try Self.tensor(key, values)))
        }
        for label in ["label", "label_ids"] {
            if let index = fields.firstIndex(where: { $0.name == label }) { fields.append(("labels", fields.remove(at: index).tensor)) }
        }
        return .object(try EncodingObject(BatchEncoding(tensors: fields)))
    }

    /// The length every sequence is padded to: the longest (or `max_length`, else the model's), rounded up to
    /// `pad_to_multiple_of`.
    private func targetLength(_ examples: [Example]) throws -> Int? {
        let longest = try examples.map { try $0.field("input_ids").sequence?.count ?? 0 }.max() ?? 0
        var length: Int
        switch padding {
        case .doNotPad: return nil
        case .longest: length = longest
        case .maxLength: length = maxLength ?? tokenizer.tokenizer.modelMaxLength ?? longest
        }
        if let multiple = padToMultipleOf, multiple > 0, length % multiple != 0 { length = (length / multiple + 1) * multiple }
        return length
    }

    /// One example's field padded as `tokenizer.pad` pads it, by as many positions as its input ids lack: ids with
    /// the pad token, the attention mask and token types with 0, the special-tokens mask with 1, on the tokenizer's
    /// padding side; other fields as they are.
    private func padded(_ value: Example.Field, key: String, by count: Int) throws -> Example.Field {
        guard case .sequence(let values) = value, count > 0 else { return value }
        let fill: Int
        switch key {
        case "input_ids": fill = tokenizer.tokenizer.padID ?? 0
        case "attention_mask", "token_type_ids": fill = 0
        case "special_tokens_mask": fill = 1
        default: return value
        }
        let padding = [Scalar](repeating: .int(Int64(fill)), count: count)
        return .sequence(tokenizer.tokenizer.paddingSide == .left ? padding + values : values + padding)
    }

    /// A field's values across the batch as one tensor: `[batch, length]` sequences or `[batch]` numbers, bool when
    /// all are bools, float32 when one is a float, else int64 (as `torch.tensor` infers), with transformers' error
    /// for sequences of different lengths.
    private static func tensor(_ key: String, _ values: [Example.Field]) throws -> Tensor {
        let rows = values.compactMap(\.sequence), numbers = values.compactMap(\.number)
        if rows.count == values.count, rows.allSatisfy({ $0.count == rows[0].count }) {
            return tensor(of: rows.flatMap { $0 }, shape: [rows.count, rows.first?.count ?? 0])
        }
        if numbers.count == values.count { return tensor(of: numbers, shape: [numbers.count]) }
        throw PyError.value("Unable to create tensor, you should probably activate truncation and/or padding with 'padding=True' 'truncation=True' to have batched tensors with the same length. Perhaps your features (`\(key)` in this case) have excessive nesting (inputs type `list` where type `int` is expected).")
    }

    private static func tensor(of scalars: [Scalar], shape: [Int]) -> Tensor {
        if !scalars.isEmpty, scalars.allSatisfy({ if case .bool = $0 { true } else { false } }) {
            return Tensor(bools: scalars.map { $0.doubleValue != 0 }, shape: shape)
        }
        if scalars.contains(where: { if case .float = $0 { true } else { false } }) {
            return Tensor(floats: scalars.map { Float($0.doubleValue) }, shape: shape)
        }
        return Tensor(ints: scalars.map { Int64($0.doubleValue) }, shape: shape)
    }

    /// One example: its fields in order, each a sequence of numbers (ids, masks, a token classifier's labels) or a
    /// number (a label).
    private struct Example {
        enum Field {
            case sequence([Scalar])
            case number(Scalar)

            var sequence: [Scalar]? { if case .sequence(let s) = self { s } else { nil } }
            var number: Scalar? { if case .number(let n) = self { n } else { nil } }
        }

        let keys: [String]
        private let fields: [String: Field]

        /// The examples of `features`: a list of dicts or encodings, or one dict or encoding of lists (a batch).
        static func all(_ features: Value) throws -> [Example] {
            switch features {
            case .dict, .object(_ as MappingObject):
                let columns = try Iteration.mappingItems(features).map { (try $0.0.asString("a feature name"), try Iteration.materialize($0.1)) }
                let count = columns.first?.1.count ?? 0
                return try (0..<count).map { i in try Example(columns.map { ($0.0, $0.1.indices.contains(i) ? $0.1[i] : .none) }) }
            default:
                return try Iteration.materialize(features).map { item in
                    switch item {
                    case .dict, .object(_ as MappingObject):
                        return try Example(try Iteration.mappingItems(item).map { (try $0.0.asString("a feature name"), $0.1) })
                    default: throw PyError.type("DataCollatorWithPadding takes a list of dicts, not of \(item.typeName)")
                    }
                }
            }
        }

        private init(_ pairs: [(String, Value)]) throws {
            keys = pairs.map(\.0)
            fields = Dictionary(try pairs.map { ($0.0, try Self.field($0.1, $0.0)) }, uniquingKeysWith: { first, _ in first })
        }

        /// The field `key`; an example without input ids is transformers' error. A missing attention mask is all ones.
        func field(_ key: String) throws -> Field {
            if let field = fields[key] { return field }
            if key == "attention_mask", case .sequence(let ids)? = fields["input_ids"] { return .sequence(ids.map { _ in .int(1) }) }
            if key == "input_ids" {
                throw PyError.value("You should supply an encoding or a list of encodings to this method that includes input_ids, but you provided \(Value.list(PyList(keys.map(Value.str))).repr)")
            }
            throw PyError.key(.str(key))
        }

        private static func field(_ value: Value, _ key: String) throws -> Field {
            switch value {
            case .int, .bool, .float: return .number(try value.asScalar(key))
            case .tensor(let t) where t.rank == 0: return .number(try value.asScalar(key))
            case .tensor(let t): return .sequence(try t.unbound().map { try Value.tensor($0).asScalar(key) })
            case .list, .tuple: return .sequence(try Iteration.materialize(value).map { try $0.asScalar(key) })
            default:
                throw PyError.value("Unable to create tensor, you should probably activate truncation and/or padding with 'padding=True' 'truncation=True' to have batched tensors with the same length. Perhaps your features (`\(key)` in this case) have excessive nesting (inputs type `list` where type `int` is expected).")
            }
        }
    }
}
