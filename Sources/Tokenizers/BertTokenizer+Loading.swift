import Foundation
import Hub
import PythonText

extension BertTokenizer {
    /// `AutoTokenizer.from_pretrained(checkpoint)`: reads `tokenizer.json` if the checkpoint has one, else
    /// `vocab.txt`; `tokenizer_config.json` and `special_tokens_map.json` override, as in transformers.
    /// The class comes from `tokenizer_class`, else from `config.json`'s `model_type`; `className` (e.g.
    /// `BertTokenizer.from_pretrained`) sets it instead, and a slow class reads `vocab.txt` when there is one.
    public static func load(_ checkpoint: Checkpoint, as className: String? = nil) throws -> BertTokenizer {
        let config = try (try checkpoint.optionalFile("tokenizer_config.json")).map(JSONFile.object) ?? [:]
        let specialMap = try (try checkpoint.optionalFile("special_tokens_map.json")).map(JSONFile.object) ?? [:]
        let family = try className.map(Self.family(className:)) ?? Self.family(config: config, checkpoint: checkpoint)
        let isFast = className?.hasSuffix("Fast") ?? true
        let hasVocab = try checkpoint.optionalFile("vocab.txt") != nil
        let tokenizerFile = try checkpoint.optionalFile("tokenizer.json")
        let tokenizerJSON = isFast || !hasVocab ? tokenizerFile : nil
        var special = SpecialTokens()
        for source in [config, specialMap] {
            special.unknown = tokenString(source["unk_token"]) ?? special.unknown
            special.separator = tokenString(source["sep_token"]) ?? special.separator
            special.padding = tokenString(source["pad_token"]) ?? special.padding
            special.classifier = tokenString(source["cls_token"]) ?? special.classifier
            special.mask = tokenString(source["mask_token"]) ?? special.mask
        }
        var normalizer = BertNormalizer()
        var vocabulary: Vocabulary
        var added = special.map.map(\.1)
        var maxInputChars = 100
        var carried = config.filter { !["name_or_path", "tokenizer_file", "special_tokens_map_file", "added_tokens_decoder"].contains($0.key) }
        if let url = tokenizerJSON {
            let json = try TokenizerJSON(url: url)
            if isFast { for (key, value) in json.configDefaults where carried[key] == nil { carried[key] = value } }
            vocabulary = json.vocabulary
            normalizer = json.normalizer
            maxInputChars = json.maxInputCharsPerWord
            special.unknown = json.unknownToken
            added = Array(Set(added + json.addedTokens))
        } else {
            vocabulary = try Vocabulary(vocabFile: try checkpoint.requiredFile("vocab.txt", "tokenizer.json"))
        }
        normalizer.lowercase = config["do_lower_case"] as? Bool ?? normalizer.lowercase
        if config.keys.contains("strip_accents") { normalizer.stripAccents = config["strip_accents"] as? Bool }
        normalizer.handleChineseChars = config["tokenize_chinese_chars"] as? Bool ?? normalizer.handleChineseChars
        let extra = (config["additional_special_tokens"] as? [Any] ?? []).compactMap(tokenString)
        var tokenizer = try BertTokenizer(
            family: family, name: checkpoint.name, normalizer: normalizer,
            wordPiece: WordPiece(vocabulary: vocabulary, unknownToken: special.unknown, maxInputCharsPerWord: maxInputChars),
            specialTokens: special, addedTokens: Array(Set(added + extra)).filter { vocabulary.id($0) != nil },
            modelMaxLength: modelMaxLength(config["model_max_length"]),
            // Without the key, the fast tokenizer keeps tokenizer.json's False; a slow one, or a fast one converted
            // from vocab.txt, takes the slow class's default, True.
            cleanUpTokenizationSpaces: config["clean_up_tokenization_spaces"] as? Bool ?? (tokenizerJSON == nil))
        tokenizer.isFast = isFast
        let describesTokens = config["added_tokens_decoder"] != nil || tokenizerFile != nil
        tokenizer.source = TokenizerSource(carriedFields: PythonJSON.dumps(carried), specialTokensAsObjects: describesTokens,
                                           tokenizerJSON: isFast ? tokenizerJSON : nil)
        if let className, let saved = try? Self.family(config: config, checkpoint: checkpoint), saved != family {
            tokenizer.warn("The tokenizer class you load from this checkpoint is not the same type as the class this function is called from. It may result in unexpected tokenization. \nThe tokenizer class you load from this checkpoint is '\(saved.rawValue)'. \nThe class this function is called from is '\(className)'.")
        }
        return tokenizer
    }

    private static func family(className: String) throws -> Family {
        guard let family = Family(className: className) else {
            throw TokenizerError("tokenizer class \(className) is not supported by sbpl (it has BertTokenizer and DistilBertTokenizer, slow and fast)")
        }
        return family
    }

