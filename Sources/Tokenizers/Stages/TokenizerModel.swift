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
}

extension TokenizerModel {
    public var keepsUnknownText: Bool { false }
}
