extension PreTrainedTokenizer {
    /// transformers' `train_new_from_iterator(texts, vocab_size)`: a tokenizer of the same class and pipeline
    /// (normaliser, pre-tokenizer, decoder, special tokens) whose model is learned anew from `texts` by the model's
    /// trainer: its added tokens (with how each is matched) first in the vocabulary in the order of their ids, every
    /// byte in the alphabet of a byte-level one, a Unigram's unknown piece kept, and its post-processor's special
    /// tokens renumbered.
    public func trainedNew(on texts: [String], vocabularySize: Int) throws -> PreTrainedTokenizer {
        var trainer: any ModelTrainer, kind: TrainedModel
        switch backend.model {
        case let bpe as BPE:
            var bpeTrainer = BPETrainer()
            bpeTrainer.continuingPrefix = bpe.continuingPrefix.isEmpty ? nil : bpe.continuingPrefix
            bpeTrainer.endOfWordSuffix = bpe.endOfWordSuffix.isEmpty ? nil : bpe.endOfWordSuffix
            (trainer, kind) = (bpeTrainer, .bpe(unknownToken: bpe.unknownToken))
        case let wordPiece as WordPiece:
            trainer = BPETrainer.wordPiece
            kind = .wordPiece(unknownToken: wordPiece.unknownToken ?? "[UNK]", maxInputCharsPerWord: wordPiece.maxInputCharsPerWord)
        case let unigram as Unigram:
            var unigramTrainer = UnigramTrainer()
            unigramTrainer.unknownToken = unigram.unknownToken
            (trainer, kind) = (unigramTrainer, .unigram)
        default:
            throw TokenizerError("sbpl cannot train a new \(type(of: backend.model)) model yet (it trains BPE, WordPiece and Unigram)")
        }
        let vocabulary = backend.vocabulary
        let added = backend.addedVocabulary.contents.sorted { (vocabulary.id($0.content) ?? .max) < (vocabulary.id($1.content) ?? .max) }
        trainer.vocabularySize = vocabularySize
        trainer.specialTokens = added.map(\.content)
        if Self.isByteLevel(backend.preTokenizer) { trainer.initialAlphabet = ByteAlphabet.scalars }
        let untrained = backend.rebuilt(model: try BPE(vocabulary: Vocabulary([:]), merges: []), addedTokens: added)
        var trained = try untrained.trained(on: texts, trainer, as: kind)
        trained.postProcessor = try backend.postProcessor?.renumbered(by: trained.vocabulary.id)
        var tokenizer = try PreTrainedTokenizer(family: family, name: name, backend: trained, specialTokens: specialTokens,
                                                modelMaxLength: modelMaxLength, cleanUpTokenizationSpaces: cleanUpTokenizationSpaces)
        tokenizer.isFast = isFast
        tokenizer.paddingSide = paddingSide
        tokenizer.source = TokenizerSource(carriedFields: source.carriedFields, specialTokensAsObjects: source.specialTokensAsObjects,
                                           isBuilt: true)
        return tokenizer
    }

    /// Whether `preTokenizer` is byte-level, or a sequence with a byte-level one.
    private static func isByteLevel(_ preTokenizer: (any PreTokenizer)?) -> Bool {
        preTokenizer is ByteLevel || (preTokenizer as? PreTokenizerSequence)?.preTokenizers.contains { $0 is ByteLevel } == true
    }
}
