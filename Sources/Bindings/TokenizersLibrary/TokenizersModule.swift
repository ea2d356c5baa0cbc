import Foundation
import Language
import Tokenizers

/// `tokenizers`, huggingface/tokenizers' Python package: the normalizers and pre-tokenizers chapter 6 of the course
/// builds a tokenizer from, each a class constructed with its settings, with `normalize_str` and
/// `pre_tokenize_str`, `Regex` for `normalizers.Replace`, and `Tokenizer.from_file`. Models, trainers, processors and
/// decoders are named, so the course's imports run, and say they are not supported yet when used.
enum TokenizersModule {
    static func make() -> PythonModule {
        PythonModule("tokenizers", [
            "normalizers": .object(makeNormalizers()), "pre_tokenizers": .object(makePreTokenizers()),
            "models": .object(classes("models", TokenizerModelObject.classes(), planned: ["Unigram", "WordLevel"])),
            "trainers": .object(classes("trainers", TrainerObject.classes(), planned: ["UnigramTrainer", "WordLevelTrainer"])),
            "processors": .object(classes("processors", PostProcessorObject.classes())),
            "decoders": .object(classes("decoders", DecoderObject.classes(), planned: ["BPEDecoder", "CTC", "Fuse", "Replace", "Sequence", "Strip"])),
            "Regex": .object(BuiltinFunction("Regex") { args in
                .object(RegexObject(try args.bind("Regex", ["pattern"], required: 1)[0]!.asString("argument 'pattern':")))
            }),
            "Tokenizer": .object(TokenizerClass()),
        ])
    }

    /// `tokenizers.normalizers`.
    static func makeNormalizers() -> PythonModule {
        classes("normalizers", [
            normalizer("BertNormalizer", "clean_text=True, handle_chinese_chars=True, strip_accents=None, lowercase=True") { a in
                BertNormalizer(cleanText: try a.bool("clean_text"), handleChineseChars: try a.bool("handle_chinese_chars"),
                               stripAccents: try a.optional("strip_accents", a.bool), lowercase: try a.bool("lowercase"))
            },
            normalizer("Lowercase") { _ in Lowercase() },
            normalizer("NFC") { _ in NFC() },
            normalizer("NFD") { _ in NFD() },
            normalizer("NFKC") { _ in NFKC() },
            normalizer("NFKD") { _ in NFKD() },
            normalizer("StripAccents") { _ in StripAccents() },
            normalizer("Strip", "left=True, right=True") { a in Strip(left: try a.bool("left"), right: try a.bool("right")) },
            normalizer("Replace", "pattern, content") { a in
                try Replace(pattern: try a.pattern("pattern"), content: try a.string("content"))
            },
            normalizer("Sequence", "normalizers") { a in
                NormalizerSequence(try a.stages("normalizers", of: NormalizerObject.self, kind: "Normalizer").map(\.normalizer))
            },
        ])
    }

    /// `tokenizers.pre_tokenizers`.
    static func makePreTokenizers() -> PythonModule {
        classes("pre_tokenizers", [
            preTokenizer("BertPreTokenizer") { _ in BertPreTokenizer() },
            preTokenizer("Whitespace") { _ in Whitespace() },
            preTokenizer("WhitespaceSplit") { _ in WhitespaceSplit() },
            preTokenizer("Punctuation", "behavior='isolated'") { a in
                Punctuation(behavior: try a.choice("behavior", of: DelimiterBehavior.self) { _ in
                    "Wrong value for SplitDelimiterBehavior, expected one of: `\(DelimiterBehavior.allCases.map(\.rawValue).joined(separator: ", "))`"
                })
            },
            preTokenizer("Digits", "individual_digits=False") { a in Digits(individualDigits: try a.bool("individual_digits")) },
            preTokenizer("ByteLevel", "add_prefix_space=True, use_regex=True", members: ["alphabet": .object(BuiltinFunction("alphabet") { args in
                try args.expectNone("alphabet")
                return .list(PyList(ByteAlphabet.scalars.map { .str(String($0)) }))
            })]) { a in
                ByteLevel(addPrefixSpace: try a.bool("add_prefix_space"), useRegex: try a.bool("use_regex"))
            },
            preTokenizer("Metaspace", "replacement='▁', prepend_scheme='always', split=True") { a in
                let replacement = try a.string("replacement")
                guard replacement.unicodeScalars.count == 1, let scalar = replacement.unicodeScalars.first else {
                    throw PyError.value("expected a string of length 1")
                }
                return Metaspace(replacement: scalar, prependScheme: try a.choice("prepend_scheme", of: PrependScheme.self) {
                    "\($0) is an unknown variant, should be one of ['first', 'never', 'always']"
                },
                                 split: try a.bool("split"))
            },
            preTokenizer("Sequence", "pretokenizers") { a in
                PreTokenizerSequence(try a.stages("pretokenizers", of: PreTokenizerObject.self, kind: "PreTokenizer").map(\.preTokenizer))
            },
        ])
    }

