import Foundation
import Hub
import TestSupport
import Testing
import Tokenizers

/// The SentencePiece fixtures (scripts/fixtures/sentencepiece_goldens.py), each folder loaded once.
enum SentencePieceFixtures {
    static let base = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/sentencepiece")

    /// The T5 checkpoint with only spiece.model (marian/source.spm, copied in: the fixture keeps the model once).
    static func t5Folder() throws -> URL {
        let dir = try Fixtures.temporaryDirectory()
        for name in ["config.json", "tokenizer_config.json"] {
            try FileManager.default.copyItem(at: base.appendingPathComponent("t5/\(name)"), to: dir.appendingPathComponent(name))
        }
        try FileManager.default.copyItem(at: base.appendingPathComponent("marian/source.spm"), to: dir.appendingPathComponent("spiece.model"))
        return dir
    }

    static let loaded: [String: Result<PreTrainedTokenizer, any Error>] = [
        "t5": Result { try PreTrainedTokenizer.load(Checkpoint.locate(t5Folder().path)) },
        "t5-first": Result { try PreTrainedTokenizer.load(Checkpoint.locate(t5Folder().path), initArguments: ["legacy": false]) },
        "t5-fast": Result { try PreTrainedTokenizer.load(Checkpoint.locate(base.appendingPathComponent("t5-fast").path)) },
        "t5-hub": Result { try PreTrainedTokenizer.load(Checkpoint.locate(base.appendingPathComponent("t5-hub").path)) },
        "marian": Result { try PreTrainedTokenizer.load(Checkpoint.locate(base.appendingPathComponent("marian").path)) },
    ]

    static func tokenizer(_ family: String) throws -> PreTrainedTokenizer { try #require(loaded[family]).get() }

    /// t5-fast with `normalizer` and `pre_tokenizer` (JSON text, "null" for none) in its tokenizer.json.
    static func t5Fast(normalizer: String, preTokenizer: String) throws -> PreTrainedTokenizer {
        let dir = try Fixtures.temporaryDirectory(), source = base.appendingPathComponent("t5-fast")
        for name in try FileManager.default.contentsOfDirectory(atPath: source.path) {
            try FileManager.default.copyItem(at: source.appendingPathComponent(name), to: dir.appendingPathComponent(name))
        }
        let url = dir.appendingPathComponent("tokenizer.json")
        var tokenizer = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        for (key, text) in [("normalizer", normalizer), ("pre_tokenizer", preTokenizer)] {
            tokenizer[key] = try JSONSerialization.jsonObject(with: Data(text.utf8), options: .fragmentsAllowed)
        }
        try JSONSerialization.data(withJSONObject: tokenizer).write(to: url)
        return try PreTrainedTokenizer.load(Checkpoint.locate(dir.path))
    }
}

/// The stages of a `sentencepiece_stages.jsonl` row (the rest of it is a `BytePairRow`), as JSON text.
struct StagesRow: Decodable, Sendable, CustomTestStringConvertible {
    var normalizer: String
    var preTokenizer: String
    var text: String

    enum CodingKeys: String, CodingKey { case normalizer, preTokenizer = "pre_tokenizer", text }

    var testDescription: String { "\(normalizer) \(preTokenizer): \(text.debugDescription)" }
}

/// One `marian_parity.jsonl` row: MarianTokenizer's tokens, ids (without and with `</s>`) and decodings of a text,
/// as an input (`marian`) or as a target (`marian-target`).
struct MarianRow: Decodable, Sendable, CustomTestStringConvertible {
    var family: String
    var text: String
    var tokens: [String]
    var ids: [Int]
    var specialIDs: [Int]
    var decoded: String
    var decodedSkip: String

    enum CodingKeys: String, CodingKey {
        case family, text, tokens, ids, specialIDs = "special_ids", decoded, decodedSkip = "decoded_skip"
    }

    var testDescription: String { "\(family): \(text.debugDescription)" }
}

@Suite
struct SentencePieceParityTests {
    /// T5TokenizerFast converted from spiece.model (legacy and `legacy=False`), and read from tokenizer.json files
    /// with a `Precompiled` normalizer (as saved, and with the hub's T5 stages).
    @Test("Same tokens, ids, offsets and decoding as transformers' T5TokenizerFast (Precompiled, SentencePiece conversion)",
          arguments: try FixtureRows.load("sentencepiece_parity.jsonl") as [BytePairRow])
    func t5Parity(row: BytePairRow) throws {
        try expectSameAsTransformers(try SentencePieceFixtures.tokenizer(row.family), row)
    }

