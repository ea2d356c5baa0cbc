import Language
import Tokenizers

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
