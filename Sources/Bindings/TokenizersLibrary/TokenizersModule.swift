import Foundation
import Language
import Tokenizers

/// `tokenizers`, huggingface/tokenizers' Python package, as chapter 6 of the course builds and trains a tokenizer
/// with it: normalizers and pre-tokenizers (`normalize_str`, `pre_tokenize_str`), BPE, WordPiece and Unigram models
/// and their trainers, post-processors, decoders, `Regex` for `normalizers.Replace`, and `Tokenizer` (`Tokenizer(model)`,
/// `Tokenizer.from_file`). The classes it lacks (`models.WordLevel`, ...) say they are not supported yet when used.
enum TokenizersModule {
    static func make() -> PythonModule {
        var members: [String: Value] = Dictionary(uniqueKeysWithValues: submodules.map { ($0.name, Value.object($0.make())) })
        members["Regex"] = .object(BuiltinFunction("Regex") { args in
            .object(RegexObject(try args.bind("Regex", ["pattern"], required: 1)[0]!.asString("argument 'pattern':")))
        })
        members["Tokenizer"] = .object(TokenizerClass())
        return PythonModule("tokenizers", members)
    }

    /// `tokenizers.normalizers`, `.pre_tokenizers`, `.models`, `.trainers`, `.processors` and `.decoders`, each also
    /// importable on its own (`from tokenizers.models import BPE`).
    static let submodules: [(name: String, make: @Sendable () -> PythonModule)] = [
        ("normalizers", makeNormalizers), ("pre_tokenizers", makePreTokenizers),
        ("models", { classes("models", TokenizerModelObject.classes(), planned: ["WordLevel"]) }),
        ("trainers", { classes("trainers", TrainerObject.classes(), planned: ["WordLevelTrainer"]) }),
        ("processors", { classes("processors", PostProcessorObject.classes()) }),
        ("decoders", { classes("decoders", DecoderObject.classes(), planned: ["BPEDecoder", "CTC", "Fuse", "Replace", "Sequence", "Strip"]) }),
    ]

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
                let (replacement, scheme) = try a.metaspace()
                return Metaspace(replacement: replacement, prependScheme: scheme, split: try a.bool("split"))
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
}
