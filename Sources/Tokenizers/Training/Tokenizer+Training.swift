extension Tokenizer {
    /// The words of `texts` as a trainer counts them (tokenizers' `Trainer::feed`): each text normalised and
    /// pre-tokenized (a byte-level word as the `ByteAlphabet` writes it), counted, in the order first seen.
    public func wordCounts(_ texts: some Sequence<String>) -> [(word: String, count: Int)] {
        var counts = [String: Int](), order = [String]()
        for text in texts {
            let normalized = normalizer?.normalizeString(text) ?? text
            let words = preTokenizer?.preTokenizeString(normalized).map(\.word) ?? (normalized.isEmpty ? [] : [normalized])
            for word in words {
                if counts[word] == nil { order.append(word) }
                counts[word, default: 0] += 1
            }
        }
        return order.map { ($0, counts[$0]!) }
    }

    /// This tokenizer with a BPE model `trainer` learned from `texts` (tokenizers' `train_from_iterator`): the
    /// stages kept, the unknown token of `model` (if it is a BPE and the token was learned), and the trainer's special
    /// tokens added.
    public func trainedBPE(on texts: some Sequence<String>, _ trainer: BPETrainer) throws -> Tokenizer {
        let learned = trainer.train(wordCounts(texts))
        let unknown = (model as? BPE)?.unknownToken.flatMap { learned.vocabulary[$0] == nil ? nil : $0 }
        let model = try BPE(vocabulary: Vocabulary(learned.vocabulary), merges: learned.merges, unknownToken: unknown,
                            continuingPrefix: trainer.continuingPrefix ?? "", endOfWordSuffix: trainer.endOfWordSuffix ?? "")
        let added = addedVocabulary.contents, special = trainer.specialTokens.map { AddedToken($0) }.filter { !added.contains($0) }
        return Tokenizer(normalizer: normalizer, preTokenizer: preTokenizer, model: model, postProcessor: postProcessor,
                         decoder: decoder, addedTokens: added + special)
    }
}
