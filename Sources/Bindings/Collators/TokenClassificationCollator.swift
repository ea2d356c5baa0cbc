import Language
import TensorCore
import Tokenizers

/// transformers' `DataCollatorForTokenClassification(tokenizer, padding=True, max_length=None,
/// pad_to_multiple_of=None, label_pad_token_id=-100, return_tensors="pt")`: the tokenizer's fields padded as
/// `tokenizer.pad` pads them, and each example's labels (one per token) padded to the same length with
/// `label_pad_token_id` on the padding side, under the key they came with (`labels` or `label`).
final class TokenClassificationCollator: DataCollator {
    static let name = "DataCollatorForTokenClassification"
    let tokenizer: TokenizerObject
    private let padder: FeaturePadder
    private let labelPad: Int

    init(_ arguments: Arguments) throws {
        let a = try arguments.bind(Self.name, ["tokenizer", "padding", "max_length", "pad_to_multiple_of", "label_pad_token_id", "return_tensors"], required: 1)
        tokenizer = try Self.tokenizer(a[0]!)
        padder = try FeaturePadder(tokenizer: tokenizer, padding: a[1], maxLength: a[2], padToMultipleOf: a[3])
        labelPad = try a[4]?.asInt("label_pad_token_id") ?? -100
        try Self.checkTensors(a[5])
    }

    var settings: [(name: String, repr: String)] {
        padder.settings + [("label_pad_token_id", String(labelPad)),
         ("return_tensors", "'pt'")]
    }

    static let members = MemberTable<TokenClassificationCollator>(name, [
        .attribute("tokenizer", "the tokenizer whose pad token it pads with") { .object($0.tokenizer) },
        .attribute("label_pad_token_id", "what pads the labels") { .int($0.labelPad) },
    ])

    func collate(_ examples: [CollatorExample], _ interpreter: Interpreter) throws -> Value {
        let labelName = examples[0].keys.contains("label") ? "label" : "labels"
        var fields = try padder.pad(examples, skipping: [labelName])
        if examples[0][labelName] != nil {
            let length = fields.first { $0.name == "input_ids" }?.tensor.shape.last ?? 0
            let labels = try examples.map { example -> Value in
                let label = try example[labelName].map { try Iteration.materialize($0) } ?? []
                return try padder.padded(.list(PyList(label)), with: labelPad, by: length - label.count)
            }
            fields.append((labelName, try TorchModule.tensor(from: .list(PyList(labels)), dtype: .int64)))
        }
        return .object(try EncodingObject(BatchEncoding(tensors: fields)))
    }
}
