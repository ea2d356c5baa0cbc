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
    }

    var name: String
    var settings: Settings
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
        #expect(Self.rows.map(\.name) == ["byte_level", "byte_level_short", "whitespace", "whitespace_frequent"])
        #expect(Self.corpus.count == 30)
    }

    @Test(arguments: rows)
    func learnsTheVocabularyAndMergesTokenizersLearns(_ row: BPETrainingRow) throws {
        let byteLevel = row.settings.byte_alphabet == true
        let untrained = Tokenizer(
            normalizer: byteLevel ? nil : NormalizerSequence([NFD(), Lowercase(), StripAccents()]),
            preTokenizer: byteLevel ? ByteLevel(addPrefixSpace: false) : Whitespace(),
            model: try BPE(vocabulary: Vocabulary([:]), merges: []), postProcessor: nil, decoder: nil, addedTokens: [])
        var trainer = BPETrainer()
        trainer.vocabularySize = row.settings.vocab_size
        trainer.specialTokens = row.settings.special_tokens
        trainer.initialAlphabet = byteLevel ? ByteAlphabet.scalars : []
        trainer.maximumTokenLength = row.settings.max_token_length
        trainer.minimumFrequency = row.settings.min_frequency ?? 0
        let learned = trainer.train(untrained.wordCounts(Self.corpus))
        #expect(learned.vocabulary == row.vocab)
        #expect(learned.merges.map { [$0.0, $0.1] } == row.merges)
        let tokenizer = try untrained.trainedBPE(on: Self.corpus, trainer)
        for (i, text) in row.texts.enumerated() {
            let encoding = try tokenizer.encode(text)
            #expect(encoding.ids == row.ids[i], "\(text)")
            #expect(encoding.ids.indices.map { encoding.text(at: $0, in: tokenizer.vocabulary) } == row.tokens[i], "\(text)")
        }
    }
}