    private static func normalizer(_ name: String, _ signature: String = "",
                                   _ make: @escaping (StageArguments) throws -> any Normalizer) -> StageClass {
        StageClass("normalizers", name, signature) { .object(NormalizerObject(try make($0))) }
    }

    private static func preTokenizer(_ name: String, _ signature: String = "", members: [String: Value] = [:],
                                     _ make: @escaping (StageArguments) throws -> any PreTokenizer) -> StageClass {
        StageClass("pre_tokenizers", name, signature, members: members) { .object(PreTokenizerObject(try make($0))) }
    }

    /// A module of classes, each by its name, and of `planned` names that are not supported yet.
    private static func classes(_ name: String, _ classes: [StageClass], planned: Set<String> = []) -> PythonModule {
        PythonModule("tokenizers.\(name)", Dictionary(uniqueKeysWithValues: classes.map { ($0.name, Value.object($0)) }), planned: planned)
    }

    /// A module sbpl names but does not implement: each of `names` is a NotImplementedError when used.
    private static func planned(_ name: String, _ names: Set<String>) -> PythonModule {
        PythonModule("tokenizers.\(name)", [:], planned: names)
    }
}

/// `tokenizers.Regex(pattern)`: a pattern `normalizers.Replace` matches as a regular expression, not as a string.
final class RegexObject: PyObject {
    let pattern: String

    init(_ pattern: String) { self.pattern = pattern }

    var typeName: String { "Regex" }
    var qualifiedTypeName: String? { "tokenizers.Regex" }
    var repr: String { "<tokenizers.Regex object>" }
}

/// `tokenizers.Tokenizer`: `Tokenizer(model)` builds one to train, `Tokenizer.from_file(path)` reads a
/// `tokenizer.json`.
final class TokenizerClass: CallableObject {
    var typeName: String { "type" }
    var repr: String { "<class 'tokenizers.Tokenizer'>" }

    func attribute(_ name: String, _ interpreter: Interpreter) throws -> Value? {
        guard name == "from_file" else { return nil }
        return .object(BuiltinFunction("from_file") { args in
            let path = try args.bind("from_file", ["path"], required: 1)[0]!.asString("argument 'path':")
            return .object(BackendTokenizerObject(try TokenizerJSON(url: URL(fileURLWithPath: path)).tokenizer(), isOwn: true))
        })
    }

    var attributeNames: [String] { ["from_file"] }

    /// `Tokenizer(model)`: a tokenizer with no other stage yet.
    func call(_ arguments: Arguments, _ interpreter: Interpreter) throws -> Value? {
        let given = try arguments.bind("Tokenizer.__new__", ["model"], required: 1)[0]!
        guard case .object(let model as TokenizerModelObject) = given else {
            throw PyError.type("argument 'model': '\(given.typeName)' object cannot be converted to 'Model'")
        }
        let tokenizer = Tokenizer(normalizer: nil, preTokenizer: nil, model: model.model, postProcessor: nil, decoder: nil, addedTokens: [])
        return .object(BackendTokenizerObject(tokenizer, isOwn: true, model: model))
    }
}
