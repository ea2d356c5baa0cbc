import Foundation
import Hub

/// A family of transformers tokenizer classes: the slow and the fast class of one architecture (`BertTokenizer`,
/// `BertTokenizerFast`) and what sets the family apart. `all` lists those sbpl has: adding one is a value here,
/// with its behaviours in a file of its own (as `BertFamily.swift`).
public struct TokenizerFamily: Sendable, Equatable {
    /// The slow class's name; the fast class's adds `Fast`.
    public let className: String
    /// The name of the architecture in messages, e.g. `DistilBERT`.
    public let displayName: String
    /// The `model_type`s (config.json) whose checkpoints use it when tokenizer_config.json names no class.
    public let modelTypes: [String]
    /// `tokenizer.model_input_names`.
    public let modelInputNames: [String]
    /// The special tokens the classes' `__init__` defaults to.
    public let specialTokens: PreTrainedTokenizer.SpecialTokens
    /// The pipeline the slow class builds from the checkpoint's vocabulary files, as transformers'
    /// `convert_slow_tokenizer` does: given the special tokens, tokenizer_config.json and the added tokens.
    let convertSlow: @Sendable (Checkpoint, PreTrainedTokenizer.SpecialTokens, [String: Any], [AddedToken]) throws -> Tokenizer
    /// Sets the pipeline as the class's `__init__` does from the arguments tokenizer_config.json gives.
    let applyInitArguments: @Sendable ([String: Any], inout Tokenizer) -> Void
    /// Writes the class's `__init__` arguments into the tokenizer_config.json fields `save_pretrained` writes.
    let saveInitArguments: @Sendable (Tokenizer, inout [String: Any]) -> Void
    /// The vocabulary files the slow class reads and `save_vocabulary` writes.
    public let vocabularyFileNames: [String]
    /// The texts of those files, in that order, as the fast class or the slow one writes them.
    let vocabularyFiles: @Sendable (Tokenizer, _ isFast: Bool) -> [String]
    /// The bytes of those files instead, for a family whose files are not all text (Marian's `.spm` models).
    let vocabularyData: (@Sendable (Tokenizer) -> [Data])?
    /// The slow class's `convert_tokens_to_string`; nil when it is what the pipeline's decoder does (Marian's).
    let slowTokensToString: (@Sendable ([String]) -> String)?
    /// Whether transformers has a fast class for it (Marian has none: `MarianTokenizer` is what AutoTokenizer gives).
    public let hasFastClass: Bool
    /// `clean_up_tokenization_spaces` when tokenizer_config.json does not say and no tokenizer.json is read: the
    /// class's `__init__` default (True for BERT's and the byte-level BPE classes, the base class's False otherwise).
    let cleansUpByDefault: Bool
    /// `model_max_length` when tokenizer_config.json does not say (Marian's `__init__` gives 512).
    let defaultModelMaxLength: Int?

    /// The families sbpl has.
    public static let all: [TokenizerFamily] = [.bert, .distilBert, .roberta, .gpt2, .bart, .t5, .marian]

    /// The family of a transformers tokenizer class name, slow or fast.
    public init?(className: String) {
        let isFast = className.hasSuffix("Fast"), slowName = isFast ? String(className.dropLast(4)) : className
        guard let family = Self.all.first(where: { $0.className == slowName && ($0.hasFastClass || !isFast) }) else { return nil }
        self = family
    }

    /// The family of checkpoints whose config.json says `modelType`.
    public init?(modelType: String) {
        guard let family = Self.all.first(where: { $0.modelTypes.contains(modelType) }) else { return nil }
        self = family
    }

    init(className: String, displayName: String, modelTypes: [String], modelInputNames: [String],
         specialTokens: PreTrainedTokenizer.SpecialTokens, vocabularyFileNames: [String],
         convertSlow: @escaping @Sendable (Checkpoint, PreTrainedTokenizer.SpecialTokens, [String: Any], [AddedToken]) throws -> Tokenizer,
         applyInitArguments: @escaping @Sendable ([String: Any], inout Tokenizer) -> Void,
         saveInitArguments: @escaping @Sendable (Tokenizer, inout [String: Any]) -> Void,
         vocabularyFiles: @escaping @Sendable (Tokenizer, _ isFast: Bool) -> [String],
         slowTokensToString: (@Sendable ([String]) -> String)?, vocabularyData: (@Sendable (Tokenizer) -> [Data])? = nil,
         hasFastClass: Bool = true, cleansUpByDefault: Bool = true, defaultModelMaxLength: Int? = nil) {
        self.className = className
        self.displayName = displayName
        self.modelTypes = modelTypes
        self.modelInputNames = modelInputNames
        self.specialTokens = specialTokens
        self.vocabularyFileNames = vocabularyFileNames
        self.convertSlow = convertSlow
        self.applyInitArguments = applyInitArguments
        self.saveInitArguments = saveInitArguments
        self.vocabularyFiles = vocabularyFiles
        self.slowTokensToString = slowTokensToString
        self.vocabularyData = vocabularyData
        self.hasFastClass = hasFastClass
        self.cleansUpByDefault = cleansUpByDefault
        self.defaultModelMaxLength = defaultModelMaxLength
    }

    public static func == (a: TokenizerFamily, b: TokenizerFamily) -> Bool { a.className == b.className }

    /// The slow and fast classes with the modules transformers defines them in, under `transformers.models`
    /// (the package is named after the first model type: `bert.tokenization_bert`, `bert.tokenization_bert_fast`).
    public var classModules: [(className: String, module: String)] {
        let package = modelTypes.first ?? className.lowercased()
        let slow = (className, "\(package).tokenization_\(package)")
        return hasFastClass ? [slow, (className + "Fast", "\(package).tokenization_\(package)_fast")] : [slow]
    }

    /// `BertTokenizer and DistilBertTokenizer`, for messages.
    static var classNames: String { listed(all.map(\.className)) }
    /// `BERT and DistilBERT`, for messages.
    static var displayNames: String { listed(all.map(\.displayName)) }

    /// `a`, `a and b`, `a, b and c`.
    private static func listed(_ names: [String]) -> String {
        names.count < 2 ? names.joined() : names.dropLast().joined(separator: ", ") + " and " + (names.last ?? "")
    }
}
