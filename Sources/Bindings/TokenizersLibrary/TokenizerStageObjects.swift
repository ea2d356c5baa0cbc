import Language
import Tokenizers

/// A stage of a huggingface/tokenizers `Tokenizer` as Python sees it: named as tokenizers names its class, in its
/// module (`tokenizers.normalizers.BertNormalizer`, `tokenizers.pre_tokenizers.Sequence`, `tokenizers.decoders.WordPiece`).
protocol TokenizerStageObject: MemberTableObject {
    /// The stage's module in huggingface/tokenizers: `normalizers`, `pre_tokenizers`, `processors` or `decoders`.
    static var module: String { get }
    var stage: Any { get }
}

extension TokenizerStageObject {
    var typeName: String {
        let name = String(describing: type(of: stage))
        return name.hasSuffix("Sequence") ? "Sequence" : name
    }
    var qualifiedTypeName: String? { "tokenizers.\(Self.module).\(typeName)" }
    /// As tokenizers shows a stage, from its `tokenizer.json` section (`Metaspace(replacement="▁", prepend_scheme=always,
    /// split=True)`); one sbpl cannot write shows as an object.
    var repr: String {
        (try? Tokenizer.section(stage)).map(StageRepr.init)?.text ?? "<tokenizers.\(Self.module).\(typeName) object>"
    }
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
