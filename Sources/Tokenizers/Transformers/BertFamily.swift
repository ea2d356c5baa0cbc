import Foundation
import Hub

extension TokenizerFamily {
    /// `BertTokenizer` / `BertTokenizerFast`.
    public static let bert = TokenizerFamily(
        className: "BertTokenizer", displayName: "BERT", modelTypes: ["bert"],
        modelInputNames: ["input_ids", "token_type_ids", "attention_mask"], specialTokens: BertFamily.specialTokens,
        vocabularyFileNames: ["vocab.txt"], convertSlow: BertFamily.convert, applyInitArguments: BertFamily.apply, saveInitArguments: BertFamily.save,
        vocabularyFiles: BertFamily.vocabularyFiles, slowTokensToString: BertFamily.tokensToString)

    /// `DistilBertTokenizer` / `DistilBertTokenizerFast`: BERT's, without token type ids.
    public static let distilBert = TokenizerFamily(
        className: "DistilBertTokenizer", displayName: "DistilBERT", modelTypes: ["distilbert"],
        modelInputNames: ["input_ids", "attention_mask"], specialTokens: BertFamily.specialTokens,
        vocabularyFileNames: ["vocab.txt"], convertSlow: BertFamily.convert, applyInitArguments: BertFamily.apply, saveInitArguments: BertFamily.save,
        vocabularyFiles: BertFamily.vocabularyFiles, slowTokensToString: BertFamily.tokensToString)
}

/// What the BERT tokenizer classes (and DistilBERT's, which are BERT's) do their own way.
enum BertFamily {
    /// The BERT classes' defaults: `[UNK]`, `[SEP]`, `[PAD]`, `[CLS]`, `[MASK]`.
    static let specialTokens = PreTrainedTokenizer.SpecialTokens([
        .unknown: AddedToken("[UNK]"), .separator: AddedToken("[SEP]"), .padding: AddedToken("[PAD]"),
        .classifier: AddedToken("[CLS]"), .mask: AddedToken("[MASK]"),
    ])

    /// transformers' `BertConverter`: BERT's pipeline from `vocab.txt`.
    static func convert(_ checkpoint: Checkpoint, _ special: PreTrainedTokenizer.SpecialTokens, _: [String: Any],
                        _ addedTokens: [AddedToken]) throws -> Tokenizer {
        try Tokenizer.bert(vocabulary: try Vocabulary(vocabFile: try checkpoint.requiredFile("vocab.txt", "tokenizer.json")),
                           normalizer: BertNormalizer(), unknownToken: special[.unknown] ?? "[UNK]", classifier: special[.classifier] ?? "[CLS]",
                           separator: special[.separator] ?? "[SEP]", addedTokens: addedTokens)
    }

    /// `vocab.txt`: one token per line, in id order.
    static func vocabularyFiles(_ backend: Tokenizer, isFast _: Bool) -> [String] {
        let vocabulary = backend.vocabulary
        return [(0..<vocabulary.count).map { (vocabulary.token($0) ?? "") + "\n" }.joined()]
    }

    /// `BertTokenizerFast.__init__`: the normalizer follows `do_lower_case`, `strip_accents` and
    /// `tokenize_chinese_chars` where tokenizer_config.json sets them.
    static func apply(_ config: [String: Any], to backend: inout Tokenizer) {
        guard var normalizer = backend.normalizer as? BertNormalizer else { return }
        normalizer.lowercase = config["do_lower_case"] as? Bool ?? normalizer.lowercase
        if config.keys.contains("strip_accents") { normalizer.stripAccents = config["strip_accents"] as? Bool }
        normalizer.handleChineseChars = config["tokenize_chinese_chars"] as? Bool ?? normalizer.handleChineseChars
        backend.normalizer = normalizer
    }

    /// The BERT classes' `__init__` arguments as `save_pretrained` writes them, the normalizer's from the normalizer.
    static func save(_ backend: Tokenizer, into fields: inout [String: Any]) {
        let normalizer = backend.normalizer as? BertNormalizer ?? BertNormalizer()
        fields["do_basic_tokenize"] = fields["do_basic_tokenize"] ?? true
        fields["never_split"] = fields["never_split"] ?? NSNull()
        fields["do_lower_case"] = normalizer.lowercase
        fields["strip_accents"] = normalizer.stripAccents ?? NSNull()
        fields["tokenize_chinese_chars"] = normalizer.handleChineseChars
    }

    /// The slow `BertTokenizer.convert_tokens_to_string`: `" ".join(tokens).replace(" ##", "").strip()`.
    static func tokensToString(_ tokens: [String]) -> String {
        tokens.joined(separator: " ").replacingOccurrences(of: " ##", with: "").trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

extension Tokenizer {
    /// BERT's pipeline, as transformers' `BertConverter` builds it from `vocab.txt` for the slow classes: the
    /// BERT normalizer and pre-tokenizer, WordPiece, `[CLS] $A [SEP] $B:1 [SEP]:1`, the WordPiece decoder.
    public static func bert(vocabulary: Vocabulary, normalizer: BertNormalizer, unknownToken: String,
                            classifier: String, separator: String, addedTokens: [AddedToken]) throws -> Tokenizer {
        /// The token and its id, which must be in the vocabulary.
        func special(_ token: String) throws -> (token: String, id: Int) {
            guard let id = vocabulary.id(token) else { throw TokenizerError("the vocabulary has no special token '\(token)'") }
            return (token, id)
        }
        return Tokenizer(normalizer: normalizer, preTokenizer: BertPreTokenizer(),
                         model: try WordPiece(vocabulary: vocabulary, unknownToken: unknownToken),
                         postProcessor: TemplateProcessing.bert(classifier: try special(classifier), separator: try special(separator)),
                         decoder: WordPieceDecoder(), addedTokens: addedTokens)
    }
}
