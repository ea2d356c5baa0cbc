import Foundation
import Logging
import Synchronization

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
    /// Which transformers classes it stands for; the family decides the returned fields.
    public let family: TokenizerFamily
    /// `name_or_path`.
    public let name: String
    /// The stages and the model-independent encoding (`tokenizer.backend_tokenizer`).
    public private(set) var backend: Tokenizer
    public private(set) var specialTokens: SpecialTokens
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

    /// The warnings this tokenizer (and every copy of it) has given, that transformers gives once per tokenizer
    /// (its `deprecation_warnings`).
    private let warnedOnce = WarnedOnce()

    /// Logs `message` unless this tokenizer already gave the warning `kind`.
    func warnOnce(_ kind: OnceWarning, _ message: String) {
        if warnedOnce.first(kind) { warn(message) }
    }
    /// The ids of the padding and unknown tokens, if the tokenizer has them (the initialiser checked they are in
    /// the vocabulary).
    public private(set) var padID: Int?, unknownID: Int?

    public init(family: TokenizerFamily, name: String, backend: Tokenizer, specialTokens: SpecialTokens, modelMaxLength: Int?,
                cleanUpTokenizationSpaces: Bool) throws {
        let vocabulary = backend.vocabulary
        for role in [SpecialTokens.Role.separator, .padding, .classifier, .unknown] {
            guard let token = specialTokens[role], vocabulary.id(token) == nil else { continue }
            throw TokenizerError("the vocabulary has no special token '\(token)'")
        }
        self.family = family
        self.name = name
        self.backend = backend
        self.specialTokens = specialTokens
        self.modelMaxLength = modelMaxLength
        self.cleanUpTokenizationSpaces = cleanUpTokenizationSpaces
        padID = specialTokens[.padding].flatMap(vocabulary.id)
        unknownID = specialTokens[.unknown].flatMap(vocabulary.id)
    }

    public var vocabulary: Vocabulary { backend.vocabulary }

    /// `tokenizer.pad_token = tokenizer.eos_token`: sets (or with nil clears) the token of `role`, which must be in
    /// the vocabulary (sbpl does not add tokens).
    public mutating func setSpecialToken(_ role: SpecialTokens.Role, _ token: String?) throws {
        if let token, vocabulary.id(token) == nil {
            throw TokenizerError("'\(token)' is not in the vocabulary: sbpl can set \(role.rawValue) only to a token the tokenizer has")
        }
        specialTokens[role] = token
        padID = specialTokens[.padding].flatMap(vocabulary.id)
        unknownID = specialTokens[.unknown].flatMap(vocabulary.id)
    }

    /// The special tokens, each once, in role order (`all_special_tokens`).
    public var allSpecialTokens: [String] {
        var seen = Set<String>()
        return specialTokens.map.map(\.1).filter { seen.insert($0).inserted }
    }

    /// The ids of the special and added tokens (`all_special_ids`).
    public var specialIDs: Set<Int> { backend.addedVocabulary.ids }

    // MARK: Text to ids

    /// The ids of `text` without special tokens around it.
    public func ids(_ text: String) -> [Int] { backend.encodeSequence(text, sequenceID: 0).ids }

    /// `tokenizer.tokenize(text)`: the model's tokens of `text`; an added token as the text it matched (RoBERTa's
    /// `<mask>` with the space before it, as the fast tokenizer gives it), as is an unknown Unigram piece.
    public func tokenize(_ text: String) -> [String] {
        var start = 0  // where the segment starts in `text`
        return backend.addedVocabulary.split(text).flatMap { segment -> [String] in
            defer { start += segment.text.unicodeScalars.count }
            guard let id = segment.added else { return tokens(of: backend.encodeSequence(String(segment.text), sequenceID: 0, inputStart: start)) }
            return isFast ? [String(segment.text)] : tokens([id])
        }
    }

    /// The tokens of an encoding: each one's vocabulary entry, or the text it stands for (an unknown SentencePiece
    /// piece, an added token with the spaces it took in).
    private func tokens(of encoding: Encoding) -> [String] {
        let vocabulary = self.vocabulary
        return encoding.ids.indices.map { encoding.text(at: $0, in: vocabulary) ?? specialTokens[.unknown] ?? "" }
    }

    /// The token of each id, the unknown token (or an empty one) for ids outside the vocabulary.
    func tokens(_ ids: [Int]) -> [String] {
        let vocabulary = self.vocabulary  // read through the model once, not per id
        return ids.map { vocabulary.token($0) ?? specialTokens[.unknown] ?? "" }
    }

    /// `convert_tokens_to_ids`: unknown tokens map to the unknown token's id (None without one).
    public func id(forToken token: String) -> Int? { vocabulary.id(token) ?? unknownID }

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
        guard !isFast, let slowTokensToString = family.slowTokensToString else { return backend.decode(tokens: tokens) }
        return slowTokensToString(tokens)
    }

    /// The tokenizer for targets (`text_target=`, `with tokenizer.as_target_tokenizer()`): Marian's encodes with its
    /// target.spm; the others encode targets as they encode inputs.
    public var targetTokenizer: PreTrainedTokenizer {
        guard let target = backend.model.targetModel else { return self }
        var out = self
        out.backend.model = target
        return out
    }
}

/// The tokenizer warnings transformers gives once per tokenizer.
enum OnceWarning: Sendable, Hashable {
    case sequenceLongerThanMaximum, truncationNotActivated, padToMaxLengthWithoutOne, truncateToMaxLengthWithoutOne
}

/// Which once-only warnings a tokenizer gave: a reference shared by its copies, as a Python tokenizer is one object.
private final class WarnedOnce: Sendable {
    private let given = Mutex<Set<OnceWarning>>([])

    /// Whether `kind` is given now for the first time.
    func first(_ kind: OnceWarning) -> Bool { given.withLock { $0.insert(kind).inserted } }
}