    /// Metaspace's `first` scheme after Strip and after WhitespaceSplit, Replace with a string, in tokenizer.json files.
    @Test("Same tokens, ids, offsets and decoding as transformers with other SentencePiece stages",
          arguments: zip(try FixtureRows.load("sentencepiece_stages.jsonl") as [StagesRow],
                         try FixtureRows.load("sentencepiece_stages.jsonl") as [BytePairRow]))
    func stages(stages: StagesRow, row: BytePairRow) throws {
        try expectSameAsTransformers(try SentencePieceFixtures.t5Fast(normalizer: stages.normalizer, preTokenizer: stages.preTokenizer), row)
    }

    @Test("Same tokens, ids and decoding as transformers' MarianTokenizer, inputs and targets",
          arguments: try FixtureRows.load("marian_parity.jsonl") as [MarianRow])
    func marianParity(row: MarianRow) throws {
        let marian = try SentencePieceFixtures.tokenizer("marian")
        let tokenizer = row.family == "marian-target" ? marian.targetTokenizer : marian
        #expect(tokenizer.tokenize(row.text) == row.tokens)
        #expect(tokenizer.ids(row.text) == row.ids)
        #expect(try tokenizer.encode([row.text], batched: false)["input_ids"]?.rows().first == row.specialIDs)
        #expect(tokenizer.decode(row.specialIDs) == row.decoded)
        #expect(tokenizer.decode(row.specialIDs, skipSpecialTokens: true) == row.decodedSkip)
    }

    @Test func everyGoldenRowIsThere() throws {
        let t5 = try FixtureRows.load("sentencepiece_parity.jsonl") as [BytePairRow]
        #expect(Dictionary(grouping: t5, by: \.family).mapValues(\.count) == ["t5": 196, "t5-first": 196, "t5-fast": 196, "t5-hub": 196])
        let marian = try FixtureRows.load("marian_parity.jsonl") as [MarianRow]
        #expect(Dictionary(grouping: marian, by: \.family).mapValues(\.count) == ["marian": 196, "marian-target": 196])
        #expect((try FixtureRows.load("marian_saved.jsonl") as [SavedRow]).count == 1)
        #expect((try FixtureRows.load("sentencepiece_stages.jsonl") as [StagesRow]).count == 33)
    }

    /// `save_pretrained`: the text files as transformers writes them, the models copied, and the folder loads again.
    @Test("Marian's saved files are transformers' own", arguments: try FixtureRows.load("marian_saved.jsonl") as [SavedRow])
    func marianSaved(row: SavedRow) throws {
        let marian = try SentencePieceFixtures.tokenizer(row.family)
        let out = try Fixtures.temporaryDirectory().appendingPathComponent("saved")
        #expect(try marian.save(to: out).map(\.lastPathComponent)
            == ["tokenizer_config.json", "special_tokens_map.json", "source.spm", "target.spm", "vocab.json"])
        for (name, expected) in row.files {
            #expect(try String(contentsOf: out.appendingPathComponent(name), encoding: .utf8) == expected, "\(name)")
        }
        for name in ["source.spm", "target.spm"] {
            let original = SentencePieceFixtures.base.appendingPathComponent("marian/\(name)")
            #expect(try Data(contentsOf: out.appendingPathComponent(name)) == Data(contentsOf: original), "\(name)")
        }
        let text = ">>fr<< Bonjour, ça va ? Très bien."
        #expect(try PreTrainedTokenizer.load(Checkpoint.locate(out.path)).ids(text) == marian.ids(text))
    }

    /// A T5 tokenizer converted from spiece.model saves the model with its configs, and the folder loads again (sbpl
    /// does not write the converted tokenizer.json transformers adds).
    @Test func t5FromSpieceModelSavesTheModel() throws {
        let t5 = try SentencePieceFixtures.tokenizer("t5")
        let out = try Fixtures.temporaryDirectory().appendingPathComponent("saved")
        #expect(try t5.save(to: out).map(\.lastPathComponent) == ["tokenizer_config.json", "special_tokens_map.json", "spiece.model"])
        let model = SentencePieceFixtures.base.appendingPathComponent("marian/source.spm")
        #expect(try Data(contentsOf: out.appendingPathComponent("spiece.model")) == Data(contentsOf: model))
        let text = "<extra_id_0> Saved and loaded again, ＡＢＣ ① too."
        #expect(try PreTrainedTokenizer.load(Checkpoint.locate(out.path)).ids(text) == t5.ids(text))
    }

    @Test func marianIsTheSlowClassWithTransformersDefaults() throws {
        let marian = try SentencePieceFixtures.tokenizer("marian")
        #expect(marian.className == "MarianTokenizer")
        #expect(marian.modelMaxLength == 512)
        #expect(marian.cleanUpTokenizationSpaces == false)
        #expect(marian.padID == 468 && marian.unknownID == 1)
        #expect(TokenizerFamily(className: "MarianTokenizerFast") == nil)
        #expect(try SentencePieceFixtures.tokenizer("t5").className == "T5TokenizerFast")
    }
}
