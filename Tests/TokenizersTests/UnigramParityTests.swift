import Foundation
import Hub
import TestSupport
import Testing
import Tokenizers

/// The T5-style Unigram tokenizer fixture (scripts/fixtures/unigram_goldens.py), loaded once.
private enum UnigramT5 {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/unigram/t5")
    static let loaded = Result { try PreTrainedTokenizer.load(Checkpoint.locate(folder.path)) }
}

@Suite
struct UnigramParityTests {
    /// Each row of `unigram_parity.jsonl` (same layout as `bpe_parity.jsonl`) as T5TokenizerFast encodes and decodes it.
    @Test("Same tokens, ids, offsets and decoding as transformers' T5TokenizerFast (Unigram, Metaspace, NFKC)",
          arguments: try FixtureRows.load("unigram_parity.jsonl") as [BytePairRow])
    func parity(row: BytePairRow) throws {
        try expectSameAsTransformers(try UnigramT5.loaded.get(), row)
    }

    @Test func theClassIsT5TokenizerFast() throws {
        #expect(try UnigramT5.loaded.get().family == .t5)
    }
}
