import Foundation
import TensorCore

/// BERT's WordPiece tokenizer with transformers' fast-tokenizer behaviour: special tokens kept whole, the BERT
/// normaliser and pre-tokeniser, WordPiece, `[CLS] A [SEP] B [SEP]`, padding, truncation and decoding.
///
/// ```swift
/// let tokenizer = try BertTokenizer.load(try Checkpoint.locate("distilbert-base-uncased-finetuned-sst-2-english"))
/// var options = EncodingOptions(); options.padding = .longest; options.returnTensors = true
/// print(try tokenizer.encode(["I hate this so much!"], options: options))
/// ```
public struct BertTokenizer: Sendable {
    /// Which transformers class this tokenizer stands for; it decides the returned fields.
    public enum Family: String, Sendable {
        case bert = "BertTokenizer", distilBert = "DistilBertTokenizer"

        /// The family a transformers tokenizer class name (slow or fast) belongs to.
        public init?(className: String) {
            self.init(rawValue: className.hasSuffix("Fast") ? String(className.dropLast(4)) : className)
        }

        /// `tokenizer.model_input_names`.
        public var modelInputNames: [String] {
            self == .bert ? ["input_ids", "token_type_ids", "attention_mask"] : ["input_ids", "attention_mask"]
        }
    }

    /// The special tokens by role.
    public struct SpecialTokens: Sendable {
        public var unknown = "[UNK]", separator = "[SEP]", padding = "[PAD]", classifier = "[CLS]", mask = "[MASK]"

        public init(unknown: String = "[UNK]", separator: String = "[SEP]", padding: String = "[PAD]",
                    classifier: String = "[CLS]", mask: String = "[MASK]") {
            (self.unknown, self.separator, self.padding, self.classifier, self.mask) = (unknown, separator, padding, classifier, mask)
        }

        /// `special_tokens_map`, in transformers' order.
        public var map: [(String, String)] {
            [("unk_token", unknown), ("sep_token", separator), ("pad_token", padding), ("cls_token", classifier),
             ("mask_token", mask)]
        }
    }

    public let family: Family
    /// `name_or_path`.
    public let name: String
    public let normalizer: BertNormalizer
    public let wordPiece: WordPiece
    public let specialTokens: SpecialTokens
    /// Tokens matched whole in the raw text before normalisation (the special tokens and any added ones).
    public let addedTokens: [String]
    private let addedTokenStarts: Set<Unicode.Scalar>
    /// `model_max_length`; nil when the checkpoint sets none (transformers then uses `int(1e30)`).
    public let modelMaxLength: Int?
    public let cleanUpTokenizationSpaces: Bool
    /// Whether it stands for the fast (Rust) class, `BertTokenizerFast`, or the Python one, `BertTokenizer`.
    /// Both tokenize alike; they differ in their name and `clean_up_tokenization_spaces` default.
    public var isFast = true
    /// `tokenizer.padding_side`, for calls that do not pass one.
    public var paddingSide = PaddingSide.right
    /// Where it was loaded from, for `save_pretrained`.
    public var source = TokenizerSource()
    /// The transformers class it stands for, e.g. `DistilBertTokenizerFast`.
    public var className: String { family.rawValue + (isFast ? "Fast" : "") }
    /// Where warnings go (transformers logs them); stderr by default.
    public var warn: @Sendable (String) -> Void = { FileHandle.standardError.write(Data(("\($0)\n").utf8)) }

    public init(family: Family, name: String, normalizer: BertNormalizer, wordPiece: WordPiece,
                specialTokens: SpecialTokens, addedTokens: [String], modelMaxLength: Int?,
                cleanUpTokenizationSpaces: Bool) throws {
        for token in [specialTokens.separator, specialTokens.padding, specialTokens.classifier] where wordPiece.vocabulary.id(token) == nil {
            throw TokenizerError("the vocabulary has no special token '\(token)'")
        }
        self.family = family
        self.name = name
        self.normalizer = normalizer
        self.wordPiece = wordPiece
        self.specialTokens = specialTokens
        self.addedTokens = addedTokens.sorted { $0.unicodeScalars.count > $1.unicodeScalars.count }
        addedTokenStarts = Set(addedTokens.compactMap(\.unicodeScalars.first))
        self.modelMaxLength = modelMaxLength
        self.cleanUpTokenizationSpaces = cleanUpTokenizationSpaces
    }

    public var vocabulary: Vocabulary { wordPiece.vocabulary }

    /// The id of a special token that the initialiser checked is in the vocabulary.
    func requiredID(_ token: String) -> Int { vocabulary.id(token) ?? wordPiece.unknownID }

    /// The ids of the special tokens (`all_special_ids`).
    public var specialIDs: Set<Int> { Set(addedTokens.compactMap(vocabulary.id)) }

    // MARK: Text to ids

    /// The ids of `text` without special tokens around it.
    public func ids(_ text: String) -> [Int] { idsAndWords(text).ids }

    /// The ids of `text`, and for each the index of the word it comes from (`word_ids()`): words are what the
    /// pre-tokeniser splits, an added token in the text being one too.
    func idsAndWords(_ text: String) -> (ids: [Int], words: [Int]) {
        var ids = [Int](), words = [Int](), word = 0
        func endWord() {
            words.append(contentsOf: repeatElement(word, count: ids.count - words.count))
            word += 1
        }
        for segment in splitAddedTokens(text) {
            if let added = segment.added { ids.append(added); endWord(); continue }
            Self.forEachWord(normalizer.normalize(segment.text)) { wordPiece.split($0, into: &ids); endWord() }
        }
        return (ids, words)
    }

