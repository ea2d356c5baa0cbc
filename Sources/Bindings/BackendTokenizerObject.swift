import Foundation
import Language
import Tokenizers

/// huggingface/tokenizers' `Tokenizer`: a fast tokenizer's `tokenizer.backend_tokenizer` (also `_tokenizer`), or one
/// read with `Tokenizer.from_file("tokenizer.json")`. Chapter 6 of the course looks at its stages one by one
/// (`normalizer.normalize_str(text)`, `pre_tokenizer.pre_tokenize_str(text)`) and encodes with it (`encode(text)`,
/// whose `Encoding` has the ids, tokens, offsets, word ids, ...). The stages of one read from a file can be replaced;
/// a fast tokenizer's belong to it.
final class BackendTokenizerObject: MemberTableObject, AttributeSettable {
    private(set) var backend: Tokenizer
    /// Whether it was built or read from a file, so that its stages can be replaced and it can be trained.
    private let isOwn: Bool
    /// The model as Python built it (`Tokenizer(models.WordPiece(...))`), whose settings training keeps.
    private var modelObject: TokenizerModelObject

    init(_ backend: Tokenizer, isOwn: Bool = false, model: TokenizerModelObject? = nil) {
        (self.backend, self.isOwn) = (backend, isOwn)
        modelObject = model ?? TokenizerModelObject(backend.model)
    }

    var typeName: String { "Tokenizer" }
    var qualifiedTypeName: String? { "tokenizers.Tokenizer" }
    var repr: String { "<tokenizers.Tokenizer object>" }

    func setAttribute(_ name: String, _ value: Value) throws -> Bool {
        guard ["normalizer", "pre_tokenizer", "model", "post_processor", "decoder"].contains(name) else { return false }
        guard isOwn else { throw PyError(.notImplementedError, "sbpl does not support changing a fast tokenizer's \(name) yet") }
        switch (name, value) {
        case ("model", .object(let model as TokenizerModelObject)):
            backend = backend.replacingModel(model.model)
            modelObject = model
        case ("normalizer", .none): backend.normalizer = nil
        case ("normalizer", .object(let stage as NormalizerObject)): backend.normalizer = stage.normalizer
        case ("pre_tokenizer", .none): backend.preTokenizer = nil
        case ("pre_tokenizer", .object(let stage as PreTokenizerObject)): backend.preTokenizer = stage.preTokenizer
        case ("post_processor", .none): backend.postProcessor = nil
        case ("post_processor", .object(let stage as PostProcessorObject)): backend.postProcessor = stage.processor
        case ("decoder", .none): backend.decoder = nil
        case ("decoder", .object(let stage as DecoderObject)): backend.decoder = stage.decoder
        default:
            let kind = ["normalizer": "Normalizer", "pre_tokenizer": "PreTokenizer", "model": "Model", "post_processor": "PostProcessor",
                        "decoder": "Decoder"][name]!
            throw PyError.type("\(name) must be a tokenizers \(kind), not '\(value.typeName)'")
        }
        return true
    }

