import Foundation
import Hub
import TestSupport
import Testing
import Tokenizers

/// The stages built from `tokenizer.json` by their `type`, and the errors for what sbpl does not build.
struct TokenizerStagesTests {
    /// A `tokenizer.json` holding `sections` (JSON text by key) next to a small WordPiece model.
    private func tokenizerJSON(_ sections: [String: String] = [:], model: String? = nil) throws -> TokenizerJSON {
        try TokenizerJSON(url: try tokenizerJSONFile(sections, model: model))
    }

    /// The file `tokenizerJSON(sections, model:)` reads.
    private func tokenizerJSONFile(_ sections: [String: String] = [:], model: String? = nil) throws -> URL {
        let vocab = ###"{"[UNK]": 0, "[CLS]": 1, "[SEP]": 2, "[PAD]": 3, "hello": 4, "world": 5, "!": 6, "wor": 7, "##ld": 8}"###
        var fields = ["\"model\": " + (model ?? #"{"type": "WordPiece", "unk_token": "[UNK]", "vocab": \#(vocab)}"#)]
        fields += sections.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \($0.value)" }
        let url = try Fixtures.temporaryDirectory().appendingPathComponent("tokenizer.json")
        try ("{" + fields.joined(separator: ", ") + "}").write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    @Test func slowAndFastLoadingBuildTheSamePipeline() throws {
        let fast = try TokenizerCheckpoints.bertFromTokenizerJSON().backend, slow = try TokenizerCheckpoints.bertFromVocab().backend
        for backend in [fast, slow] {
            #expect(backend.normalizer as? BertNormalizer == BertNormalizer())
            #expect(backend.preTokenizer is BertPreTokenizer)
            #expect((backend.model as? WordPiece)?.continuingPrefix == "##")
            #expect(backend.postProcessor as? TemplateProcessing
                    == TemplateProcessing.bert(classifier: ("[CLS]", 101), separator: ("[SEP]", 102)))
            #expect(backend.decoder as? WordPieceDecoder == WordPieceDecoder())
            #expect(Set(backend.addedVocabulary.contents) == ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"])
        }
        #expect(fast.vocabulary.count == slow.vocabulary.count)
    }

    @Test func templateGivesSpecialTokensTypeAndSequenceIDs() throws {
        let tokenizer = try tokenizerJSON(["pre_tokenizer": #"{"type": "BertPreTokenizer"}"#,
                                           "post_processor": #"{"type": "BertProcessing", "sep": ["[SEP]", 2], "cls": ["[CLS]", 1]}"#]).tokenizer()
        let encoding = try tokenizer.encode("hello world", pair: "world!")
        #expect(encoding.ids == [1, 4, 5, 2, 5, 6, 2])
        #expect(encoding.typeIDs == [0, 0, 0, 0, 1, 1, 1])
        #expect(encoding.wordIDs == [nil, 0, 1, nil, 0, 1, nil])
        #expect(encoding.sequenceIDs == [nil, 0, 0, nil, 1, 1, nil])
        #expect(tokenizer.numSpecialTokensToAdd(isPair: true) == 3)
        let plain = try tokenizer.encode("hello", pair: "world", addSpecialTokens: false)
        #expect(plain.ids == [4, 5])
        #expect(plain.typeIDs == [0, 1], "the template's type ids apply without its special tokens")
    }

    @Test func truncationCountsSpecialTokensAndPaddingFillsTheBatch() throws {
        let tokenizer = try tokenizerJSON(["pre_tokenizer": #"{"type": "BertPreTokenizer"}"#,
                                           "post_processor": #"{"type": "BertProcessing", "sep": ["[SEP]", 2], "cls": ["[CLS]", 1]}"#]).tokenizer()
        let cut = try tokenizer.encode("hello world hello world", pair: "world", truncation: TruncationParams(maxLength: 6))
        #expect(cut.ids == [1, 4, 5, 2, 5, 2])
        expectError("Truncation error: Sequence to truncate too short to respect the provided max_length") {
            _ = try tokenizer.encode("hello", pair: "world", truncation: TruncationParams(maxLength: 3, strategy: .onlySecond))
        }
        var batch = [try tokenizer.encode("hello"), try tokenizer.encode("hello world!")]
        try tokenizer.pad(&batch, PaddingParams(strategy: .batchLongest, direction: .left, padToMultipleOf: 3, padID: 3))
        #expect(batch.map(\.ids) == [[3, 3, 3, 1, 4, 2], [3, 1, 4, 5, 6, 2]])
        #expect(batch[0].attentionMask == [0, 0, 0, 1, 1, 1])
        #expect(batch[0].wordIDs == [nil, nil, nil, nil, 0, nil])
    }

    @Test func sequencesLowercaseAndWhitespaceSplit() throws {
        let tokenizer = try tokenizerJSON([
            "normalizer": #"{"type": "Sequence", "normalizers": [{"type": "Lowercase"}, {"type": "BertNormalizer", "lowercase": false}]}"#,
            "pre_tokenizer": #"{"type": "Sequence", "pretokenizers": [{"type": "WhitespaceSplit"}, {"type": "BertPreTokenizer"}]}"#,
            "decoder": ###"{"type": "WordPiece", "prefix": "##", "cleanup": true}"###,
        ]).tokenizer()
        let normalized = try #require(tokenizer.normalizer).normalize("HELLO  World!")
        #expect(try #require(tokenizer.preTokenizer).words(normalized) == ["hello", "world", "!"])
        #expect(try tokenizer.encode("HELLO  World!").ids == [4, 5, 6])
        #expect(tokenizer.decode([4, 7, 8, 6]) == "hello world!")
    }

    /// Chapter 6's stages from a file, with what huggingface/tokenizers 0.20.3 gives for the same file.
    @Test func accentsStrippedAndPunctuationAndDigitsSplit() throws {
        let tokenizer = try tokenizerJSON([
            "normalizer": #"{"type": "Sequence", "normalizers": [{"type": "NFD"}, {"type": "StripAccents"}, {"type": "Lowercase"}]}"#,
            "pre_tokenizer": #"{"type": "Sequence", "pretokenizers": [{"type": "Whitespace"}, {"type": "Punctuation", "behavior": "MergedWithPrevious"}, {"type": "Digits", "individual_digits": true}]}"#,
        ]).tokenizer()
        let text = "H\u{C9}LLO w\u{F6}rld!! 42x"
        #expect(try #require(tokenizer.normalizer).normalizeString(text) == "hello world!! 42x")
        let encoding = try tokenizer.encode(text, addSpecialTokens: false)
        #expect(encoding.ids == [4, 5, 6, 6, 0, 0, 0])
        #expect(encoding.offsets == [0..<5, 6..<11, 11..<12, 12..<13, 14..<15, 15..<16, 16..<17])
    }

    @Test func unknownTypesAndBadFieldsNameTheFileAndSection() throws {
        let cases = [
            (["normalizer": #"{"type": "Prepend"}"#], "normalizer type Prepend is not supported by sbpl (it has BertNormalizer, Lowercase, NFC, NFD, NFKC, NFKD, Precompiled, Replace, Strip, StripAccents, Sequence)"),
            (["normalizer": #"{"type": "Precompiled"}"#], "normalizer: Precompiled needs precompiled_charsmap"),
            (["normalizer": #"{"type": "Precompiled", "precompiled_charsmap": "AQID"}"#], "normalizer: precompiled_charsmap is 3 bytes long, too short to hold its trie size"),
            (["normalizer": #"{"type": "Precompiled", "precompiled_charsmap": "/////w=="}"#], "normalizer: precompiled_charsmap says its trie is 4294967295 bytes, but only 0 follow"),
            (["normalizer": #"{"type": "Precompiled", "precompiled_charsmap": "not base64!"}"#], "normalizer: Precompiled's precompiled_charsmap is not base64"),
            (["normalizer": #"{"type": "Replace", "pattern": {"Regex": "(unclosed"}, "content": ""}"#], "normalizer: Replace's pattern /(unclosed/ is not a regular expression sbpl can read"),
            (["pre_tokenizer": #"{"type": "Split"}"#], "pre_tokenizer type Split is not supported by sbpl (it has BertPreTokenizer, Whitespace, WhitespaceSplit, Punctuation, Digits, ByteLevel, Metaspace, Sequence)"),
            (["pre_tokenizer": #"{"type": "Punctuation", "behavior": "Sideways"}"#], "pre_tokenizer: Punctuation's behavior should be one of Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous, not 'Sideways'"),
            (["pre_tokenizer": #"{"type": "Metaspace", "prepend_scheme": "sometimes"}"#], "pre_tokenizer: Metaspace's prepend_scheme should be always, never or first, not 'sometimes'"),
            (["post_processor": #"{"type": "Sequence"}"#], "post_processor type Sequence is not supported by sbpl (it has TemplateProcessing, BertProcessing, RobertaProcessing, ByteLevel)"),
            (["decoder": #"{"type": "Fuse"}"#], "decoder type Fuse is not supported by sbpl (it has WordPiece, ByteLevel, Metaspace)"),
            (["normalizer": #"{"type": "BertNormalizer", "lowercase": "yes"}"#], "field normalizer.lowercase should be true or false"),
            (["post_processor": #"{"type": "TemplateProcessing", "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}], "pair": []}"#],
             "post_processor: the template names special token '<s>' but gives no ids for it"),
        ]
        for (sections, message) in cases {
            let url = try tokenizerJSONFile(sections)
            expectError("\(url.path): " + message) { _ = try TokenizerJSON(url: url).tokenizer() }
        }
        for (model, message) in [(#"{"type": "WordPiece", "vocab": ["a"]}"#, "field model.vocab should be an object"),
                                  (#"{"vocab": {}}"#, "field model.type is missing")] {
            let url = try tokenizerJSONFile(model: model)
            expectError("\(url.path): " + message) { _ = try TokenizerJSON(url: url) }
        }
    }
}
