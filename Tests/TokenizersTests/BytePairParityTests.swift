import Foundation
import Hub
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

/// Checks `tokenizer` against one row of a parity fixture: tokens, ids, offsets and decoding, with and without the
/// special tokens.
func expectSameAsTransformers(_ tokenizer: PreTrainedTokenizer, _ row: BytePairRow) throws {
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
        try expectSameAsTransformers(try BytePair.tokenizer(row), row)
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

/// Cases huggingface/tokenizers and transformers 4.46.3 settle one way (values from them): merge ranks, added-token
/// matching, the prefix space's offsets, decoding added tokens, merges.txt with Windows line ends.
struct BytePairEdgeCaseTests {
    @Test func aRepeatedMergeTakesItsLastRank() throws {
        let vocabulary = try Vocabulary(["q": 0, "x": 1, "z": 2, "qx": 3, "xz": 4])
        let bpe = try BPE(vocabulary: vocabulary, merges: [("q", "x"), ("x", "z"), ("q", "x")])
        var ids = [Int](), spans = [Range<Int>]()
        bpe.tokenize(Array("qxz".unicodeScalars)[...], into: &ids, spans: &spans)
        #expect(ids.compactMap(vocabulary.token) == ["q", "xz"])
    }

    /// A `single_word` token refused next to a word character is skipped whole (leftmost-longest), `_` counting as one.
    @Test(arguments: [("qqqx", ["q", "q", "q", "x"]), ("xqqq", ["x", "q", "q", "q"]), ("a qqq b", ["a", "Ġ", "qqq", "Ġb"]),
                      ("qqq_", ["q", "q", "q", "_"]), ("qq qqq", ["qq", "Ġ", "qqq"])])
    func singleWordTokens(text: String, tokens: [String]) throws {
        let gpt2 = try TokenizerCheckpoints.bytePair("gpt2")
        var entries = [String: Int]()
        for id in 0..<gpt2.vocabulary.count { if let token = gpt2.vocabulary.token(id) { entries[token] = id } }
        (entries["qqq"], entries["qq"]) = (gpt2.vocabulary.count, gpt2.vocabulary.count + 1)
        let vocabulary = try Vocabulary(entries)
        let model = try BPE(vocabulary: vocabulary, merges: try #require(gpt2.backend.model as? BPE).mergeList)
        let tokenizer = Tokenizer(normalizer: nil, preTokenizer: ByteLevel(), model: model, postProcessor: ByteLevelProcessing(trimming: nil),
                                  decoder: ByteLevelDecoder(), addedTokens: [AddedToken("qqq", singleWord: true), "qq"])
        #expect(try tokenizer.encode(text, addSpecialTokens: false).ids.compactMap(vocabulary.token) == tokens)
    }

    /// The space `add_prefix_space` puts in front spans the first character (GPT-2 does not trim offsets).
    @Test(arguments: [("Hello world", [[0, 1], [0, 4], [4, 5], [5, 9], [9, 11]]), ("\nHi", [[0, 1], [0, 1], [1, 2], [2, 3]])])
    func prefixSpaceOffsets(text: String, offsets: [[Int]]) throws {
        let gpt2 = try TokenizerCheckpoints.bytePair("gpt2", initArguments: ["add_prefix_space": true])
        let encoding = try gpt2.encode([text], batched: false)
        #expect(encoding.offsets[0].map { [$0.lowerBound, $0.upperBound] } == offsets)
    }

    @Test func anAddedTokenDecodesAsItsOwnText() {
        #expect(ByteLevelDecoder().decode(["a", "Ġ", "né日", "Ġb"]) == "a né日 b")
    }

    @Test func mergesWithWindowsLineEndsLoad() throws {
        let folder = try Fixtures.temporaryDirectory()
        let source = TokenizerCheckpoints.bytePairFolder("gpt2")
        for file in ["vocab.json", "config.json"] {
            try FileManager.default.copyItem(at: source.appendingPathComponent(file), to: folder.appendingPathComponent(file))
        }
        let merges = try String(contentsOf: source.appendingPathComponent("merges.txt"), encoding: .utf8)
        try merges.replacingOccurrences(of: "\n", with: "\r\n").write(to: folder.appendingPathComponent("merges.txt"), atomically: true, encoding: .utf8)
        let crlf = try PreTrainedTokenizer.load(Checkpoint.locate(folder.path), as: "GPT2Tokenizer")
        let reference = try TokenizerCheckpoints.bytePair("gpt2", className: "GPT2Tokenizer")
        #expect(crlf.ids("In this course, we will teach you how to") == reference.ids("In this course, we will teach you how to"))
    }
}
