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

/// The class name huggingface/tokenizers gives a stage, by sbpl's type: `BertNormalizer`, `Sequence`, `ByteLevel`.
private func stageName(_ stage: Any) -> String {
    let name = String(describing: type(of: stage))
    return name.hasSuffix("Sequence") ? "Sequence" : name
}

/// `backend_tokenizer.normalizer`: `normalize_str(text)`.
final class NormalizerObject: MemberTableObject {
    let normalizer: any Normalizer

    init(_ normalizer: any Normalizer) { self.normalizer = normalizer }

    var typeName: String { stageName(normalizer) }
    var qualifiedTypeName: String? { "tokenizers.normalizers.\(typeName)" }
    var repr: String { "<tokenizers.normalizers.\(typeName) object>" }

    static let members = MemberTable<NormalizerObject>("Normalizer", [
        .method("normalize_str", "sequence", "the text as the normalizer leaves it") { o, call in
            .str(o.normalizer.normalizeString(try call[0]!.asString("sequence")))
        },
    ])
}

/// `backend_tokenizer.pre_tokenizer`: `pre_tokenize_str(text)`, the words with their offsets.
final class PreTokenizerObject: MemberTableObject {
    let preTokenizer: any PreTokenizer

    init(_ preTokenizer: any PreTokenizer) { self.preTokenizer = preTokenizer }

    var typeName: String { stageName(preTokenizer) }
    var qualifiedTypeName: String? { "tokenizers.pre_tokenizers.\(typeName)" }
    var repr: String { "<tokenizers.pre_tokenizers.\(typeName) object>" }

    static let members = MemberTable<PreTokenizerObject>("PreTokenizer", [
        .method("pre_tokenize_str", "sequence", "each word with the (start, end) of the text it covers") { o, call in
            .list(PyList(o.preTokenizer.preTokenizeString(try call[0]!.asString("sequence")).map { word, offsets in
                .tuple([.str(word), .tuple([.int(offsets.lowerBound), .int(offsets.upperBound)])])
            }))
        },
    ])
}
