import Language
import Tokenizers

/// `tokenizer.backend_tokenizer` (also `tokenizer._tokenizer`): the huggingface/tokenizers `Tokenizer` under a fast
/// tokenizer, whose stages chapter 6 of the course looks at one by one: `normalizer.normalize_str(text)` and
/// `pre_tokenizer.pre_tokenize_str(text)`.
final class BackendTokenizerObject: MemberTableObject {
    let backend: Tokenizer

    init(_ backend: Tokenizer) { self.backend = backend }

    var typeName: String { "Tokenizer" }
    var qualifiedTypeName: String? { "tokenizers.Tokenizer" }
    var repr: String { "<tokenizers.Tokenizer object>" }

    static let members = MemberTable<BackendTokenizerObject>("Tokenizer", [
        .attribute("normalizer", "the first stage, which cleans the text (None when there is none)") { o in
            o.backend.normalizer.map { .object(NormalizerObject($0)) } ?? .none
        },
        .attribute("pre_tokenizer", "the stage that splits the text into words (None when there is none)") { o in
            o.backend.preTokenizer.map { .object(PreTokenizerObject($0)) } ?? .none
        },
    ])
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
