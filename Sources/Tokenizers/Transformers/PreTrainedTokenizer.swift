import Foundation
import Logging

/// A transformers tokenizer class (`BertTokenizerFast`, `DistilBertTokenizer`, ...) on top of a huggingface/tokenizers
/// `Tokenizer`: the class name, the special tokens by role, `model_max_length`, `padding_side`, transformers'
/// padding and truncation strategies, decoding with its clean-up, and `save_pretrained`.
///
/// ```swift
/// let tokenizer = try PreTrainedTokenizer.load(try Checkpoint.locate("distilbert-base-uncased-finetuned-sst-2-english"))
/// var options = EncodingOptions(); options.padding = .longest; options.returnTensors = true
/// print(try tokenizer.encode(["I hate this so much!"], options: options))
/// ```
public struct PreTrainedTokenizer: Sendable {
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

    /// Which transformers classes it stands for; the family decides the returned fields.
    public let family: TokenizerFamily
    /// `name_or_path`.
    public let name: String
    /// The stages and the model-independent encoding (`tokenizer.backend_tokenizer`).
    public let backend: Tokenizer
    public let specialTokens: SpecialTokens
    /// `model_max_length`; nil when the checkpoint sets none (transformers then uses `int(1e30)`).
    public let modelMaxLength: Int?
    public let cleanUpTokenizationSpaces: Bool
    /// Whether it stands for the fast (Rust) class, `BertTokenizerFast`, or the Python one, `BertTokenizer`.
    /// Both tokenize alike; they differ in their name, `clean_up_tokenization_spaces` default and
    /// `convert_tokens_to_string`.
    public var isFast = true
    /// `tokenizer.padding_side`, for calls that do not pass one.
    public var paddingSide = PaddingSide.right
    /// Where it was loaded from, for `save_pretrained`.
    public var source = TokenizerSource()
    /// The transformers class it stands for, e.g. `DistilBertTokenizerFast`.
    public var className: String { family.className + (isFast ? "Fast" : "") }
    /// Where warnings go: transformers' tokenizer logger, whose handler the CLI (or a test) chooses.
    public var logger = Logger(label: "transformers.tokenization_utils_base")

    /// Logs `message` as transformers' `logger.warning` does.
    func warn(_ message: String) { logger.warning("\(message)") }
    /// The ids of the padding and unknown tokens, which the initialiser checked are in the vocabulary.
    public let padID: Int, unknownID: Int

    public init(family: TokenizerFamily, name: String, backend: Tokenizer, specialTokens: SpecialTokens, modelMaxLength: Int?,
                cleanUpTokenizationSpaces: Bool) throws {
        let vocabulary = backend.vocabulary
        for token in [specialTokens.separator, specialTokens.padding, specialTokens.classifier, specialTokens.unknown]
        where vocabulary.id(token) == nil {
            throw TokenizerError("the vocabulary has no special token '\(token)'")
        }
        self.family = family
        self.name = name
        self.backend = backend
        self.specialTokens = specialTokens
        self.modelMaxLength = modelMaxLength
        self.cleanUpTokenizationSpaces = cleanUpTokenizationSpaces
        padID = vocabulary.id(specialTokens.padding) ?? 0
        unknownID = vocabulary.id(specialTokens.unknown) ?? 0
    }

    public var vocabulary: Vocabulary { backend.vocabulary }

    /// The ids of the special and added tokens (`all_special_ids`).
    public var specialIDs: Set<Int> { backend.addedVocabulary.ids }

    // MARK: Text to ids

    /// The ids of `text` without special tokens around it.
    public func ids(_ text: String) -> [Int] { backend.encodeSequence(text, sequenceID: 0).ids }

    /// `tokenizer.tokenize(text)`: the model's tokens of `text`.
    public func tokenize(_ text: String) -> [String] { tokens(ids(text)) }

    /// The token of each id, the unknown token for ids outside the vocabulary.
    func tokens(_ ids: [Int]) -> [String] {
        let vocabulary = self.vocabulary  // read through the model once, not per id
        return ids.map { vocabulary.token($0) ?? specialTokens.unknown }
    }

    /// `convert_tokens_to_ids`: unknown tokens map to the unknown token's id.
    public func id(forToken token: String) -> Int { vocabulary.id(token) ?? unknownID }

    // MARK: Ids to text

    /// `convert_ids_to_tokens`: nil for ids outside the vocabulary, as the fast tokenizer gives None.
    public func token(forID id: Int) -> String? { vocabulary.token(id) }

    /// `tokenizer.decode(ids)`: the backend's decoding, then transformers' clean-up if asked (or set).
    public func decode(_ ids: [Int], skipSpecialTokens: Bool = false, cleanUpTokenizationSpaces: Bool? = nil) -> String {
        let text = backend.decode(ids, skipSpecialTokens: skipSpecialTokens)
        return cleanUpTokenizationSpaces ?? self.cleanUpTokenizationSpaces ? cleanUpTokenization(text) : text
    }

    /// `tokenizer.convert_tokens_to_string(tokens)`: the fast tokenizer's decoder; the slow class's own.
    public func convertTokensToString(_ tokens: [String]) -> String {
        isFast ? backend.decode(tokens: tokens) : family.slowTokensToString(tokens)
    }
}