    static let members = MemberTable<BackendTokenizerObject>("Tokenizer", [
        .attribute("normalizer", "the first stage, which cleans the text (None when there is none)") { o in
            o.backend.normalizer.map { .object(NormalizerObject($0)) } ?? .none
        },
        .attribute("pre_tokenizer", "the stage that splits the text into words (None when there is none)") { o in
            o.backend.preTokenizer.map { .object(PreTokenizerObject($0)) } ?? .none
        },
        .attribute("model", "the model that cuts words into tokens") { o in .object(o.modelObject) },
        .attribute("post_processor", "the stage that adds the special tokens (None when there is none)") { o in
            o.backend.postProcessor.map { .object(PostProcessorObject($0)) } ?? .none
        },
        .attribute("decoder", "the stage that turns tokens back into text (None when there is none)") { o in
            o.backend.decoder.map { .object(DecoderObject($0)) } ?? .none
        },
        .method("train_from_iterator", "iterator, trainer=None, length=None", "trains the model on the texts (or lists of texts)") { o, call in
            try o.train(on: try TrainerObject.texts(call[0]!), call[1], call.interpreter)
            return .none
        },
        .method("train", "files, trainer=None", "trains the model on the files' lines") { o, call in
            var texts = [String]()
            for file in try Iteration.materialize(call[0]!) {
                let path = try file.asString("a training file")
                guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                    throw PyError(.exception, "No such file or directory (os error 2): \(path)")
                }
                texts += linesWithEndings(text)
            }
            try o.train(on: texts, call[1], call.interpreter)
            return .none
        },
        .method("encode", "sequence, pair=None, is_pretokenized=False, add_special_tokens=True", "the Encoding of a text (or pair)") { o, call in
            .object(EncodedObject(try o.encode(call[0]!, pair: call[1], pretokenized: try call[2]?.isTruthy() ?? false,
                                               addSpecialTokens: try call[3]?.isTruthy() ?? true), o.backend))
        },
        .method("encode_batch", "input, is_pretokenized=False, add_special_tokens=True", "the Encoding of each text (or pair)") { o, call in
            .list(PyList(try Iteration.materialize(call[0]!).map { item in
                let (text, pair): (Value, Value?) = if case .tuple(let parts) = item, parts.count == 2 { (parts[0], parts[1]) } else { (item, nil) }
                return .object(EncodedObject(try o.encode(text, pair: pair, pretokenized: try call[1]?.isTruthy() ?? false,
                                                          addSpecialTokens: try call[2]?.isTruthy() ?? true), o.backend))
            }))
        },
        .method("decode", "ids, skip_special_tokens=True", "the text of the ids, through the decoder") { o, call in
            .str(o.backend.decode(try TokenizerObject.ids(call[0]!), skipSpecialTokens: try call[1]?.isTruthy() ?? true))
        },
        .method("token_to_id", "token", "the token's id, or None") { o, call in
            o.backend.vocabulary.id(try call[0]!.asString("argument 'token':")).map(Value.int) ?? .none
        },
        .method("id_to_token", "id", "the id's token, or None") { o, call in
            o.backend.token(forID: try call[0]!.asInt("argument 'id'")).map(Value.str) ?? .none
        },
        .method("get_vocab_size", "with_added_tokens=True", "how many tokens the vocabulary has") { o, call in
            .int(try call[0]?.isTruthy() ?? true ? o.backend.vocabulary.count : o.backend.model.vocabulary.count)
        },
    ])

    /// The lines of `text`, each with its `\n` (and a `\r` before it), as tokenizers reads a training file.
    private static func linesWithEndings(_ text: String) -> [String] {
        var lines = [String](), line = String.UnicodeScalarView()
        for c in text.unicodeScalars {
            line.append(c)
            if c == "\n" { lines.append(String(line)); line = String.UnicodeScalarView() }
        }
        return line.isEmpty ? lines : lines + [String(line)]
    }

    /// The model trained on `texts` by `trainer` (the model's own kind of trainer, with its defaults, when None).
    private func train(on texts: [String], _ trainer: Value?, _ interpreter: Interpreter) throws {
        guard isOwn else { throw PyError(.notImplementedError, "sbpl does not support training a fast tokenizer's backend_tokenizer yet") }
        let given: TrainerObject
        switch trainer {
        case nil, .none?: given = TrainerObject(modelObject.kind, modelObject.kind == .wordPiece ? BPETrainer.wordPiece : BPETrainer())
        case .object(let object as TrainerObject)?: given = object
        case let other?: throw PyError.type("argument 'trainer': '\(other.typeName)' object cannot be converted to 'Trainer'")
        }
        guard given.kind == modelObject.kind else { throw PyError(.exception, "\(given.typeName) can only train a \(given.kind.rawValue)") }
        backend = try backend.trained(on: texts, given.trainer, as: modelObject.trained)
        if given.showsProgress { interpreter.write(TrainerObject.progressLines) }
        modelObject = TokenizerModelObject(modelObject.kind, backend.model, unknownToken: modelObject.unknownToken,
                                           maxInputCharsPerWord: modelObject.maxInputCharsPerWord)
    }

    /// `sequence` (and `pair`), a text each or, `pretokenized`, a list of words each.
    private func encode(_ sequence: Value, pair: Value?, pretokenized: Bool, addSpecialTokens: Bool) throws -> Encoding {
        func input(_ value: Value) throws -> TextInput {
            pretokenized ? .words(try Iteration.materialize(value).map { try $0.asString("a pre-tokenized word") })
                : .text(try value.asString("argument 'sequence':"))
        }
        let second = try pair.flatMap { if case .none = $0 { nil } else { $0 } }.map(input)
        return try backend.encode(try input(sequence), pair: second, addSpecialTokens: addSpecialTokens)
    }
}

