/// WordPiece: splits a word greedily into the longest vocabulary pieces, `##` marking pieces that continue a
/// word. A word with no full split, or longer than `maxInputCharsPerWord` code points, is one unknown token.
public struct WordPiece: TokenizerModel {
    public let vocabulary: Vocabulary
    public let unknownToken: String?
    public let continuingPrefix: String
    public let maxInputCharsPerWord: Int
    let unknownID: Int

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
    }

    /// Appends the pieces of `word` to `ids` and where they lie to `spans`.
    public func tokenize(_ word: ArraySlice<Unicode.Scalar>, into ids: inout [Int], spans: inout [Range<Int>]) {
        if word.count > maxInputCharsPerWord { ids.append(unknownID); spans.append(word.indices); return }
        if let id = vocabulary.id(String(String.UnicodeScalarView(word))) { ids.append(id); spans.append(word.indices); return }
        let (mark, spanMark) = (ids.count, spans.count)
        var start = word.startIndex
        while start < word.endIndex {
            var end = word.endIndex
            var found: Int?
            while end > start {
                var piece = start == word.startIndex ? "" : continuingPrefix
                piece.unicodeScalars.append(contentsOf: word[start..<end])
                if let id = vocabulary.id(piece) { found = id; break }
                end -= 1
            }
            guard let id = found else {
                ids.removeSubrange(mark...)
                spans.removeSubrange(spanMark...)
                ids.append(unknownID)
                spans.append(word.indices)
                return
            }
            ids.append(id)
            spans.append(start..<end)
            start = end
        }
    }
}
