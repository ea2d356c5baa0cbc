import Foundation
import TestSupport
import Testing
import Tokenizers

/// One text of `bpe_parity.jsonl` (scripts/fixtures/bpe_goldens.py) as a RoBERTa or GPT-2 tokenizer fixture encodes
/// and decodes it in transformers.
struct BytePairRow: Decodable, Sendable, CustomTestStringConvertible {
    var family: String
    var text: String
    var tokens: [String]
    var ids: [Int]
    var offsets: [[Int]]
    var specialIDs: [Int]
    var specialOffsets: [[Int]]
    var decoded: String
    var decodedSkip: String
    var addPrefixSpace: Bool?
    /// `convert_ids_to_tokens(ids)`, where it is not what `tokenize` gives (an lstrip `<mask>` with its space).
    var idTokens: [String]?
    /// What the slow class gives, where it differs.
    var slowIDs: [Int]?

    enum CodingKeys: String, CodingKey {
        case family, text, tokens, ids, offsets, specialIDs = "special_ids", specialOffsets = "special_offsets", decoded,
             decodedSkip = "decoded_skip", addPrefixSpace = "add_prefix_space", idTokens = "id_tokens", slowIDs = "slow_ids"
    }

    var testDescription: String { "\(family)\(addPrefixSpace == true ? "+prefix" : ""): \(text.debugDescription)" }
}

/// The byte-level BPE tokenizers, each loaded once: fast and slow, and RoBERTa's with `add_prefix_space=True`.
private enum BytePair {
    static let loaded: [String: Result<PreTrainedTokenizer, any Error>] = Dictionary(uniqueKeysWithValues: [
        ("roberta", Result { try TokenizerCheckpoints.bytePair("roberta") }),
        ("gpt2", Result { try TokenizerCheckpoints.bytePair("gpt2") }),
        ("roberta+prefix", Result { try TokenizerCheckpoints.bytePair("roberta", initArguments: ["add_prefix_space": true]) }),
        ("roberta slow", Result { try TokenizerCheckpoints.bytePair("roberta", className: "RobertaTokenizer") }),
        ("gpt2 slow", Result { try TokenizerCheckpoints.bytePair("gpt2", className: "GPT2Tokenizer") }),
    ])

    static func tokenizer(_ row: BytePairRow, slow: Bool = false) throws -> PreTrainedTokenizer {
        let key = row.family + (row.addPrefixSpace == true ? "+prefix" : "") + (slow ? " slow" : "")
        return try #require(loaded[key]).get()
    }
}

@Suite
struct BytePairParityTests {
    @Test("Same tokens, ids, offsets and decoding as transformers' RoBERTa and GPT-2 tokenizers",
          arguments: try FixtureRows.load("bpe_parity.jsonl") as [BytePairRow])
    func parity(row: BytePairRow) throws {
        let tokenizer = try BytePair.tokenizer(row)
        #expect(tokenizer.tokenize(row.text) == row.tokens)
        #expect(tokenizer.ids(row.text) == row.ids)
        #expect(row.ids.compactMap(tokenizer.token(forID:)) == row.idTokens ?? row.tokens)
        var options = EncodingOptions()
        options.addSpecialTokens = false
        let plain = try tokenizer.encode([row.text], batched: false, options: options)
        #expect(plain.offsets[0].map { [$0.lowerBound, $0.upperBound] } == row.offsets)
        let special = try tokenizer.encode([row.text], batched: false)
        #expect(try special["input_ids"]?.rows().first == row.specialIDs)
        #expect(special.offsets[0].map { [$0.lowerBound, $0.upperBound] } == row.specialOffsets)
        #expect(tokenizer.decode(row.specialIDs) == row.decoded)
        #expect(tokenizer.decode(row.specialIDs, skipSpecialTokens: true) == row.decodedSkip)
    }

    /// The slow classes read `vocab.json` and `merges.txt` instead of `tokenizer.json`, to the same ids (with
    /// `add_prefix_space`, the slow class puts the space only before the whole text: those rows are the fast class's).
    @Test("The slow classes give the same ids from vocab.json and merges.txt",
          arguments: (try FixtureRows.load("bpe_parity.jsonl") as [BytePairRow]).filter { $0.addPrefixSpace != true })
    func slow(row: BytePairRow) throws {
        let tokenizer = try BytePair.tokenizer(row, slow: true)
        #expect(tokenizer.ids(row.text) == row.slowIDs ?? row.ids)
        #expect(try tokenizer.encode([row.text], batched: false)["input_ids"]?.rows().first == row.specialIDs)
        #expect(tokenizer.decode(row.specialIDs) == row.decoded)
    }
}

/// `save_pretrained` of the byte-level BPE fixtures writes the files transformers wrote for them.
@Test("RoBERTa and GPT-2 tokenizers save as transformers saves them", arguments: ["roberta", "gpt2"])
func bytePairSaved(family: String) throws {
    let tokenizer = try TokenizerCheckpoints.bytePair(family)
    let out = try Fixtures.temporaryDirectory().appendingPathComponent("saved")
    let files = try tokenizer.save(to: out).map(\.lastPathComponent)
    #expect(files == ["tokenizer_config.json", "special_tokens_map.json", "vocab.json", "merges.txt", "tokenizer.json"])
    for name in files {
        let expected = try String(contentsOf: TokenizerCheckpoints.bytePairFolder(family).appendingPathComponent(name), encoding: .utf8)
        #expect(try String(contentsOf: out.appendingPathComponent(name), encoding: .utf8) == expected, "\(name)")
    }
}
