/// WordPiece: splits a word greedily into the longest vocabulary pieces, `##` marking pieces that continue a
/// word. A word with no full split, or longer than `maxInputCharsPerWord` code points, is one unknown token.
public struct WordPiece: TokenizerModel {
    public let vocabulary: Vocabulary
    public let unknownToken: String?
    public let continuingPrefix: String
    public let maxInputCharsPerWord: Int
    let unknownID: Int
    /// The vocabulary by code points, and the continuing prefix's.
    private let table: TokenTable, prefixScalars: [Unicode.Scalar]

    public init(vocabulary: Vocabulary, unknownToken: String = "[UNK]", continuingPrefix: String = "##",
                maxInputCharsPerWord: Int = 100) throws {
        guard let unknownID = vocabulary.id(unknownToken) else {
            throw TokenizerError("the vocabulary has no unknown token '\(unknownToken)'")
        }
        self.vocabulary = vocabulary
        self.unknownToken = unknownToken
        self.continuingPrefix = continuingPrefix
        self.maxInputCharsPerWord = maxInputCharsPerWord
        self.unknownID = unknownID
        table = TokenTable(vocabulary)
        prefixScalars = Array(continuingPrefix.unicodeScalars)
    }

    /// Appends the pieces of `word` to `ids` and where they lie to `spans`.
    public func tokenize(_ word: ArraySlice<Unicode.Scalar>, into ids: inout [Int], spans: inout [Range<Int>]) {
        if word.count > maxInputCharsPerWord { ids.append(unknownID); spans.append(word.indices); return }
        let (mark, spanMark) = (ids.count, spans.count)
        var start = word.startIndex
        while start < word.endIndex {
            guard let (length, id) = table.longestMatch(word[start...], prefix: start == word.startIndex ? [] : prefixScalars) else {
                ids.removeSubrange(mark...)
                spans.removeSubrange(spanMark...)
                ids.append(unknownID)
                spans.append(word.indices)
                return
            }
            ids.append(id)
            spans.append(start..<start + length)
            start += length
        }
    }
}
