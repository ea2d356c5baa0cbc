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

    /// The parts of a tokenizer that assignment replaces, by their attribute names.
    private enum Part: String {
        case normalizer, preTokenizer = "pre_tokenizer", model, postProcessor = "post_processor", decoder

        /// The tokenizers class a value must be, for messages.
        var className: String {
            switch self {
            case .normalizer: "Normalizer"
            case .preTokenizer: "PreTokenizer"
            case .model: "Model"
            case .postProcessor: "PostProcessor"
            case .decoder: "Decoder"
            }
        }
    }

    func setAttribute(_ name: String, _ value: Value) throws -> Bool {
        guard let part = Part(rawValue: name) else { return false }
        guard isOwn else { throw PyError(.notImplementedError, "sbpl does not support changing a fast tokenizer's \(name) yet") }
        switch (part, value) {
        case (.model, .object(let model as TokenizerModelObject)):
            backend = backend.rebuilt(model: model.model)
            modelObject = model
        case (.normalizer, .none): backend.normalizer = nil
        case (.normalizer, .object(let stage as NormalizerObject)): backend.normalizer = stage.normalizer
        case (.preTokenizer, .none): backend.preTokenizer = nil
        case (.preTokenizer, .object(let stage as PreTokenizerObject)): backend.preTokenizer = stage.preTokenizer
        case (.postProcessor, .none): backend.postProcessor = nil
        case (.postProcessor, .object(let stage as PostProcessorObject)): backend.postProcessor = stage.processor
        case (.decoder, .none): backend.decoder = nil
        case (.decoder, .object(let stage as DecoderObject)): backend.decoder = stage.decoder
        default: throw PyError.type("\(name) must be a tokenizers \(part.className), not '\(value.typeName)'")
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
            if case .str = call[0]! { throw PyError.type("argument 'files': Can't extract `str` to `Vec`") }
            for file in try Iteration.materialize(call[0]!) {
                let path = try file.asString("a training file")
                let text: String
                do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
                    throw PyError(.exception, "cannot read the training file \(path): \(error.localizedDescription)")
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
                let parts: [Value]? = switch item {
                case .tuple(let items) where items.count == 2: items
                case .list(let list) where list.items.count == 2: list.items
                default: nil
                }
                let (text, pair) = parts.map { ($0[0], Optional($0[1])) } ?? (item, nil)
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
        .method("save", "path, pretty=True", "writes the tokenizer to a tokenizer.json file") { o, call in
            let path = try call[0]!.asPath()
            let text = try o.backend.json().serialized(pretty: try call[1]?.isTruthy() ?? true)
            do { try text.write(toFile: path, atomically: true, encoding: .utf8) } catch {
                throw PyError(.exception, "cannot write \(path): \(error.localizedDescription)")
            }
            return .none
        },
        .method("to_str", "pretty=False", "the tokenizer as tokenizer.json text") { o, call in
            .str(try o.backend.json().serialized(pretty: try call[0]?.isTruthy() ?? false))
        },
        .method("get_vocab", "with_added_tokens=True", "each token's id") { o, call in
            let vocabulary = try call[0]?.isTruthy() ?? true ? o.backend.vocabulary : o.backend.model.vocabulary
            let dict = PyDict()
            for id in 0..<vocabulary.count { if let token = vocabulary.token(id) { try dict.set(.str(token), .int(id)) } }
            return .dict(dict)
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
        case nil, .none?: given = TrainerObject.defaults(for: modelObject.kind)
        case .object(let object as TrainerObject)?: given = object
        case let other?: throw PyError.type("argument 'trainer': '\(other.typeName)' object cannot be converted to 'Trainer'")
        }
        guard given.kind == modelObject.kind else { throw PyError(.exception, "\(given.typeName) can only train a \(given.kind.rawValue)") }
        do {
            backend = try backend.trained(on: texts, given.trainer, as: try modelObject.trained())
        } catch let error as TokenizerError {  // tokenizers' training errors are Exceptions
            throw PyError(.exception, error.message)
        }
        if given.showsProgress { interpreter.write(given.progressLines) }
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
