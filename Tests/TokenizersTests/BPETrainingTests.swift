import Foundation
import Testing
import Tokenizers

/// One setting of `bpe_training.jsonl`: a BpeTrainer's settings, and what huggingface/tokenizers learned with them
/// on scripts/fixtures/text/tasks_corpus.txt (bpe_training_goldens.py).
struct BPETrainingRow: Decodable, Sendable, CustomTestStringConvertible {
    struct Settings: Decodable, Sendable {
        var vocab_size: Int
        var special_tokens: [String]
        var byte_alphabet: Bool?
        var max_token_length: Int?
        var min_frequency: Int?
        var wordpiece: Bool?
    }

    var name: String
    var settings: Settings
    /// The texts trained on, where not the tasks corpus.
    var corpus: [String]?
    var vocab: [String: Int]
    var merges: [[String]]
    var texts: [String]
    var ids: [[Int]]
    var tokens: [[String]]

    var testDescription: String { name }
}

/// BPE training as huggingface/tokenizers' BpeTrainer learns, byte-level (GPT-2's) and on words.
struct BPETrainingTests {
    static let rows: [BPETrainingRow] = (try? FixtureRows.load("bpe_training.jsonl")) ?? []
    static let corpus = (try? String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../scripts/fixtures/text/tasks_corpus.txt"), encoding: .utf8))?.split(separator: "\n").map(String.init) ?? []

    @Test func fixtureHasEverySetting() {
        #expect(Self.rows.map(\.name) == ["byte_level", "byte_level_short", "whitespace", "whitespace_frequent", "wordpiece_one_word"])
        #expect(Self.corpus.count == 30)
    }

    @Test(arguments: rows)
    func learnsTheVocabularyAndMergesTokenizersLearns(_ row: BPETrainingRow) throws {
        let (byteLevel, wordPiece) = (row.settings.byte_alphabet == true, row.settings.wordpiece == true)
        let untrained = Tokenizer(
            normalizer: byteLevel ? nil : wordPiece ? BertNormalizer() as any Normalizer : NormalizerSequence([NFD(), Lowercase(), StripAccents()]),
            preTokenizer: byteLevel ? ByteLevel(addPrefixSpace: false) : wordPiece ? BertPreTokenizer() as any PreTokenizer : Whitespace(),
            model: try BPE(vocabulary: Vocabulary([:]), merges: []), postProcessor: nil, decoder: nil, addedTokens: [])
        var trainer = wordPiece ? BPETrainer.wordPiece : BPETrainer()
        trainer.vocabularySize = row.settings.vocab_size
        trainer.specialTokens = row.settings.special_tokens
        trainer.initialAlphabet = byteLevel ? ByteAlphabet.scalars : []
        trainer.maximumTokenLength = row.settings.max_token_length
        trainer.minimumFrequency = row.settings.min_frequency ?? 0
        let corpus = row.corpus ?? Self.corpus
        let learned = trainer.train(untrained.wordCounts(corpus))
        #expect(Dictionary(uniqueKeysWithValues: learned.tokens.enumerated().map { ($1, $0) }) == row.vocab)
        if !wordPiece { #expect(learned.merges.map { [$0.0, $0.1] } == row.merges) }  // a WordPiece keeps no merges
        let kind: TrainedModel = wordPiece ? .wordPiece(unknownToken: "[UNK]", maxInputCharsPerWord: 100)
            : .bpe(unknownToken: byteLevel ? nil : "[UNK]")
        let tokenizer = try untrained.trained(on: corpus, trainer, as: kind)
        for (i, text) in row.texts.enumerated() {
            let encoding = try tokenizer.encode(text)
            #expect(encoding.ids == row.ids[i], "\(text)")
            #expect(encoding.ids.indices.map { encoding.text(at: $0, in: tokenizer.vocabulary) } == row.tokens[i], "\(text)")
        }
    }
}
