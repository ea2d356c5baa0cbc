import Foundation
import Hub
import TestSupport
import Testing
import Tokenizers

/// transformers' own BERT tokenizer test cases (tests/models/bert/test_tokenization_bert.py), on small vocabularies.
struct BertStagesTests {
    @Test("BERT's normalizer and pre-tokenizer (the slow class's basic tokenizer)", arguments: [
        ("ah\u{535A}\u{63A8}zz", BertNormalizer(), ["ah", "\u{535A}", "\u{63A8}", "zz"]),
        (" \tHeLLo!how  \n Are yoU?  ", BertNormalizer(), ["hello", "!", "how", "are", "you", "?"]),
        ("H\u{00E9}llo", BertNormalizer(), ["hello"]),
        (" \tHäLLo!how  \n Are yoU?  ", BertNormalizer(stripAccents: false), ["hällo", "!", "how", "are", "you", "?"]),
        (" \tHäLLo!how  \n Are yoU?  ", BertNormalizer(stripAccents: true, lowercase: false), ["HaLLo", "!", "how", "Are", "yoU", "?"]),
        (" \tHäLLo!how  \n Are yoU?  ", BertNormalizer(lowercase: false), ["HäLLo", "!", "how", "Are", "yoU", "?"]),
        ("\u{00AD} test", BertNormalizer(), ["test"]),
        ("\u{0000}\u{FFFD}a\u{200B}b", BertNormalizer(), ["ab"]),
    ])
    func basicTokens(text: String, normalizer: BertNormalizer, words: [String]) {
        #expect(BertPreTokenizer().words(normalizer.normalize(text[...])) == words)
    }

    @Test func wordPiece() throws {
        let tokens = ["[UNK]", "[CLS]", "[SEP]", "want", "##want", "##ed", "wa", "un", "runn", "##ing"]
        let vocab = try Vocabulary(Dictionary(uniqueKeysWithValues: tokens.enumerated().map { ($1, $0) }))
        let backend = try Tokenizer.bert(vocabulary: vocab, normalizer: BertNormalizer(), unknownToken: "[UNK]",
                                         classifier: "[CLS]", separator: "[SEP]", addedTokens: [])
        let tokenizer = try PreTrainedTokenizer(family: .bert, name: "t", backend: backend, specialTokens: TokenizerFamily.bert.specialTokens.with(.padding, "[UNK]"),
                                                modelMaxLength: nil, cleanUpTokenizationSpaces: true)
        #expect(tokenizer.tokenize("") == [])
        #expect(tokenizer.tokenize("unwanted running") == ["un", "##want", "##ed", "runn", "##ing"])
        #expect(tokenizer.tokenize("unwantedX running") == ["[UNK]", "runn", "##ing"])
    }
}