    /// The words of `text` after normalisation and pre-tokenisation, before WordPiece (the basic tokenizer).
    public func basicTokens(_ text: String) -> [String] {
        var words = [String]()
        for segment in splitAddedTokens(text) {
            if segment.added != nil { words.append(String(segment.text)); continue }
            Self.forEachWord(normalizer.normalize(segment.text)) { words.append(String(String.UnicodeScalarView($0))) }
        }
        return words
    }

    /// BERT's pre-tokeniser: splits on whitespace (dropped) and punctuation (kept as one-character words).
    private static func forEachWord(_ scalars: [Unicode.Scalar], _ body: (ArraySlice<Unicode.Scalar>) -> Void) {
        var start = -1
        for (i, c) in scalars.enumerated() {
            let space = CharacterClass.isWhitespace(c)
            if space || CharacterClass.isPunctuation(c) {
                if start >= 0 { body(scalars[start..<i]); start = -1 }
                if !space { body(scalars[i...i]) }
            } else if start < 0 {
                start = i
            }
        }
        if start >= 0 { body(scalars[start...]) }
    }

    /// `tokenizer.tokenize(text)`: the WordPiece tokens of `text`.
    public func tokenize(_ text: String) -> [String] { ids(text).map { vocabulary.token($0) ?? wordPiece.unknownToken } }

    /// The text cut into runs of ordinary text and added tokens (matched leftmost, longest first).
    private func splitAddedTokens(_ text: String) -> [(text: Substring, added: Int?)] {
        var out = [(text: Substring, added: Int?)]()
        let scalars = text.unicodeScalars
        var runStart = scalars.startIndex, i = scalars.startIndex
        while i < scalars.endIndex {
            if addedTokenStarts.contains(scalars[i]), let token = addedTokens.first(where: { scalars[i...].starts(with: $0.unicodeScalars) }), let id = vocabulary.id(token) {
                if runStart < i { out.append((Substring(scalars[runStart..<i]), nil)) }
                out.append((Substring(token), id))
                i = scalars.index(i, offsetBy: token.unicodeScalars.count)
                runStart = i
            } else {
                i = scalars.index(after: i)
            }
        }
        if runStart < scalars.endIndex { out.append((Substring(scalars[runStart...]), nil)) }
        return out
    }

    // MARK: Ids to text

    /// `convert_tokens_to_ids`: unknown tokens map to the unknown token's id.
    public func id(forToken token: String) -> Int { vocabulary.id(token) ?? wordPiece.unknownID }

    /// `convert_ids_to_tokens`: nil for ids outside the vocabulary, as the fast tokenizer gives None.
    public func token(forID id: Int) -> String? { vocabulary.token(id) }

    /// `tokenizer.decode(ids)`: tokens joined by spaces, `##` pieces glued on, as the WordPiece decoder does.
    public func decode(_ ids: [Int], skipSpecialTokens: Bool = false, cleanUpTokenizationSpaces: Bool? = nil) -> String {
        let special = skipSpecialTokens ? specialIDs : []
        let text = wordPieceDecoded(ids.filter { !special.contains($0) }.compactMap(vocabulary.token))
        return cleanUpTokenizationSpaces ?? self.cleanUpTokenizationSpaces ? Self.cleanUpTokenization(text) : text
    }

    /// `tokenizer.convert_tokens_to_string(tokens)`: the fast tokenizer's WordPiece decoder; the slow one's
    /// `" ".join(tokens).replace(" ##", "").strip()`.
    public func convertTokensToString(_ tokens: [String]) -> String {
        guard isFast else {
            return tokens.joined(separator: " ").replacingOccurrences(of: " " + wordPiece.continuingPrefix, with: "")
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return wordPieceDecoded(tokens)
    }

    /// huggingface/tokenizers' WordPiece decoder: tokens joined by spaces, `##` pieces glued on, each token
    /// cleaned up with its leading space.
    private func wordPieceDecoded(_ tokens: [String]) -> String {
        var text = ""
        for (i, token) in tokens.enumerated() {
            var piece = token
            if token.hasPrefix(wordPiece.continuingPrefix) {
                piece = String(token.dropFirst(wordPiece.continuingPrefix.count))
            } else if i > 0 {
                piece = " " + token
            }
            text += Self.decoderCleanup(piece)
        }
        return text
    }

    /// The WordPiece decoder's clean-up, applied to each token with its leading space.
    private static func decoderCleanup(_ piece: String) -> String {
        guard piece.hasPrefix(" ") else { return piece }
        return cleanUpTokenization(piece).replacingOccurrences(of: " do not", with: " don't")
    }

    /// transformers' `clean_up_tokenization`: no space before punctuation and English contractions.
    public static func cleanUpTokenization(_ text: String) -> String {
        [(" .", "."), (" ?", "?"), (" !", "!"), (" ,", ","), (" ' ", "'"), (" n't", "n't"), (" 'm", "'m"),
         (" 's", "'s"), (" 've", "'ve"), (" 're", "'re")]
            .reduce(text) { $0.replacingOccurrences(of: $1.0, with: $1.1) }
    }
}
