import Foundation
import Hub
import TestSupport
import Tokenizers
import XCTest

/// transformers' own BERT tokenizer test cases (tests/models/bert/test_tokenization_bert.py), on small vocabularies.
final class PreTrainedTokenizerTests: XCTestCase {
    /// The words BERT's normalizer and pre-tokenizer make of `text` (the slow class's basic tokenizer).
    private func words(_ text: String, _ normalizer: BertNormalizer = BertNormalizer()) throws -> [String] {
        BertPreTokenizer().words(normalizer.normalize(text[...]))
    }

    func testChinese() throws {
        XCTAssertEqual(try words("ah\u{535A}\u{63A8}zz"), ["ah", "\u{535A}", "\u{63A8}", "zz"])
    }

    func testBasicTokenizerLower() throws {
        XCTAssertEqual(try words(" \tHeLLo!how  \n Are yoU?  "), ["hello", "!", "how", "are", "you", "?"])
        XCTAssertEqual(try words("H\u{00E9}llo"), ["hello"])
    }

    func testBasicTokenizerLowerStripAccentsFalse() throws {
        XCTAssertEqual(try words(" \tHäLLo!how  \n Are yoU?  ", BertNormalizer(stripAccents: false)), ["hällo", "!", "how", "are", "you", "?"])
    }

    func testBasicTokenizerNoLowerStripAccents() throws {
        XCTAssertEqual(try words(" \tHäLLo!how  \n Are yoU?  ", BertNormalizer(stripAccents: true, lowercase: false)),
                       ["HaLLo", "!", "how", "Are", "yoU", "?"])
        XCTAssertEqual(try words(" \tHäLLo!how  \n Are yoU?  ", BertNormalizer(lowercase: false)),
                       ["HäLLo", "!", "how", "Are", "yoU", "?"])
    }

    func testWordPiece() throws {
        let tokens = ["[UNK]", "[CLS]", "[SEP]", "want", "##want", "##ed", "wa", "un", "runn", "##ing"]
        let vocab = Vocabulary(Dictionary(uniqueKeysWithValues: tokens.enumerated().map { ($1, $0) }))
        let backend = try Tokenizer.bert(vocabulary: vocab, normalizer: BertNormalizer(), unknownToken: "[UNK]",
                                         classifier: "[CLS]", separator: "[SEP]", addedTokens: [])
        let tokenizer = try PreTrainedTokenizer(family: .bert, name: "t", backend: backend, specialTokens: .init(padding: "[UNK]"),
                                                modelMaxLength: nil, cleanUpTokenizationSpaces: true)
        XCTAssertEqual(tokenizer.tokenize(""), [])
        XCTAssertEqual(tokenizer.tokenize("unwanted running"), ["un", "##want", "##ed", "runn", "##ing"])
        XCTAssertEqual(tokenizer.tokenize("unwantedX running"), ["[UNK]", "runn", "##ing"])
    }

    func testCleanText() throws {
        XCTAssertEqual(try words("\u{00AD} test"), ["test"])
        XCTAssertEqual(try words("\u{0000}\u{FFFD}a\u{200B}b"), ["ab"])
    }

    func testChapterIDs() throws {
        let tokenizer = try TokenizerCheckpoints.distilBert()
        XCTAssertEqual(tokenizer.ids("I've been waiting for a HuggingFace course my whole life."),
                       [1045, 1005, 2310, 2042, 3403, 2005, 1037, 17662, 12172, 2607, 2026, 2878, 2166, 1012])
        XCTAssertEqual(tokenizer.family.modelInputNames, ["input_ids", "attention_mask"])
        XCTAssertEqual(tokenizer.vocabulary.count, 30522)
        XCTAssertEqual(tokenizer.modelMaxLength, 512)
    }