/// Loading checkpoints as transformers does, and the errors for what cannot be loaded.
struct PreTrainedTokenizerTests {
    @Test func chapterIDs() throws {
        let tokenizer = try TokenizerCheckpoints.distilBert()
        #expect(tokenizer.ids("I've been waiting for a HuggingFace course my whole life.")
                == [1045, 1005, 2310, 2042, 3403, 2005, 1037, 17662, 12172, 2607, 2026, 2878, 2166, 1012])
        #expect(tokenizer.family.modelInputNames == ["input_ids", "attention_mask"])
        #expect(tokenizer.vocabulary.count == 30522)
        #expect(tokenizer.modelMaxLength == 512)
    }

    @Test func badInputGivesClearErrors() throws {
        expectError("the vocabulary has no unknown token '[UNK]'") { _ = try WordPiece(vocabulary: Vocabulary(["a": 0])) }
        let dir = try Fixtures.temporaryDirectory()
        /// Writes `text` as the folder's `name`, then expects loading the folder to fail with `message`.
        func expectLoading(_ name: String, _ text: Data, fails message: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
            try text.write(to: dir.appendingPathComponent(name))
            expectError(message, sourceLocation: sourceLocation) { _ = try PreTrainedTokenizer.load(Checkpoint.locate(dir.path)) }
        }
        try expectLoading("vocab.txt", Data([0x66, 0xFF, 0xFE, 0x0A]), fails: "vocabulary \(dir.path)/vocab.txt is not UTF-8 text")
        try expectLoading("tokenizer.json", Data(#"{"model": "#.utf8), fails: "\(dir.path)/tokenizer.json is not valid JSON")
        try expectLoading("tokenizer.json", Data(#"{"model": {"type": "Unigram", "vocab": {}}}"#.utf8),
                          fails: "\(dir.path)/tokenizer.json: model.vocab should list [piece, score] pairs (Unigram)")
        try expectLoading("tokenizer.json", Data(#"{"model": {"type": "Unigram", "vocab": [["a", -1.0]], "unk_id": 3}}"#.utf8),
                          fails: "\(dir.path)/tokenizer.json: unk_id 3 is not the id of a piece (there are 1)")
        try expectLoading("tokenizer.json", Data(#"{"model": {"type": "BPE", "vocab": {"a": 0}}}"#.utf8),
                          fails: "\(dir.path)/tokenizer.json: model.merges is missing (BPE needs it)")
        try expectLoading("tokenizer.json", Data(#"{"model": {"type": "BPE", "vocab": {"a": 0}, "merges": ["a a"]}}"#.utf8),
                          fails: "\(dir.path)/tokenizer.json: merge 1 ('a a') makes 'aa', which is not in the vocabulary")
        try expectLoading("tokenizer_config.json", Data(#"{"tokenizer_class": "XLNetTokenizer"}"#.utf8),
                          fails: "tokenizer class XLNetTokenizer is not supported by sbpl (it has BertTokenizer, DistilBertTokenizer, RobertaTokenizer, GPT2Tokenizer, BartTokenizer, T5Tokenizer and MarianTokenizer, slow and fast)")
        let t5 = try Fixtures.temporaryDirectory()
        try Data("[UNK]\n".utf8).write(to: t5.appendingPathComponent("vocab.txt"))
        try Data(#"{"model_type": "t5"}"#.utf8).write(to: t5.appendingPathComponent("config.json"))
        expectError("checkpoint '\(t5.path)' has no spiece.model or tokenizer.json in \(t5.path)") {
            _ = try PreTrainedTokenizer.load(Checkpoint.locate(t5.path))
        }
        try Data(#"{"model_type": "xlnet"}"#.utf8).write(to: t5.appendingPathComponent("config.json"))
        expectError("no tokenizer for model type 'xlnet': sbpl has BERT, DistilBERT, RoBERTa, GPT-2, BART, T5 and Marian tokenizers") {
            _ = try PreTrainedTokenizer.load(Checkpoint.locate(t5.path))
        }
        let gpt2 = try Fixtures.temporaryDirectory()
        try Data(#"{"model_type": "gpt2"}"#.utf8).write(to: gpt2.appendingPathComponent("config.json"))
        expectError("checkpoint '\(gpt2.path)' has no vocab.json or tokenizer.json in \(gpt2.path)") {
            _ = try PreTrainedTokenizer.load(Checkpoint.locate(gpt2.path))
        }
        let empty = try Fixtures.temporaryDirectory()
        expectError("checkpoint '\(empty.path)' has no vocab.txt or tokenizer.json in \(empty.path)") {
            _ = try PreTrainedTokenizer.load(Checkpoint.locate(empty.path))
        }
    }

    /// `BertTokenizer.from_pretrained` (slow) and `DistilBertTokenizerFast.from_pretrained` on MiniLM, as transformers
    /// loads them: the class named, not the saved one; the slow class cleans up decoded spaces by default.
    @Test func concreteClassesLoadAsNamed() throws {
        let checkpoint = try Checkpoint.locate(try Fixtures.miniLM().path)
        let slow = try PreTrainedTokenizer.load(checkpoint, as: "BertTokenizer")
        #expect(slow.className == "BertTokenizer")
        #expect(!slow.isFast)
        #expect(slow.cleanUpTokenizationSpaces)
        #expect(slow.decode(slow.ids("isn't it , here ?")) == "isn't it, here?")
        let fast = try PreTrainedTokenizer.load(checkpoint, as: "DistilBertTokenizerFast")
        #expect(fast.className == "DistilBertTokenizerFast")
        #expect(fast.family.modelInputNames == ["input_ids", "attention_mask"])
        #expect(!fast.cleanUpTokenizationSpaces)
        #expect(fast.decode(fast.ids("isn't it , here ?")) == "isn ' t it, here?")  // as transformers decodes it
        let tokens = ["hug", "##ging", "face", "!", "don", "'", "t", "[SEP]"]
        #expect(slow.convertTokensToString(tokens) == "hugging face ! don ' t [SEP]")
        #expect(fast.convertTokensToString(tokens) == "hugging face! don ' t [SEP]")
        expectError("tokenizer class XLNetTokenizer is not supported by sbpl (it has BertTokenizer, DistilBertTokenizer, RobertaTokenizer, GPT2Tokenizer, BartTokenizer, T5Tokenizer and MarianTokenizer, slow and fast)") {
            _ = try PreTrainedTokenizer.load(checkpoint, as: "XLNetTokenizer")
        }
    }

    /// Padding this machine could not hold is refused before anything is allocated.
    @Test func paddingBeyondMemoryIsRefused() throws {
        let tokenizer = try TokenizerCheckpoints.bertFromTokenizerJSON()
        var options = EncodingOptions()
        (options.padding, options.maxLength) = (.maxLength, 1_000_000_000_000)
        do {
            _ = try tokenizer.encode(["a"], options: options)
            Issue.record("padding to 10^12 tokens was not refused")
        } catch {
            #expect("\(error)".hasPrefix("DefaultCPUAllocator: not enough memory: you tried to allocate 24000000000000 bytes"), "\(error)")
        }
    }
}
