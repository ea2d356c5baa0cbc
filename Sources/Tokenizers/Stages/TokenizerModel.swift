/// The model of huggingface/tokenizers: cuts one word into vocabulary ids (WordPiece, BPE; Unigram is the other
/// kind). Built from `tokenizer.json`'s `model` section, or from `vocab.txt` for the slow classes.
public protocol TokenizerModel: Sendable {
    /// The token <-> id table.
    var vocabulary: Vocabulary { get }
    /// The token standing for what the model cannot cut (`unk_token`), if it has one.
    var unknownToken: String? { get }
    /// Appends the ids of `word` to `ids`, and to `spans` where each token lies (indices of `word`'s base array).
    func tokenize(_ word: ArraySlice<Unicode.Scalar>, into ids: inout [Int], spans: inout [Range<Int>])
    /// Whether an unknown token's text is the text it stands for rather than `unknownToken` (Unigram's).
    var keepsUnknownText: Bool { get }
    /// As `tokenize(_:into:spans:)`, with the text of each token that is not its vocabulary entry put in `texts` by
    /// its position in `ids`: by default the text an unknown token stands for, if `keepsUnknownText`.
    func tokenize(_ word: ArraySlice<Unicode.Scalar>, into ids: inout [Int], spans: inout [Range<Int>], texts: inout [Int: String])
    /// The model that encodes targets, where it is another (Marian's target.spm); nil otherwise.
    var targetModel: (any TokenizerModel)? { get }
}

extension TokenizerModel {
    public var keepsUnknownText: Bool { false }
    public var targetModel: (any TokenizerModel)? { nil }

    public func tokenize(_ word: ArraySlice<Unicode.Scalar>, into ids: inout [Int], spans: inout [Range<Int>], texts: inout [Int: String]) {
        let (firstID, firstSpan) = (ids.count, spans.count)
        tokenize(word, into: &ids, spans: &spans)
        guard keepsUnknownText, let unknownID = unknownToken.flatMap(vocabulary.id) else { return }
        for (k, span) in spans[firstSpan...].enumerated() where ids[firstID + k] == unknownID {
            texts[firstID + k] = String(String.UnicodeScalarView(word[span]))
        }
    }
}