    /// A special token given as a string or as an AddedToken object (`{"content": ...}`).
    private static func tokenString(_ value: Any?) -> String? {
        (value as? String) ?? ((value as? [String: Any])?["content"] as? String)
    }

    /// `model_max_length`, nil for transformers' "very large" placeholder or when absent.
    private static func modelMaxLength(_ value: Any?) -> Int? {
        guard let number = value as? NSNumber, number.doubleValue < 1e18 else { return nil }
        return number.intValue
    }

    private static func family(config: [String: Any], checkpoint: Checkpoint) throws -> Family {
        if let name = config["tokenizer_class"] as? String { return try family(className: name) }
        let modelType = try (try checkpoint.optionalFile("config.json")).map(JSONFile.object)?["model_type"] as? String
        switch modelType {
        case "bert", nil: return .bert
        case "distilbert": return .distilBert
        case let other?: throw TokenizerError("no tokenizer for model type '\(other)': sbpl has BERT and DistilBERT tokenizers")
        }
    }
}

/// The parts of a huggingface/tokenizers `tokenizer.json` that a BERT WordPiece tokenizer has.
struct TokenizerJSON {
    let vocabulary: Vocabulary
    let normalizer: BertNormalizer
    let unknownToken: String
    let maxInputCharsPerWord: Int
    let addedTokens: [String]
    /// What a fast tokenizer adds to its `tokenizer_config.json` from the `truncation` and `padding` sections, in
    /// the order transformers sets them (each only if not already set).
    let configDefaults: [(String, Any)]

    init(url: URL) throws {
        let json = try JSONFile.object(at: url)
        let path = url.path
        guard let model = json["model"] as? [String: Any], let type = model["type"] as? String else {
            throw TokenizerError("\(path) has no model section")
        }
        guard type == "WordPiece" else {
            throw TokenizerError("\(path): tokenizer model type \(type) is not supported by sbpl (it has WordPiece)")
        }
        guard let vocab = model["vocab"] as? [String: Int] else { throw TokenizerError("\(path): the WordPiece model has no vocab") }
        vocabulary = Vocabulary(vocab)
        unknownToken = model["unk_token"] as? String ?? "[UNK]"
        maxInputCharsPerWord = model["max_input_chars_per_word"] as? Int ?? 100
        if let prefix = model["continuing_subword_prefix"] as? String, prefix != "##" {
            throw TokenizerError("\(path): continuing_subword_prefix '\(prefix)' is not supported (sbpl uses '##')")
        }
        let norm = json["normalizer"] as? [String: Any]
        guard norm == nil || norm?["type"] as? String == "BertNormalizer" else {
            throw TokenizerError("\(path): normalizer \(norm?["type"] ?? "?") is not supported by sbpl (it has BertNormalizer)")
        }
        normalizer = BertNormalizer(cleanText: norm?["clean_text"] as? Bool ?? true,
                                    handleChineseChars: norm?["handle_chinese_chars"] as? Bool ?? true,
                                    stripAccents: norm?["strip_accents"] as? Bool,
                                    lowercase: norm?["lowercase"] as? Bool ?? true)
        if let pre = json["pre_tokenizer"] as? [String: Any], pre["type"] as? String != "BertPreTokenizer" {
            throw TokenizerError("\(path): pre-tokenizer \(pre["type"] ?? "?") is not supported by sbpl (it has BertPreTokenizer)")
        }
        addedTokens = (json["added_tokens"] as? [[String: Any]] ?? []).compactMap { $0["content"] as? String }
        var defaults = [(String, Any)]()
        if let truncation = json["truncation"] as? [String: Any] {
            defaults += [("max_length", truncation["max_length"] ?? NSNull()),
                         ("truncation_side", Self.side(truncation["direction"])),
                         ("stride", truncation["stride"] ?? 0),
                         ("truncation_strategy", Self.snakeCase(truncation["strategy"] as? String ?? "LongestFirst"))]
        }
        if let padding = json["padding"] as? [String: Any] {
            let length = (padding["strategy"] as? [String: Any])?["Fixed"] ?? NSNull()
            defaults += [("pad_token", padding["pad_token"] ?? "[PAD]"), ("pad_token_type_id", padding["pad_type_id"] ?? 0),
                         ("padding_side", Self.side(padding["direction"])), ("max_length", length),
                         ("pad_to_multiple_of", padding["pad_to_multiple_of"] ?? NSNull())]
        }
        configDefaults = defaults
    }

    /// `"Right"` -> `"right"`, as the tokenizers library reports a direction to transformers.
    private static func side(_ direction: Any?) -> String { (direction as? String)?.lowercased() ?? "right" }

    /// `"LongestFirst"` -> `"longest_first"`.
    private static func snakeCase(_ name: String) -> String {
        name.enumerated().map { $0.offset > 0 && $0.element.isUppercase ? "_" + $0.element.lowercased() : $0.element.lowercased() }.joined()
    }
}
