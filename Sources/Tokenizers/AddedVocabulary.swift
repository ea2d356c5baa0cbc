/// An added token (a special token or any other) as huggingface/tokenizers' `AddedToken`: its text and how it is
/// matched in the raw text.
public struct AddedToken: Sendable, Hashable {
    public var content: String
    /// Whether the match takes in the whitespace before it (`lstrip`; RoBERTa's `<mask>`) or after it (`rstrip`).
    public var leftStrip: Bool, rightStrip: Bool
    /// Whether it matches only as a whole word (`single_word`).
    public var singleWord: Bool

    public init(_ content: String, leftStrip: Bool = false, rightStrip: Bool = false, singleWord: Bool = false) {
        (self.content, self.leftStrip, self.rightStrip, self.singleWord) = (content, leftStrip, rightStrip, singleWord)
    }
}

/// The added tokens matched whole in the raw text before normalisation, as huggingface/tokenizers'
/// `AddedVocabulary`: leftmost first, the longest where several start at one place.
public struct AddedVocabulary: Sendable {
    /// The tokens in the vocabulary with their ids, longest first.
    private let tokens: [(token: AddedToken, scalars: [Unicode.Scalar], id: Int)]
    /// The code points the tokens start with: ASCII ones as bits, others in a set.
    private let asciiStarts: UInt128, otherStarts: Set<Unicode.Scalar>
    /// The added tokens' ids (`all_special_ids`), made once: decoding tests every id against them.
    public let ids: Set<Int>

    /// The tokens of `added` that `vocabulary` has (the others cannot be matched to an id); of two with the same
    /// content, the first.
    public init(_ added: [AddedToken], vocabulary: Vocabulary) {
        var seen = Set<String>()
        tokens = added.filter { seen.insert($0.content).inserted }
            .compactMap { token in vocabulary.id(token.content).map { (token, Array(token.content.unicodeScalars), $0) } }
            .sorted { $0.scalars.count > $1.scalars.count }
        let starts = tokens.compactMap(\.scalars.first)
        asciiStarts = starts.filter(\.isASCII).reduce(0) { $0 | 1 << $1.value }
        otherStarts = Set(starts.filter { !$0.isASCII })
        ids = Set(tokens.map(\.id))
    }

    /// The added tokens.
    public var contents: [AddedToken] { tokens.map(\.token) }

    /// `text` cut into runs of ordinary text (`added` nil) and added tokens (`added` their id), each added token's
    /// run with the whitespace its match takes in.
    func split(_ text: String) -> [(text: Substring, added: Int?)] {
        guard text.unicodeScalars.contains(where: isStart) else { return text.isEmpty ? [] : [(text[...], nil)] }
        var out = [(text: Substring, added: Int?)]()
        let scalars = Array(text.unicodeScalars)
        var runStart = 0, i = 0
        while i < scalars.count {
            guard isStart(scalars[i]), let match = match(scalars, at: i, after: runStart) else { i += 1; continue }
            // the longest match is taken even when it is refused (a single_word token inside a word): the scan goes on
            // after it, as huggingface/tokenizers' leftmost-longest matching does
            guard let id = match.id else { i = match.range.upperBound; continue }
            if runStart < match.range.lowerBound { out.append((Self.text(scalars[runStart..<match.range.lowerBound]), nil)) }
            out.append((Self.text(scalars[match.range]), id))
            i = match.range.upperBound
            runStart = i
        }
        if runStart == 0 { return text.isEmpty ? [] : [(text[...], nil)] }  // no added token: the text as it is
        if runStart < scalars.count { out.append((Self.text(scalars[runStart...]), nil)) }
        return out
    }

    private func isStart(_ c: Unicode.Scalar) -> Bool {
        c.isASCII ? asciiStarts >> c.value & 1 != 0 : !otherStarts.isEmpty && otherStarts.contains(c)
    }

    /// The longest token matching at `i`, with the whitespace it strips (not reaching back before `floor`); its id
    /// nil when the match is refused (a `single_word` token with a word character next to it).
    private func match(_ scalars: [Unicode.Scalar], at i: Int, after floor: Int) -> (range: Range<Int>, id: Int?)? {
        for (token, content, id) in tokens where scalars[i...].starts(with: content) {
            var (start, end) = (i, i + content.count)
            if token.singleWord && (Self.isWordCharacter(scalars, start - 1) || Self.isWordCharacter(scalars, end)) {
                return (start..<end, nil)
            }
            if token.leftStrip { while start > floor && scalars[start - 1].properties.isWhitespace { start -= 1 } }
            if token.rightStrip { while end < scalars.count && scalars[end].properties.isWhitespace { end += 1 } }
            return (start..<end, id)
        }
        return nil
    }

    /// Whether `scalars[i]` exists and is a word character (`\w`: alphanumeric or `_`).
    private static func isWordCharacter(_ scalars: [Unicode.Scalar], _ i: Int) -> Bool {
        guard scalars.indices.contains(i) else { return false }
        let c = scalars[i]
        return c == "_" || c.properties.isAlphabetic || c.properties.numericType != nil
    }

    private static func text(_ scalars: ArraySlice<Unicode.Scalar>) -> Substring {
        Substring(String(String.UnicodeScalarView(scalars)))
    }
}

extension AddedToken: ExpressibleByStringLiteral {
    /// A token matched exactly as written.
    public init(stringLiteral content: String) { self.init(content) }
}
