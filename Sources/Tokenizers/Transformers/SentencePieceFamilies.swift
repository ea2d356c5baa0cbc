import Hub

extension TokenizerFamily {
    /// T5's tokenizers: T5TokenizerFast from `tokenizer.json`, or converted from SentencePiece's `spiece.model` as
    /// transformers' `T5Converter` converts it when there is no tokenizer.json.
    public static let t5 = TokenizerFamily(
        className: "T5Tokenizer", displayName: "T5", modelTypes: ["t5"], modelInputNames: ["input_ids", "attention_mask"],
        specialTokens: PreTrainedTokenizer.SpecialTokens([
            .eos: AddedToken("</s>"), .unknown: AddedToken("<unk>"), .padding: AddedToken("<pad>"),
        ]),
        vocabularyFileNames: ["spiece.model"], convertSlow: SentencePieceConversion.t5,
        applyInitArguments: { _, _ in }, saveInitArguments: { _, _ in }, vocabularyFiles: { _, _ in [] },
        slowTokensToString: MetaspaceDecoder().decode, cleansUpByDefault: false)
}

/// transformers' `SpmConverter` (`convert_slow_tokenizer.py`): the fast pipeline built from a SentencePiece model.
enum SentencePieceConversion {
    /// `T5Converter`: the pieces then `<extra_id_N>` (from the highest N down, score 0) as a Unigram model, and
    /// `$A </s>` / `$A </s> $B </s>`. The extra ids are the special tokens tokenizer_config.json's
    /// `additional_special_tokens` names, or `extra_ids` (100 by default) of them.
    static func t5(_ checkpoint: Checkpoint, _ special: PreTrainedTokenizer.SpecialTokens, _ config: [String: Any],
                   _ addedTokens: [AddedToken]) throws -> Tokenizer {
        let model = try SentencePieceModel(url: try checkpoint.requiredFile("spiece.model", "tokenizer.json"))
        let extraIDs = config["extra_ids"] as? Int ?? 100
        let extraPieces = (0..<extraIDs).reversed().map { "<extra_id_\($0)>" }
        let namesExtraIDs = config["additional_special_tokens"] != nil
        var tokenizer = try converted(model, extraPieces: extraPieces, config: config,
                                      addedTokens: addedTokens + (namesExtraIDs ? [] : extraPieces.reversed().map { AddedToken($0) }))
        let eos = special[.eos] ?? "</s>"
        guard let eosID = tokenizer.vocabulary.id(eos) else { throw TokenizerError("the vocabulary has no special token '\(eos)'") }
        tokenizer.postProcessor = try TemplateProcessing(
            single: [.sequence(.a, typeID: 0), .specialToken(eos, typeID: 0)],
            pair: [.sequence(.a, typeID: 0), .specialToken(eos, typeID: 0), .sequence(.b, typeID: 0), .specialToken(eos, typeID: 0)],
            specialTokens: [eos: [eosID]])
        return tokenizer
    }

    /// `SpmConverter.converted`: a Unigram model of the pieces (and `extraPieces` after them), the model's control
    /// and user-defined pieces as added tokens, the normalizer Sequence[Precompiled, Strip(right), Replace(" {2,}",
    /// "▁")], and Metaspace as pre-tokenizer and decoder with the prepend scheme `add_prefix_space` and `legacy` give.
    private static func converted(_ model: SentencePieceModel, extraPieces: [String], config: [String: Any],
                                  addedTokens: [AddedToken]) throws -> Tokenizer {
        guard model.modelType == .unigram else {
            throw TokenizerError("sbpl converts only Unigram SentencePiece models to a fast tokenizer, not \(model.modelType) ones")
        }
        let unigram = try Unigram(pieces: model.pieces.map { ($0.text, Double($0.score)) } + extraPieces.map { ($0, 0) },
                                  unknownID: model.unknownID)
        let modelAdded = model.pieces.filter { $0.type == .control || $0.type == .userDefined }.map { AddedToken($0.text) }
        let scheme = prependScheme(config)
        return Tokenizer(normalizer: try normalizer(model.normalizer), preTokenizer: Metaspace(prependScheme: scheme), model: unigram,
                         postProcessor: nil, decoder: MetaspaceDecoder(prependScheme: scheme), addedTokens: modelAdded + addedTokens)
    }

    private static func normalizer(_ spec: SentencePieceModel.NormalizerSpec) throws -> NormalizerSequence {
        let cleaning: [any Normalizer] = [Strip(left: false, right: true), try Replace(pattern: .regex(" {2,}"), content: "▁")]
        return NormalizerSequence((spec.charsmap.map { [Precompiled(charsmap: $0)] } ?? []) + cleaning)
    }

    /// `_get_prepend_scheme`: `never` without `add_prefix_space`, `first` when `legacy` is False, else `always`.
    private static func prependScheme(_ config: [String: Any]) -> PrependScheme {
        guard config["add_prefix_space"] as? Bool ?? true else { return .never }
        return config["legacy"] as? Bool == false ? .first : .always
    }
}
