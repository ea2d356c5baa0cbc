import Language
import TensorCore
import Tokenizers

/// transformers' `DataCollatorWithPadding(tokenizer, padding=True, max_length=None, pad_to_multiple_of=None,
/// return_tensors="pt")`: called on a list of examples (dicts or encodings of id lists and labels), it pads them
/// together as `tokenizer.pad` does and returns a `BatchEncoding` of tensors, `label`/`label_ids` renamed `labels`:
/// the `collate_fn` of chapter 3's `DataLoader`.
final class PaddingCollator: DataCollator {
    static let name = "DataCollatorWithPadding"
    let tokenizer: TokenizerObject
    private let padder: FeaturePadder

    init(_ arguments: Arguments) throws {
        let a = try arguments.bind(Self.name, ["tokenizer", "padding", "max_length", "pad_to_multiple_of", "return_tensors"], required: 1)
        tokenizer = try Self.tokenizer(a[0]!)
        padder = try FeaturePadder(tokenizer: tokenizer, padding: a[1], maxLength: a[2], padToMultipleOf: a[3])
        try Self.checkTensors(a[4])
    }

    var settings: [(name: String, repr: String)] {
        padder.settings + [("return_tensors", "'pt'")]
    }

    static let members = MemberTable<PaddingCollator>(name, [
        .attribute("tokenizer", "the tokenizer whose pad token it pads with") { .object($0.tokenizer) },
    ])

    func collate(_ examples: [CollatorExample], _ interpreter: Interpreter) throws -> Value {
        var fields = try padder.pad(examples)
        for label in ["label", "label_ids"] {
            if let index = fields.firstIndex(where: { $0.name == label }) { fields.append(("labels", fields.remove(at: index).tensor)) }
        }
        return .object(try EncodingObject(BatchEncoding(tensors: fields)))
    }
}
