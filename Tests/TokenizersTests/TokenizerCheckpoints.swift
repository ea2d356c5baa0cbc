import Foundation
import Hub
import TestSupport
import Tokenizers

/// MiniLM's real tokenizer files, loaded each way a checkpoint can ship them.
enum TokenizerCheckpoints {
    /// MiniLM as shipped: tokenizer.json + tokenizer_config.json (BertTokenizerFast).
    static func bertFromTokenizerJSON() throws -> PreTrainedTokenizer {
        try PreTrainedTokenizer.load(Checkpoint.locate(try Fixtures.miniLM().path))
    }

    /// vocab.txt + tokenizer_config.json only (the slow-tokenizer file set).
    static func bertFromVocab() throws -> PreTrainedTokenizer {
        try load(files: ["vocab.txt", "tokenizer_config.json", "special_tokens_map.json"], extra: [:])
    }

    /// The SST-2 checkpoint's layout: vocab.txt, a two-key tokenizer_config.json and config.json saying distilbert.
    static func distilBert() throws -> PreTrainedTokenizer {
        try load(files: ["vocab.txt"], extra: sst2Extra)
    }

    /// A byte-level BPE fixture (`roberta` or `gpt2`, made by scripts/fixtures/bpe_goldens.py), as its fast class or
    /// its slow one reads it, with `from_pretrained`'s keyword arguments.
    static func bytePair(_ family: String, className: String? = nil, initArguments: [String: Any] = [:]) throws -> PreTrainedTokenizer {
        try PreTrainedTokenizer.load(Checkpoint.locate(bytePairFolder(family).path), as: className, initArguments: initArguments)
    }

    static func bytePairFolder(_ family: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/bpe/\(family)")
    }

    /// The folder of a golden's family: `bert` (MiniLM as shipped) or `distilbert` (the SST-2 layout).
    static func folder(_ name: String) throws -> URL {
        name == "distilbert" ? try folder(files: ["vocab.txt"], extra: sst2Extra) : try Fixtures.miniLM()
    }

    private static let sst2Extra = [
        "tokenizer_config.json": #"{"model_max_length": 512, "do_lower_case": true}"#,
        "config.json": #"{"model_type": "distilbert", "architectures": ["DistilBertForSequenceClassification"]}"#,
    ]

    private static func load(files: [String], extra: [String: String]) throws -> PreTrainedTokenizer {
        try PreTrainedTokenizer.load(Checkpoint.locate(try folder(files: files, extra: extra).path))
    }

    private static func folder(files: [String], extra: [String: String]) throws -> URL {
        let dir = try Fixtures.temporaryDirectory()
        let source = try Fixtures.miniLM()
        for file in files {
            try FileManager.default.copyItem(at: source.appendingPathComponent(file), to: dir.appendingPathComponent(file))
        }
        for (name, text) in extra { try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return dir
    }
}
