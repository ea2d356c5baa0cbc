import PythonText

/// The model a trainer makes: a BPE or a WordPiece from what `BPETrainer` learned (tokenizers' `WordPieceTrainer`
/// learns a BPE with the `##` prefix and keeps its vocabulary), or a Unigram from what `UnigramTrainer` learned.
public enum TrainedModel: Sendable {
    /// A BPE with the learned merges; its unknown token kept when it was learned.
    case bpe(unknownToken: String?)
    /// A WordPiece with the learned vocabulary, which must hold its unknown token.
    case wordPiece(unknownToken: String, maxInputCharsPerWord: Int)
    /// A Unigram with the learned pieces (its unknown piece the trainer's).
    case unigram
}

/// A trainer of tokenizers (`BpeTrainer`, `WordPieceTrainer`, `UnigramTrainer`): what it learns from word counts
/// makes a model, and its special tokens join the tokenizer.
public protocol ModelTrainer: Sendable {
    /// How many tokens to learn (`vocab_size`).
    var vocabularySize: Int { get set }
    /// The tokens that come first in the vocabulary (`special_tokens`).
    var specialTokens: [String] { get set }
    /// Characters in the vocabulary even when the texts lack them (`initial_alphabet`).
    var initialAlphabet: [Unicode.Scalar] { get set }
    /// The `kind` model learned from `words` (each word and how often it was seen, in the order first seen).
    func model(learnedFrom words: [(word: String, count: Int)], as kind: TrainedModel) throws -> any TokenizerModel
}

extension BPETrainer: ModelTrainer {
    public func model(learnedFrom words: [(word: String, count: Int)], as kind: TrainedModel) throws -> any TokenizerModel {
        let learned = train(words), vocabulary = try learned.vocabulary
        switch kind {
        case .bpe(let unknownToken):
            return try BPE(vocabulary: vocabulary, merges: learned.merges,
                           unknownToken: unknownToken.flatMap { vocabulary.id($0) == nil ? nil : $0 },
                           continuingPrefix: continuingPrefix ?? "", endOfWordSuffix: endOfWordSuffix ?? "")
        case .wordPiece(let unknownToken, let maxInputCharsPerWord):
            guard vocabulary.id(unknownToken) != nil else {
                throw TokenizerError("the trained vocabulary has no unknown token '\(unknownToken)': give it to the trainer's special_tokens")
            }
            return try WordPiece(vocabulary: vocabulary, unknownToken: unknownToken, continuingPrefix: continuingPrefix ?? "##",
                                 maxInputCharsPerWord: maxInputCharsPerWord)
        case .unigram:
            throw TokenizerError("a BPE trainer trains a BPE or a WordPiece, not a Unigram")
        }
    }
}

extension UnigramTrainer: ModelTrainer {
    public func model(learnedFrom words: [(word: String, count: Int)], as kind: TrainedModel) throws -> any TokenizerModel {
        guard case .unigram = kind else { throw TokenizerError("UnigramTrainer can only train a Unigram") }
        let learned = try train(words)
        return try Unigram(pieces: learned.pieces.map { ($0.piece, $0.score) }, unknownID: learned.unknownID)
    }
}

extension Tokenizer {
    /// This tokenizer with its stages kept and `model` and `addedTokens` replaced, each by default its own
    /// (`tokenizer.model = ...`, a trained model, special tokens added); `addedIDs` gives added tokens outside the
    /// model's vocabulary their ids, and with its own model they keep theirs.
    public func rebuilt(model: (any TokenizerModel)? = nil, addedTokens: [AddedToken]? = nil, addedIDs: [String: Int] = [:]) -> Tokenizer {
        let tokens = addedTokens ?? addedVocabulary.contents
        let kept = model == nil ? tokens.compactMap { token in vocabulary.id(token.content).map { (token.content, $0) } } : []
        return Tokenizer(normalizer: normalizer, preTokenizer: preTokenizer, model: model ?? self.model, postProcessor: postProcessor,
                         decoder: decoder, addedTokens: tokens,
                         addedIDs: Dictionary(kept, uniquingKeysWith: { first, _ in first }).merging(addedIDs) { _, given in given })
    }

    /// The words of `texts` as a trainer counts them (tokenizers' `Trainer::feed`): each text normalised and
    /// pre-tokenized (a byte-level word as the `ByteAlphabet` writes it; without a pre-tokenizer the whole text, even
    /// an empty one), counted, in the order first seen. The texts are split on every core, a few hundred at a time.
    public func wordCounts(_ texts: some Sequence<String>) -> [(word: String, count: Int)] {
        let texts = Array(texts), run = 256
        let runs = (try? TokenizersParallelism.map((texts.count + run - 1) / run) { r in
            texts[r * run..<min(texts.count, (r + 1) * run)].flatMap { text in
                let normalized = normalizer?.normalizeString(text) ?? text
                return (preTokenizer?.preTokenizeString(normalized).map(\.word) ?? [normalized]).map(CodePointKey.init)
            }
        }) ?? []
        var counts = [CodePointKey: Int](), order = [CodePointKey]()  // words told apart by their code points
        for word in runs.joined() {
            if counts[word] == nil { order.append(word) }
            counts[word, default: 0] += 1
        }
        return order.map { ($0.string, counts[$0]!) }
    }

    /// This tokenizer with a `kind` model that `trainer` learned from `texts` (tokenizers' `train_from_iterator`):
    /// the stages kept, the trainer's special tokens added. A BPE keeps its unknown token only when it was learned.
    public func trained(on texts: some Sequence<String>, _ trainer: any ModelTrainer, as kind: TrainedModel) throws -> Tokenizer {
        let model = try trainer.model(learnedFrom: wordCounts(texts), as: kind)
        let added = addedVocabulary.contents
        let special = trainer.specialTokens.filter { token in !added.contains { $0.content == token } }.map { AddedToken($0) }
        return rebuilt(model: model, addedTokens: added + special)
    }
}