/// huggingface/tokenizers' `Encoding`: one encoded text (or pair), token by token.
final class EncodedObject: MemberTableObject, SizedObject {
    let encoding: Encoding
    let tokens: [String]

    init(_ encoding: Encoding, _ tokenizer: Tokenizer) {
        self.encoding = encoding
        tokens = encoding.ids.indices.map { encoding.text(at: $0, in: tokenizer.vocabulary) ?? "" }
    }

    var length: Int { encoding.count }
    var typeName: String { "Encoding" }
    var qualifiedTypeName: String? { "tokenizers.Encoding" }
    var repr: String {
        "Encoding(num_tokens=\(encoding.count), attributes=[ids, type_ids, tokens, offsets, attention_mask, special_tokens_mask, overflowing])"
    }

    static let members = MemberTable<EncodedObject>("Encoding", [
        .attribute("ids", "the token ids") { o in ints(o.encoding.ids) },
        .attribute("tokens", "the tokens") { o in .list(PyList(o.tokens.map(Value.str))) },
        .attribute("offsets", "where each token lies in its text, (start, end) in characters") { o in
            .list(PyList(o.encoding.offsets.map { .tuple([.int($0.lowerBound), .int($0.upperBound)]) }))
        },
        .attribute("type_ids", "the sequence type of each token (0, or 1 in a pair's second)") { o in ints(o.encoding.typeIDs) },
        .attribute("attention_mask", "1 for each token to attend to, 0 for padding") { o in ints(o.encoding.attentionMask) },
        .attribute("special_tokens_mask", "1 for each special token") { o in ints(o.encoding.sequenceIDs.map { $0 == nil ? 1 : 0 }) },
        .attribute("word_ids", "the word each token comes from (None for special tokens)") { o in
            .list(PyList(o.encoding.wordIDs.map { $0.map(Value.int) ?? .none }))
        },
        .attribute("sequence_ids", "the sequence each token belongs to (None for special tokens)") { o in
            .list(PyList(o.encoding.sequenceIDs.map { $0.map(Value.int) ?? .none }))
        },
        .attribute("n_sequences", "1, or 2 for a pair") { o in .int(Set(o.encoding.sequenceIDs.compactMap { $0 }).count) },
    ])

    private static func ints(_ values: [Int]) -> Value { .list(PyList(values.map(Value.int))) }
}

/// A stage of the backend tokenizer as Python sees it: named as huggingface/tokenizers names its class, in its
/// module (`tokenizers.normalizers.BertNormalizer`, `tokenizers.pre_tokenizers.Sequence`).
protocol TokenizerStageObject: MemberTableObject {
    /// The stage's module in huggingface/tokenizers: `normalizers` or `pre_tokenizers`.
    static var module: String { get }
    var stage: Any { get }
}

extension TokenizerStageObject {
    var typeName: String {
        let name = String(describing: type(of: stage))
        return name.hasSuffix("Sequence") ? "Sequence" : name
    }
    var qualifiedTypeName: String? { "tokenizers.\(Self.module).\(typeName)" }
    var repr: String { "<tokenizers.\(Self.module).\(typeName) object>" }
}

/// `backend_tokenizer.normalizer`: `normalize_str(text)`.
final class NormalizerObject: TokenizerStageObject {
    static let module = "normalizers"
    let normalizer: any Normalizer
    var stage: Any { normalizer }

    init(_ normalizer: any Normalizer) { self.normalizer = normalizer }

    static let members = MemberTable<NormalizerObject>("Normalizer", [
        .method("normalize_str", "sequence", "the text as the normalizer leaves it") { o, call in
            .str(o.normalizer.normalizeString(try call[0]!.asString("sequence")))
        },
    ])
}

/// `backend_tokenizer.pre_tokenizer`: `pre_tokenize_str(text)`, the words with their offsets.
final class PreTokenizerObject: TokenizerStageObject {
    static let module = "pre_tokenizers"
    let preTokenizer: any PreTokenizer
    var stage: Any { preTokenizer }

    init(_ preTokenizer: any PreTokenizer) { self.preTokenizer = preTokenizer }

    static let members = MemberTable<PreTokenizerObject>("PreTokenizer", [
        .method("pre_tokenize_str", "sequence", "each word with the (start, end) of the text it covers") { o, call in
            .list(PyList(o.preTokenizer.preTokenizeString(try call[0]!.asString("sequence")).map { word, offsets in
                .tuple([.str(word), .tuple([.int(offsets.lowerBound), .int(offsets.upperBound)])])
            }))
        },
    ])
}