    func testBadInputGivesClearErrors() throws {
        XCTAssertThrowsError(try WordPiece(vocabulary: Vocabulary(["a": 0]))) {
            XCTAssertEqual("\($0)", "the vocabulary has no unknown token '[UNK]'")
        }
        let dir = try Fixtures.temporaryDirectory()
        try Data([0x66, 0xFF, 0xFE, 0x0A]).write(to: dir.appendingPathComponent("vocab.txt"))
        XCTAssertThrowsError(try PreTrainedTokenizer.load(Checkpoint.locate(dir.path))) {
            XCTAssertEqual("\($0)", "vocabulary \(dir.path)/vocab.txt is not UTF-8 text")
        }
        try "{\"model\": ".write(to: dir.appendingPathComponent("tokenizer.json"), atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try PreTrainedTokenizer.load(Checkpoint.locate(dir.path))) {
            XCTAssertEqual("\($0)", "\(dir.path)/tokenizer.json is not valid JSON")
        }
        try #"{"model": {"type": "BPE", "vocab": {}}}"#.write(to: dir.appendingPathComponent("tokenizer.json"), atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try PreTrainedTokenizer.load(Checkpoint.locate(dir.path))) {
            XCTAssertEqual("\($0)", "\(dir.path)/tokenizer.json: model type BPE is not supported by sbpl (it has WordPiece)")
        }
        try #"{"tokenizer_class": "RobertaTokenizer"}"#.write(to: dir.appendingPathComponent("tokenizer_config.json"), atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try PreTrainedTokenizer.load(Checkpoint.locate(dir.path))) {
            XCTAssertEqual("\($0)", "tokenizer class RobertaTokenizer is not supported by sbpl (it has BertTokenizer and DistilBertTokenizer, slow and fast)")
        }
        let empty = try Fixtures.temporaryDirectory()
        XCTAssertThrowsError(try PreTrainedTokenizer.load(Checkpoint.locate(empty.path))) {
            XCTAssertEqual("\($0)", "checkpoint '\(empty.path)' has no vocab.txt or tokenizer.json in \(empty.path)")
        }
    }

    /// `BertTokenizer.from_pretrained` (slow) and `DistilBertTokenizerFast.from_pretrained` on MiniLM, as transformers
    /// loads them: the class named, not the saved one; the slow class cleans up decoded spaces by default.
    func testConcreteClassesLoadAsNamed() throws {
        let checkpoint = try Checkpoint.locate(try Fixtures.miniLM().path)
        let slow = try PreTrainedTokenizer.load(checkpoint, as: "BertTokenizer")
        XCTAssertEqual(slow.className, "BertTokenizer")
        XCTAssertFalse(slow.isFast)
        XCTAssertTrue(slow.cleanUpTokenizationSpaces)
        XCTAssertEqual(slow.decode(slow.ids("isn't it , here ?")), "isn't it, here?")
        let fast = try PreTrainedTokenizer.load(checkpoint, as: "DistilBertTokenizerFast")
        XCTAssertEqual(fast.className, "DistilBertTokenizerFast")
        XCTAssertEqual(fast.family.modelInputNames, ["input_ids", "attention_mask"])
        XCTAssertFalse(fast.cleanUpTokenizationSpaces)
        XCTAssertEqual(fast.decode(fast.ids("isn't it , here ?")), "isn ' t it, here?")  // as transformers decodes it
        let tokens = ["hug", "##ging", "face", "!", "don", "'", "t", "[SEP]"]
        XCTAssertEqual(slow.convertTokensToString(tokens), "hugging face ! don ' t [SEP]")
        XCTAssertEqual(fast.convertTokensToString(tokens), "hugging face! don ' t [SEP]")
        XCTAssertThrowsError(try PreTrainedTokenizer.load(checkpoint, as: "GPT2Tokenizer")) {
            XCTAssertEqual("\($0)", "tokenizer class GPT2Tokenizer is not supported by sbpl (it has BertTokenizer and DistilBertTokenizer, slow and fast)")
        }
    }

    /// Padding this machine could not hold is refused before anything is allocated.
    func testPaddingBeyondMemoryIsRefused() throws {
        let tokenizer = try TokenizerCheckpoints.bertFromTokenizerJSON()
        var options = EncodingOptions()
        (options.padding, options.maxLength) = (.maxLength, 1_000_000_000_000)
        XCTAssertThrowsError(try tokenizer.encode(["a"], options: options)) {
            XCTAssertTrue("\($0)".hasPrefix("DefaultCPUAllocator: not enough memory: you tried to allocate 24000000000000 bytes"), "\($0)")
        }
    }
}
