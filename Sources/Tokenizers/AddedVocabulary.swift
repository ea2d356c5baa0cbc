/// The added tokens (the special tokens and any others) matched whole in the raw text before normalisation, as
/// huggingface/tokenizers' `AddedVocabulary`: leftmost first, the longest where several start at one place.
public struct AddedVocabulary: Sendable {
    /// The tokens in the vocabulary with their ids, longest first.
    private let tokens: [(content: String, id: Int)]
    private let starts: Set<Unicode.Scalar>
    /// The added tokens' ids (`all_special_ids`), made once: decoding tests every id against them.
    public let ids: Set<Int>

    /// The tokens of `contents` that `vocabulary` has (the others cannot be matched to an id).
    public init(_ contents: [String], vocabulary: Vocabulary) {
        tokens = Set(contents).compactMap { token in vocabulary.id(token).map { (token, $0) } }
            .sorted { $0.content.unicodeScalars.count > $1.content.unicodeScalars.count }
        starts = Set(tokens.compactMap(\.content.unicodeScalars.first))
        ids = Set(tokens.map(\.id))
    }

    /// The added tokens' contents.
    public var contents: [String] { tokens.map(\.content) }

    /// `text` cut into runs of ordinary text (`added` nil) and added tokens (`added` their id).
    func split(_ text: String) -> [(text: Substring, added: Int?)] {
        var out = [(text: Substring, added: Int?)]()
        let scalars = text.unicodeScalars
        var runStart = scalars.startIndex, i = scalars.startIndex
        while i < scalars.endIndex {
            if starts.contains(scalars[i]), let token = tokens.first(where: { scalars[i...].starts(with: $0.content.unicodeScalars) }) {
                if runStart < i { out.append((Substring(scalars[runStart..<i]), nil)) }
                out.append((Substring(token.content), token.id))
                i = scalars.index(i, offsetBy: token.content.unicodeScalars.count)
                runStart = i
            } else {
                i = scalars.index(after: i)
            }
        }
        if runStart < scalars.endIndex { out.append((Substring(scalars[runStart...]), nil)) }
        return out
    }
}
