import Foundation
import Hub
import PythonText

extension PreTrainedTokenizer {
    /// `AutoTokenizer.from_pretrained(checkpoint)`: reads `tokenizer.json` if the checkpoint has one, else
    /// `vocab.txt`; `tokenizer_config.json` and `special_tokens_map.json` override, as in transformers.
    /// The class comes from `tokenizer_class`, else from `config.json`'s `model_type`; `className` (e.g.
    /// `BertTokenizer.from_pretrained`) sets it instead, and a slow class reads `vocab.txt` when there is one.
    /// `initArguments` are `from_pretrained`'s keyword arguments for the class (`add_prefix_space=True`), which
    /// override tokenizer_config.json's.
    public static func load(_ checkpoint: Checkpoint, as className: String? = nil,
                            initArguments: [String: Any] = [:]) throws -> PreTrainedTokenizer {
        let saved = try (try checkpoint.optionalFile("tokenizer_config.json")).map(JSONFile.object) ?? [:]
        let config = saved.merging(initArguments) { $1 }
        let specialMap = try (try checkpoint.optionalFile("special_tokens_map.json")).map(JSONFile.object) ?? [:]
        let family = try className.map(Self.family(className:)) ?? Self.family(config: config, checkpoint: checkpoint)
        let isFast = className?.hasSuffix("Fast") ?? family.hasFastClass
        let hasVocab = try family.vocabularyFileNames.allSatisfy { try checkpoint.optionalFile($0) != nil }
        let tokenizerFile = try checkpoint.optionalFile("tokenizer.json")
        let tokenizerJSON = try (isFast || !hasVocab ? tokenizerFile : nil).map(TokenizerJSON.init)
        var special = family.specialTokens.overridden(by: [config, specialMap])
        let addedTokens = special.addedTokens
            + (config["additional_special_tokens"] as? [Any] ?? []).compactMap { SpecialTokens.addedToken($0) }
        var carried = config.filter { !["name_or_path", "tokenizer_file", "special_tokens_map_file", "added_tokens_decoder"].contains($0.key) }
        var backend: Tokenizer
        if let tokenizerJSON {
            if isFast { for (key, value) in tokenizerJSON.configDefaults where carried[key] == nil { carried[key] = value } }
            if let unknown = tokenizerJSON.unknownToken, unknown != special[.unknown] { special[.unknown] = unknown }
            backend = try tokenizerJSON.tokenizer()
            backend.addedVocabulary = AddedVocabulary(backend.addedVocabulary.contents + addedTokens, vocabulary: backend.vocabulary)
        } else {
            backend = try family.convertSlow(checkpoint, special, config, addedTokens)
        }
        family.applyInitArguments(config, &backend)
        var tokenizer = try PreTrainedTokenizer(
            family: family, name: checkpoint.name, backend: backend, specialTokens: special,
            modelMaxLength: config.keys.contains("model_max_length") ? modelMaxLength(config["model_max_length"]) : family.defaultModelMaxLength,
            // Without the key, the fast tokenizer keeps tokenizer.json's False; a slow one, or a fast one converted
            // from its vocabulary files, takes the class's default.
            cleanUpTokenizationSpaces: config["clean_up_tokenization_spaces"] as? Bool ?? (tokenizerJSON == nil && family.cleansUpByDefault))
        tokenizer.isFast = isFast
        let describesTokens = config["added_tokens_decoder"] != nil || tokenizerFile != nil
        tokenizer.source = TokenizerSource(carriedFields: PythonJSON.dumps(carried), specialTokensAsObjects: describesTokens,
                                           tokenizerJSON: isFast ? tokenizerFile : nil)
        if tokenizerJSON == nil {
            tokenizer.source.vocabularyFiles = try family.vocabularyFileNames.compactMap { name in try checkpoint.optionalFile(name).map { (name, $0) } }
        }
        if let className, let saved = try? Self.family(config: config, checkpoint: checkpoint), saved != family {
            tokenizer.warn("The tokenizer class you load from this checkpoint is not the same type as the class this function is called from. It may result in unexpected tokenization. \nThe tokenizer class you load from this checkpoint is '\(saved.className)'. \nThe class this function is called from is '\(className)'.")
        }
        return tokenizer
    }

    private static func family(className: String) throws -> TokenizerFamily {
        guard let family = TokenizerFamily(className: className) else {
            throw TokenizerError("tokenizer class \(className) is not supported by sbpl (it has \(TokenizerFamily.classNames), slow and fast)")
        }
        return family
    }

    /// `model_max_length`, nil for transformers' "very large" placeholder or when absent.
    private static func modelMaxLength(_ value: Any?) -> Int? {
        guard let number = value as? NSNumber, number.doubleValue < 1e18 else { return nil }
        return number.intValue
    }

    /// The family tokenizer_config.json names, else the one of config.json's `model_type` (BERT's without one).
    private static func family(config: [String: Any], checkpoint: Checkpoint) throws -> TokenizerFamily {
        if let name = config["tokenizer_class"] as? String { return try family(className: name) }
        guard let modelType = try (try checkpoint.optionalFile("config.json")).map(JSONFile.object)?["model_type"] as? String else {
            return .bert
        }
        guard let family = TokenizerFamily(modelType: modelType) else {
            throw TokenizerError("no tokenizer for model type '\(modelType)': sbpl has \(TokenizerFamily.displayNames) tokenizers")
        }
        return family
    }
}
