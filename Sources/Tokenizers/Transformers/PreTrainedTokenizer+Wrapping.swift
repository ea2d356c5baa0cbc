extension TokenizerFamily {
    /// transformers' `PreTrainedTokenizerFast` itself, around any huggingface/tokenizers `Tokenizer`
    /// (`tokenizer_object=`): no special tokens of its own, no vocabulary files, the base class's input names.
    public static let base = TokenizerFamily(
        className: "PreTrainedTokenizer", displayName: "PreTrainedTokenizerFast", modelTypes: [],
        modelInputNames: ["input_ids", "token_type_ids", "attention_mask"], specialTokens: PreTrainedTokenizer.SpecialTokens(),
        vocabularyFileNames: [], convertSlow: { _, _, _, _ in throw TokenizerError("PreTrainedTokenizerFast has no slow class") },
        applyInitArguments: { _, _ in }, saveInitArguments: { _, _ in }, vocabularyFiles: { _, _ in [] }, slowTokensToString: nil,
        cleansUpByDefault: false)
}

extension PreTrainedTokenizer {
    /// transformers' `CLASS(tokenizer_object=backend, unk_token=..., ...)`: a fast tokenizer of `family` around
    /// `backend`, with the family's special tokens overridden by `overrides`; each special token the backend does
    /// not have yet is added, in transformers' order of roles, after its vocabulary.
    public static func wrapping(_ backend: Tokenizer, as family: TokenizerFamily,
                                specialTokens overrides: [SpecialTokens.Role: String]) throws -> PreTrainedTokenizer {
        var special = family.specialTokens
        for (role, token) in overrides { special[role] = token }
        var added = backend.addedVocabulary.contents, ids = [String: Int]()
        for token in special.addedTokens where backend.vocabulary.id(token.content) == nil && ids[token.content] == nil {
            ids[token.content] = backend.vocabulary.count + ids.count
            added.append(token)
        }
        let extended = ids.isEmpty ? backend : backend.rebuilt(addedTokens: added, addedIDs: ids)
        var tokenizer = try PreTrainedTokenizer(family: family, name: "", backend: extended, specialTokens: special, modelMaxLength: nil,
                                                cleanUpTokenizationSpaces: false)
        tokenizer.isFast = true
        tokenizer.source.isBuilt = true
        return tokenizer
    }
}
