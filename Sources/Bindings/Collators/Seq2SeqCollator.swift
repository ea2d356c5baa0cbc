import Language
import TensorCore
import Tokenizers

/// transformers' `DataCollatorForSeq2Seq(tokenizer, model=None, padding=True, max_length=None,
/// pad_to_multiple_of=None, label_pad_token_id=-100, return_tensors="pt")`: the inputs padded as `tokenizer.pad`
/// pads them, the target ids (`labels`, or `label`) padded to the longest with `label_pad_token_id` as `labels`
/// (None when no example has any), and, given an encoder-decoder `model`, its `decoder_input_ids`: the labels
/// shifted right after the decoder's start token, -100 read as padding.
final class Seq2SeqCollator: DataCollator {
    static let name = "DataCollatorForSeq2Seq"
    let tokenizer: TokenizerObject
    private let model: Value?
    private let padder: FeaturePadder
    private let labelPad: Int

    init(_ arguments: Arguments) throws {
        let a = try arguments.bind(Self.name, ["tokenizer", "model", "padding", "max_length", "pad_to_multiple_of", "label_pad_token_id", "return_tensors"],
                                   required: 1)
        tokenizer = try Self.tokenizer(a[0]!)
        model = a[1].given
        padder = try FeaturePadder(tokenizer: tokenizer, padding: a[2], maxLength: a[3], padToMultipleOf: a[4])
        labelPad = try a[5]?.asInt("label_pad_token_id") ?? -100
        try Self.checkTensors(a[6])
    }

    var settings: [(name: String, repr: String)] {
        [("model", model?.repr ?? "None")] + padder.settings + [("label_pad_token_id", String(labelPad)),
         ("return_tensors", "'pt'")]
    }

    static let members = MemberTable<Seq2SeqCollator>(name, [
        .attribute("tokenizer", "the tokenizer whose pad token it pads with") { .object($0.tokenizer) },
        .attribute("model", "the model whose decoder inputs it makes from the labels (or None)") { $0.model ?? .none },
        .attribute("label_pad_token_id", "what pads the labels") { .int($0.labelPad) },
    ])

    func collate(_ examples: [CollatorExample], _ interpreter: Interpreter) throws -> Value {
        let labelName = examples[0].keys.contains("label") ? "label" : "labels"
        let given = examples.map { $0[labelName] }
        var fields = try padder.pad(examples, skipping: [labelName])
        guard given.contains(where: { $0.given != nil }) else {
            let batch = try EncodingObject(BatchEncoding(tensors: fields))
            try batch.setMappingValue("labels", .none)
            return .object(batch)
        }
        let labels = try given.map { try $0.map { try Iteration.materialize($0) } ?? [] }
        let longest = labels.map(\.count).max() ?? 0
        let width = padder.padding == .maxLength ? padder.maxLength ?? longest : longest
        let length = FeaturePadder.rounded(width, toMultipleOf: padder.padToMultipleOf)
        let padded = try labels.map { padder.padding == .doNotPad ? .list(PyList($0)) : try padder.padded(.list(PyList($0)), with: labelPad, by: length - $0.count) }
        let tensor = try TorchModule.tensor(from: .list(PyList(padded)), dtype: .int64)
        fields.append(("labels", tensor))
        if let decoderInputs = try decoderInputs(tensor, interpreter) { fields.append(("decoder_input_ids", decoderInputs)) }
        return .object(try EncodingObject(BatchEncoding(tensors: fields)))
    }

    /// An encoder-decoder model's `prepare_decoder_input_ids_from_labels(labels)`: each row shifted right after the
    /// decoder start token, -100 replaced by the pad token; nil without such a model.
    private func decoderInputs(_ labels: Tensor, _ interpreter: Interpreter) throws -> Tensor? {
        guard let model, let config = try interpreter.attribute(model, "config"),
              try interpreter.attribute(config, "is_encoder_decoder")?.isTruthy() == true,
              let start = try interpreter.attribute(config, "decoder_start_token_id").given?.asInt("decoder_start_token_id")
        else { return nil }
        let pad = try interpreter.attribute(config, "pad_token_id").given?.asInt("pad_token_id") ?? 0
        let width = labels.shape[1], ids = labels.int64s()
        let shifted: [Int64] = (0..<labels.count).map { i in
            i % width == 0 ? Int64(start) : ids[i - 1] == -100 ? Int64(pad) : ids[i - 1]
        }
        return Tensor(ints: shifted, shape: labels.shape)
    }
}
