import Foundation
import Language
import TestSupport
import Testing

/// Checkpoint files that once ended or hung the program (issue 13's fuzzing): each is now a clear error naming the
/// file and the problem.
@Suite(.timeLimit(.minutes(1))) struct HostileFilesTests {
    private func checkpoint(_ files: [String: String]) throws -> String {
        let dir = try Fixtures.temporaryDirectory()
        for (name, text) in files { try Data(text.utf8).write(to: dir.appendingPathComponent(name)) }
        return dir.path
    }

    private func error(_ code: String) -> String {
        runProgram("from transformers import AutoConfig, AutoModel, AutoTokenizer\n" + code, file: "t.sbpl").stderr
    }

    @Test func aFIFOInPlaceOfTheWeightsIsRefusedWithoutBlocking() throws {
        let dir = try checkpoint(["config.json": #"{"model_type": "distilbert", "dim": 8, "n_heads": 2, "n_layers": 1, "hidden_dim": 8, "vocab_size": 10}"#])
        #expect(mkfifo(dir + "/model.safetensors", 0o644) == 0)
        let stderr = error("AutoModel.from_pretrained('\(dir)')")
        #expect(stderr.contains("model.safetensors: not a regular file"), "\(stderr)")
    }

    @Test func aFIFOInPlaceOfTheConfigIsRefusedWithoutBlocking() throws {
        let dir = try checkpoint([:])
        #expect(mkfifo(dir + "/config.json", 0o644) == 0)
        let stderr = error("AutoConfig.from_pretrained('\(dir)')")
        #expect(stderr.contains("config.json is not a regular file"), "\(stderr)")
    }

    @Test func aTokenIDBeyondAnyVocabularyIsRefused() throws {
        let tokenizer = #"{"model": {"type": "WordPiece", "unk_token": "[UNK]", "vocab": {"[UNK]": 0, "x": 10000000000}}}"#
        let dir = try checkpoint(["tokenizer.json": tokenizer, "config.json": #"{"model_type": "bert"}"#])
        let stderr = error("AutoTokenizer.from_pretrained('\(dir)')")
        #expect(stderr.contains("tokenizer.json: token 'x' has id 10000000000, outside the 0...4294967295 ids a tokenizer can have"), "\(stderr)")
    }

    @Test func moreLabelsThanMemoryIsRefusedBeforeAllocating() throws {
        let dir = try checkpoint(["config.json": #"{"model_type": "distilbert", "num_labels": 4611686018427387904}"#])
        let stderr = error("AutoConfig.from_pretrained('\(dir)')")
        #expect(stderr.contains("ValueError: ") && stderr.contains("field 'num_labels' is 4611686018427387904, more labels than this machine's memory can hold"), "\(stderr)")
    }
}
