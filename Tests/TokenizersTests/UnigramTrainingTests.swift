import Foundation
import Testing
@testable import Tokenizers
import TestSupport

/// One setting of `unigram_training.jsonl`: a corpus, the tokenizer's stages, an UnigramTrainer's settings, and what
/// tokenizers 0.20.3's trainer learns with them, run with sbpl's fixed orders (unigram_training_goldens.py).
struct UnigramTrainingRow: Decodable, Sendable, CustomTestStringConvertible {
    /// A file of scripts/fixtures/text, or the lines themselves.
    enum Corpus: Decodable, Sendable {
        case file(String)
        case lines([String])

        init(from decoder: any Swift.Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let name = try? container.decode(String.self) { self = .file(name) } else { self = .lines(try container.decode([String].self)) }
        }
    }

    struct Settings: Decodable, Sendable {
        var vocab_size: Int
        var special_tokens: [String]?
        var unk_token: String?
        var initial_alphabet: [String]?
        var max_piece_length: Int?
        var seed_size: Int?
        var n_sub_iterations: Int?
        var shrinking_factor: Double?
    }

    var name: String
    var corpus: Corpus
    var max_lines: Int?
    var normalizer: String?
    var pre_tokenizer: String?
    var trainer: Settings
    var vocab: [Piece]?
    var unk_id: Int?
    var error: String?
    /// The piece set the real tokenizers learned, for the row it was run on.
    var real_pieces: [String]?

    /// A `[piece, score]` pair.
    struct Piece: Decodable, Sendable, Equatable {
        var piece: String
        var score: Double

        init(from decoder: any Swift.Decoder) throws {
            var container = try decoder.unkeyedContainer()
            (piece, score) = (try container.decode(String.self), try container.decode(Double.self))
        }
    }

    var testDescription: String { name }

    /// The corpus's lines.
    var lines: [String] {
        get throws {
            switch corpus {
            case .lines(let lines): return lines
            case .file(let name):
                let text = try String(contentsOf: Fixtures.repositoryRoot.appendingPathComponent("scripts/fixtures/text/\(name)"), encoding: .utf8)
                let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
                return max_lines.map { Array(lines.prefix($0)) } ?? lines
            }
        }
    }

    /// An untrained tokenizer with the row's normalizer and pre-tokenizer (the course's normalizer is chapter 6's).
    func tokenizer() throws -> Tokenizer {
        let course: any Normalizer = NormalizerSequence([
            try Replace(pattern: .string("``"), content: "\""), try Replace(pattern: .string("''"), content: "\""), NFKD(), StripAccents(),
            try Replace(pattern: .regex(" {2,}"), content: " "),
        ])
        let preTokenizer: (any PreTokenizer)? = switch pre_tokenizer {
        case "metaspace": Metaspace()
        case "whitespace": Whitespace()
        default: nil
        }
        return Tokenizer(normalizer: normalizer == "course" ? course : nil, preTokenizer: preTokenizer,
                         model: try Unigram(pieces: [("<unk>", 0)], unknownID: 0), postProcessor: nil, decoder: nil, addedTokens: [])
    }

    /// The row's trainer.
    var unigramTrainer: UnigramTrainer {
        var trainer = UnigramTrainer()
        trainer.vocabularySize = self.trainer.vocab_size
        trainer.specialTokens = self.trainer.special_tokens ?? []
        trainer.unknownToken = self.trainer.unk_token
        trainer.initialAlphabet = (self.trainer.initial_alphabet ?? []).compactMap(\.unicodeScalars.first)
        trainer.maximumPieceLength = self.trainer.max_piece_length ?? 16
        trainer.seedSize = self.trainer.seed_size ?? 1_000_000
        trainer.subIterations = self.trainer.n_sub_iterations ?? 2
        trainer.shrinkingFactor = self.trainer.shrinking_factor ?? 0.75
        return trainer
    }
}

/// Unigram training as huggingface/tokenizers' UnigramTrainer learns: the pieces, their order and their scores exactly.
struct UnigramTrainingTests {
    static let rows: [UnigramTrainingRow] = (try? FixtureRows.load("unigram_training.jsonl")) ?? []

    @Test func fixtureHasEverySetting() {
        #expect(Self.rows.count == 23)
        #expect(Self.rows.filter { $0.error != nil }.count == 4)
        #expect(Self.rows.compactMap(\.real_pieces).count == 1)
    }

    @Test(arguments: rows)
    func learnsThePiecesAndScoresTokenizersLearns(_ row: UnigramTrainingRow) throws {
        let words = try row.tokenizer().wordCounts(try row.lines)
        do {
            let learned = try row.unigramTrainer.train(words)
            #expect(row.error == nil)
            let expected = try #require(row.vocab)
            #expect(learned.pieces.count == expected.count)
            #expect(learned.pieces.map(\.piece) == expected.map(\.piece))
            let scores = zip(learned.pieces, expected).enumerated().filter { $1.0.score != $1.1.score }
            #expect(scores.isEmpty, "\(scores.count) scores differ, first: \(scores.first.map { "\($0.offset) \($0.element)" } ?? "")")
            #expect(learned.unknownID == row.unk_id)
            if let real = row.real_pieces { #expect(learned.pieces.map(\.piece).sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) } == real) }
        } catch let failure as UnigramTrainer.Failure {
            let expected = try #require(row.error, "\(failure)")
            #expect(("Exception: " + failure.description).hasPrefix(expected) || ("PanicException: " + failure.description).hasPrefix(expected))
        }
    }

    @Test func seedsAreTokenizersSeeds() {
        // trainer.rs's own test of make_seed_sentence_pieces
        let seeds = UnigramTrainer().seedPieces([(Array("This is a".unicodeScalars), 1), (Array("こんにちは友達".unicodeScalars), 1)])
        #expect(seeds.map(\.piece) == ["s", "i", " ", "達", "友", "ん", "は", "に", "ち", "こ", "h", "a", "T", "is ", "s "])
        #expect(abs(seeds[0].score - -2.5649493574615367) < 1e-12)
        #expect(abs(seeds[seeds.count - 1].score - -1.8718021769015916) < 1e-12)
    }

    @Test func suffixArrayRepeatsAreEsaxxs() {
        // esaxx-rs's own test: ("abra", 2), ("a", 5), ("bra", 2), ("ra", 2), ("", 11)
        let text = Array("abracadabra".unicodeScalars.map(\.value))
        let repeats = SuffixArray.repeats(in: text).map { (String(String.UnicodeScalarView(text[$0.start..<$0.start + $0.length].map { Unicode.Scalar($0)! })), $0.count) }
        #expect(repeats.map(\.0) == ["abra", "a", "bra", "ra", ""])
        #expect(repeats.map(\.1) == [2, 5, 2, 2, 11])
    }

    @Test func stopsWhereTokenizersLoopsForever() throws {
        var trainer = UnigramTrainer()
        trainer.vocabularySize = 0
        #expect(try trainer.train([]).pieces.isEmpty)
        trainer.vocabularySize = 8
        trainer.shrinkingFactor = 1.5
        let learned = try trainer.train([("▁hello", 3), ("▁world", 3)])
        #expect(learned.pieces.count == 8)
        #expect(Set(learned.pieces.map(\.piece)).isSuperset(of: ["▁", "h", "e", "l", "o", "w", "r", "d"]))
    }

    @Test func digammaIsTokenizers() {
        #expect(UnigramTrainer.digamma(1) == -0.5772156649542974)
    }
}
