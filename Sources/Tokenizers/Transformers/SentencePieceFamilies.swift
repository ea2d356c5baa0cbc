import Hub

extension TokenizerFamily {
    /// T5's tokenizers: a Unigram `tokenizer.json` (T5TokenizerFast). The slow class reads SentencePiece's
    /// `spiece.model`, which sbpl does not read yet.
    public static let t5 = TokenizerFamily(
        className: "T5Tokenizer", displayName: "T5", modelTypes: ["t5"], modelInputNames: ["input_ids", "attention_mask"],
        specialTokens: PreTrainedTokenizer.SpecialTokens([
            .eos: AddedToken("</s>"), .unknown: AddedToken("<unk>"), .padding: AddedToken("<pad>"),
        ]),
        vocabularyFileNames: ["spiece.model"], convertSlow: SentencePieceFamily.unsupported("T5", file: "spiece.model"),
        applyInitArguments: { _, _ in }, saveInitArguments: { _, _ in }, vocabularyFiles: { _, _ in [] },
        slowTokensToString: MetaspaceDecoder().decode)

    /// Marian's tokenizer (MarianTokenizer, `Helsinki-NLP/opus-mt-*`): SentencePiece's `source.spm` and
    /// `target.spm`, with no `tokenizer.json`; sbpl says it does not read them yet.
    public static let marian = TokenizerFamily(
        className: "MarianTokenizer", displayName: "Marian", modelTypes: ["marian"], modelInputNames: ["input_ids", "attention_mask"],
        specialTokens: PreTrainedTokenizer.SpecialTokens([
            .eos: AddedToken("</s>"), .unknown: AddedToken("<unk>"), .padding: AddedToken("<pad>"),
        ]),
        vocabularyFileNames: ["source.spm", "target.spm", "vocab.json"], convertSlow: SentencePieceFamily.unsupported("Marian", file: "source.spm"),
        applyInitArguments: { _, _ in }, saveInitArguments: { _, _ in }, vocabularyFiles: { _, _ in [] },
        slowTokensToString: MetaspaceDecoder().decode)
}

/// What the SentencePiece-based families share.
enum SentencePieceFamily {
    /// The slow class's conversion: an error saying sbpl does not read SentencePiece models yet.
    static func unsupported(_ name: String, file: String)
        -> @Sendable (Checkpoint, PreTrainedTokenizer.SpecialTokens, [String: Any], [AddedToken]) throws -> Tokenizer {
        { checkpoint, _, _, _ in
            throw TokenizerError("sbpl does not support SentencePiece .spm tokenizers (\(name)) yet: \(checkpoint.name) has no tokenizer.json, and sbpl cannot read its \(file)")
        }
    }
}
