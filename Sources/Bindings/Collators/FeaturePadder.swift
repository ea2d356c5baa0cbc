import Language
import TensorCore
import Tokenizers

/// `tokenizer.pad(features, padding, max_length, pad_to_multiple_of, return_tensors="pt")` as the collators call
/// it: every example's fields padded to one length (ids with the pad token, masks and token types with 0, the
/// special-tokens mask with 1, on the tokenizer's padding side; an attention mask made when missing) and each field
/// made one tensor.
struct FeaturePadder {
    let tokenizer: TokenizerObject
    let padding: Padding
    let maxLength: Int?
    let padToMultipleOf: Int?
    /// `padding` as given, for the collators' reprs.
    private let paddingGiven: Value

    init(tokenizer: TokenizerObject, padding: Padding, maxLength: Int?, padToMultipleOf: Int?) {
        (self.tokenizer, self.padding, self.maxLength, self.padToMultipleOf) = (tokenizer, padding, maxLength, padToMultipleOf)
        paddingGiven = .bool(padding != .doNotPad)
    }

    /// A collator's `padding=True, max_length=None, pad_to_multiple_of=None` arguments, as given.
    init(tokenizer: TokenizerObject, padding: Value?, maxLength: Value?, padToMultipleOf: Value?) throws {
        self.tokenizer = tokenizer
        paddingGiven = padding ?? .bool(true)
        self.padding = try TokenizerObject.padding(paddingGiven)
        self.maxLength = try maxLength.given?.asInt("max_length")
        self.padToMultipleOf = try padToMultipleOf.given?.asInt("pad_to_multiple_of")
    }

    /// The three settings as a collator's repr shows them.
    var settings: [(name: String, repr: String)] {
        [("padding", paddingGiven.repr), ("max_length", maxLength.map(String.init) ?? "None"),
         ("pad_to_multiple_of", padToMultipleOf.map(String.init) ?? "None")]
    }

    /// The examples' fields but `skipping`, padded, as tensors.
    func pad(_ examples: [CollatorExample], skipping: Set<String> = []) throws -> [(name: String, tensor: Tensor)] {
        if padding != .doNotPad && tokenizer.tokenizer.padID == nil {
            throw PyError.value("Asking to pad but the tokenizer does not have a padding token. Please select a token to use as `pad_token` `(tokenizer.pad_token = tokenizer.eos_token e.g.)` or add a new pad token via `tokenizer.add_special_tokens({'pad_token': '[PAD]'})`.")
        }
        let keys = examples[0].keys.filter { !skipping.contains($0) }
        // how many positions each example's input ids lack
        let lacking = try targetLength(examples).map { length in try examples.map { length - (try $0.inputIDs().count) } }
        return try (keys + (keys.contains("attention_mask") ? [] : ["attention_mask"])).map { key in
            let values = try examples.indices.map { try padded(try examples[$0].field(key), key: key, by: lacking?[$0] ?? 0) }
            return (key, try EncodingObject.fieldTensor(key, .list(PyList(values))))
        }
    }

    /// The length every sequence is padded to: the longest (or `max_length`, else the model's), rounded up to
    /// `pad_to_multiple_of`.
    private func targetLength(_ examples: [CollatorExample]) throws -> Int? {
        var length: Int
        switch padding {
        case .doNotPad: return nil
        case .longest: length = try examples.map { try $0.inputIDs().count }.max() ?? 0
        case .maxLength: length = try maxLength ?? tokenizer.tokenizer.modelMaxLength ?? examples.map { try $0.inputIDs().count }.max() ?? 0
        }
        return Self.rounded(length, toMultipleOf: padToMultipleOf)
    }

    /// `length` rounded up to a multiple of `multiple` (when one is given).
    static func rounded(_ length: Int, toMultipleOf multiple: Int?) -> Int {
        guard let multiple, multiple > 0, length % multiple != 0 else { return length }
        return (length / multiple + 1) * multiple
    }

    /// One example's field padded by `count` positions; fields that are not the tokenizer's as they are.
    private func padded(_ value: Value, key: String, by count: Int) throws -> Value {
        let fill: Int
        switch key {
        case "input_ids": fill = tokenizer.tokenizer.padID ?? 0
        case "attention_mask", "token_type_ids": fill = 0
        case "special_tokens_mask": fill = 1
        default: return value
        }
        return try padded(value, with: fill, by: count)
    }

    /// `value` (a list) with `count` more `fill`s on the tokenizer's padding side.
    func padded(_ value: Value, with fill: Int, by count: Int) throws -> Value {
        guard count > 0 else { return value }
        let items = try Iteration.materialize(value)
        let padding = [Value](repeating: .int(fill), count: count)
        return .list(PyList(tokenizer.tokenizer.paddingSide == .left ? padding + items : items + padding))
    }
}
