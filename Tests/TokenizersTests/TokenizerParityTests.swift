import Diagnostics
import Foundation
import Hub
import Logging
import TestSupport
import Testing
import Tokenizers

/// The tokenizers the goldens were made with, each loaded once.
enum Loaded {
    /// How a checkpoint ships its tokenizer.
    enum Path: String, CaseIterable, Sendable {
        case tokenizerJSON = "tokenizer.json", vocabTxt = "vocab.txt"
    }

    static let fromTokenizerJSON = Result { try TokenizerCheckpoints.bertFromTokenizerJSON() }
    static let fromVocab = Result { try TokenizerCheckpoints.bertFromVocab() }
    static let distilBert = Result { try TokenizerCheckpoints.distilBert() }

    static func tokenizer(_ path: Path) throws -> PreTrainedTokenizer {
        try (path == .tokenizerJSON ? fromTokenizerJSON : fromVocab).get()
    }

    static let roberta = Result { try TokenizerCheckpoints.bytePair("roberta") }
    static let gpt2 = Result { try TokenizerCheckpoints.bytePair("gpt2") }

    /// The golden's family: `bert` (MiniLM's tokenizer.json), `distilbert` (the SST-2 checkpoint's layout), or the
    /// byte-level BPE fixtures `roberta` and `gpt2`.
    static func family(_ name: String) throws -> PreTrainedTokenizer {
        switch name {
        case "distilbert": return try distilBert.get()
        case "roberta": return try roberta.get()
        case "gpt2": return try gpt2.get()
        default: return try fromTokenizerJSON.get()
        }
    }
}

/// A guard against a fixture that lost rows (a test over no rows passes).
@Test(arguments: [("parity.jsonl", 384), ("calls.jsonl", 62), ("decode.jsonl", 16), ("saved.jsonl", 4), ("bpe_parity.jsonl", 412),
                  ("bpe_calls.jsonl", 26), ("unigram_parity.jsonl", 174)])
func fixtureHasEveryRow(file: String, rows: Int) throws {
    let lines: [IgnoredRow] = try FixtureRows.load(file)
    #expect(lines.count == rows)
}

/// Replays the goldens transformers' fast tokenizer made (scripts/fixtures/tokenizer_goldens.py), one case a row.
@Suite
struct TokenizerParityTests {
    @Test("Same tokens, ids, words and offsets as transformers, both loading paths", arguments: Loaded.Path.allCases, try FixtureRows.load("parity.jsonl") as [ParityRow])
    func parity(path: Loaded.Path, row: ParityRow) throws {
        let tokenizer = try Loaded.tokenizer(path)
        #expect(tokenizer.ids(row.text) == row.ids)
        #expect(tokenizer.tokenize(row.text) == row.tokens)
        var options = EncodingOptions()
        options.addSpecialTokens = false
        let encoding = try tokenizer.encode([row.text], batched: false, options: options)
        #expect(encoding.wordIDs[0] == row.words)
        #expect(encoding.offsets[0].map { [$0.lowerBound, $0.upperBound] } == row.offsets)
    }

    @Test("Calls print what transformers prints",
          arguments: try FixtureRows.load("calls.jsonl") + FixtureRows.load("bpe_calls.jsonl") as [CallRow])
    func call(row: CallRow) throws {
        var tokenizer = try Loaded.family(row.family)
        tokenizer.logger = Logger(label: "test", writingTo: .buffer(LogBuffer()))
        let batched: Bool
        if case .batch = row.text { batched = true } else { batched = false }
        do {
            let encoding = try tokenizer.encode(row.text.texts, pairs: row.pair?.texts, batched: batched, options: try row.kwargs.options())
            #expect(encoding.description == row.output)
            #expect(encoding.tokens == row.tokens)
            #expect(encoding.wordIDs == row.wordIDs)
            #expect(encoding.sequenceIDs == row.sequenceIDs)
        } catch let error as TokenizerError {
            #expect(error.message == row.error)
        }
    }

    @Test("Decodes as transformers", arguments: try FixtureRows.load("decode.jsonl") as [DecodeRow])
    func decode(row: DecodeRow) throws {
        let tokenizer = try Loaded.family(row.family)
        #expect(tokenizer.decode(row.ids, skipSpecialTokens: row.skipSpecialTokens) == row.text)
        #expect(row.ids.map(tokenizer.token(forID:)) == row.tokens)
    }

    /// `tokenizer.save_pretrained` against the files transformers wrote.
    @Test("Saved files are transformers' own", arguments: try FixtureRows.load("saved.jsonl") as [SavedRow])
    func saved(row: SavedRow) throws {
        let folder = try TokenizerCheckpoints.folder(row.family)
        let tokenizer = try PreTrainedTokenizer.load(Checkpoint.locate(folder.path), as: row.className)
        let out = try Fixtures.temporaryDirectory().appendingPathComponent("saved")
        let files = try tokenizer.save(to: out).map(\.lastPathComponent)
        let hasJSON = tokenizer.isFast && FileManager.default.fileExists(atPath: folder.appendingPathComponent("tokenizer.json").path)
        #expect(files == ["tokenizer_config.json", "special_tokens_map.json", "vocab.txt"] + (hasJSON ? ["tokenizer.json"] : []))
        for (name, expected) in row.files {
            #expect(try String(contentsOf: out.appendingPathComponent(name), encoding: .utf8) == expected, "\(name)")
        }
        #expect(try Data(contentsOf: out.appendingPathComponent("vocab.txt")) == Data(contentsOf: try Fixtures.miniLM().appendingPathComponent("vocab.txt")))
        let reloaded = try PreTrainedTokenizer.load(Checkpoint.locate(out.path))
        #expect(reloaded.ids("Saved and loaded again, Ünïcode too.") == tokenizer.ids("Saved and loaded again, Ünïcode too."))
    }
}

/// A fixture line whose fields are not read (for counting rows).
struct IgnoredRow: Decodable {}
