import Foundation
import Hub
import TestSupport
import Tokenizers
import XCTest

/// The stages built from `tokenizer.json` by their `type`, and the errors for what sbpl does not build.
final class TokenizerStagesTests: XCTestCase {
    /// A `tokenizer.json` holding `sections` (JSON text by key) next to a small WordPiece model.
    private func tokenizerJSON(_ sections: [String: String] = [:], model: String? = nil) throws -> TokenizerJSON {
        let vocab = ###"{"[UNK]": 0, "[CLS]": 1, "[SEP]": 2, "[PAD]": 3, "hello": 4, "world": 5, "!": 6, "wor": 7, "##ld": 8}"###
        var fields = ["\"model\": " + (model ?? #"{"type": "WordPiece", "unk_token": "[UNK]", "vocab": \#(vocab)}"#)]
        fields += sections.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \($0.value)" }
        let url = try Fixtures.temporaryDirectory().appendingPathComponent("tokenizer.json")
        try ("{" + fields.joined(separator: ", ") + "}").write(to: url, atomically: true, encoding: .utf8)
        return try TokenizerJSON(url: url)
    }

    func testSlowAndFastLoadingBuildTheSamePipeline() throws {
        let fast = try TokenizerCheckpoints.bertFromTokenizerJSON().backend, slow = try TokenizerCheckpoints.bertFromVocab().backend
        for backend in [fast, slow] {
            XCTAssertEqual(backend.normalizer as? BertNormalizer, BertNormalizer())
            XCTAssertTrue(backend.preTokenizer is BertPreTokenizer)
            XCTAssertEqual((backend.model as? WordPiece)?.continuingPrefix, "##")
            XCTAssertEqual(backend.postProcessor as? TemplateProcessing,
                           TemplateProcessing.bert(classifier: ("[CLS]", 101), separator: ("[SEP]", 102)))
            XCTAssertEqual(backend.decoder as? WordPieceDecoder, WordPieceDecoder())
            XCTAssertEqual(Set(backend.addedVocabulary.contents), ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"])
        }
        XCTAssertEqual(fast.vocabulary.count, slow.vocabulary.count)
    }

    func testTemplateGivesSpecialTokensTypeAndSequenceIDs() throws {
        let tokenizer = try tokenizerJSON(["pre_tokenizer": #"{"type": "BertPreTokenizer"}"#,
                                           "post_processor": #"{"type": "BertProcessing", "sep": ["[SEP]", 2], "cls": ["[CLS]", 1]}"#]).tokenizer()
        let encoding = try tokenizer.encode("hello world", pair: "world!")
        XCTAssertEqual(encoding.ids, [1, 4, 5, 2, 5, 6, 2])
        XCTAssertEqual(encoding.typeIDs, [0, 0, 0, 0, 1, 1, 1])
        XCTAssertEqual(encoding.wordIDs, [nil, 0, 1, nil, 0, 1, nil])
        XCTAssertEqual(encoding.sequenceIDs, [nil, 0, 0, nil, 1, 1, nil])
        XCTAssertEqual(tokenizer.numSpecialTokensToAdd(isPair: true), 3)
        let plain = try tokenizer.encode("hello", pair: "world", addSpecialTokens: false)
        XCTAssertEqual(plain.ids, [4, 5])
        XCTAssertEqual(plain.typeIDs, [0, 1], "the template's type ids apply without its special tokens")
    }

    func testTruncationCountsSpecialTokensAndPaddingFillsTheBatch() throws {
        let tokenizer = try tokenizerJSON(["pre_tokenizer": #"{"type": "BertPreTokenizer"}"#,
                                           "post_processor": #"{"type": "BertProcessing", "sep": ["[SEP]", 2], "cls": ["[CLS]", 1]}"#]).tokenizer()
        let cut = try tokenizer.encode("hello world hello world", pair: "world", truncation: TruncationParams(maxLength: 6))
        XCTAssertEqual(cut.ids, [1, 4, 5, 2, 5, 2])
        XCTAssertThrowsError(try tokenizer.encode("hello", pair: "world", truncation: TruncationParams(maxLength: 3, strategy: .onlySecond))) {
            XCTAssertEqual("\($0)", "Truncation error: Sequence to truncate too short to respect the provided max_length")
        }
        var batch = [try tokenizer.encode("hello"), try tokenizer.encode("hello world!")]
        try tokenizer.pad(&batch, PaddingParams(strategy: .batchLongest, direction: .left, padToMultipleOf: 3, padID: 3))
        XCTAssertEqual(batch.map(\.ids), [[3, 3, 3, 1, 4, 2], [3, 1, 4, 5, 6, 2]])
        XCTAssertEqual(batch[0].attentionMask, [0, 0, 0, 1, 1, 1])
        XCTAssertEqual(batch[0].wordIDs, [nil, nil, nil, nil, 0, nil])
    }

    func testSequencesLowercaseAndWhitespaceSplit() throws {
        let tokenizer = try tokenizerJSON([
            "normalizer": #"{"type": "Sequence", "normalizers": [{"type": "Lowercase"}, {"type": "BertNormalizer", "lowercase": false}]}"#,
            "pre_tokenizer": #"{"type": "Sequence", "pretokenizers": [{"type": "WhitespaceSplit"}, {"type": "BertPreTokenizer"}]}"#,
            "decoder": ###"{"type": "WordPiece", "prefix": "##", "cleanup": true}"###,
        ]).tokenizer()
        XCTAssertEqual(tokenizer.words("HELLO  World!"), ["hello", "world", "!"])
        XCTAssertEqual(try tokenizer.encode("HELLO  World!").ids, [4, 5, 6])
        XCTAssertEqual(tokenizer.decode([4, 7, 8, 6]), "hello world!")
    }

    func testUnknownTypesAndBadFieldsNameTheFileAndSection() throws {
        let cases = [
            (["normalizer": #"{"type": "NFKC"}"#], "normalizer type NFKC is not supported by sbpl (it has BertNormalizer, Lowercase, Sequence)"),
            (["pre_tokenizer": #"{"type": "ByteLevel"}"#], "pre_tokenizer type ByteLevel is not supported by sbpl (it has BertPreTokenizer, WhitespaceSplit, Sequence)"),
            (["post_processor": #"{"type": "RobertaProcessing"}"#], "post_processor type RobertaProcessing is not supported by sbpl (it has TemplateProcessing, BertProcessing)"),
            (["decoder": #"{"type": "ByteLevel"}"#], "decoder type ByteLevel is not supported by sbpl (it has WordPiece)"),
            (["normalizer": #"{"type": "BertNormalizer", "lowercase": "yes"}"#], "field normalizer.lowercase should be true or false"),
            (["post_processor": #"{"type": "TemplateProcessing", "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}], "pair": []}"#],
             "post_processor: the template names special token '<s>' but gives no ids for it"),
        ]
        for (sections, message) in cases {
            XCTAssertThrowsError(try tokenizerJSON(sections).tokenizer(), message) { error in
                XCTAssertTrue("\(error)".hasSuffix("tokenizer.json: " + message), "\(error)")
            }
        }
        XCTAssertThrowsError(try tokenizerJSON(model: #"{"type": "WordPiece", "vocab": ["a"]}"#)) {
            XCTAssertTrue("\($0)".hasSuffix("tokenizer.json: field model.vocab should be an object"), "\($0)")
        }
        XCTAssertThrowsError(try tokenizerJSON(model: #"{"vocab": {}}"#)) {
            XCTAssertTrue("\($0)".hasSuffix("tokenizer.json: field model.type is missing"), "\($0)")
        }
    }
}
