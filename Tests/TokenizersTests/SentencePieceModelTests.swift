import Foundation
import Hub
import TestSupport
import Testing
import Tokenizers

@Suite
struct SentencePieceModelTests {
    @Test func readsThePiecesAndSettingsOfATrainedModel() throws {
        let model = try SentencePieceModel(url: SentencePieceFixtures.base.appendingPathComponent("marian/target.spm"))
        #expect(model.modelType == .unigram)
        #expect((model.unknownID, model.bosID, model.eosID, model.padID) == (0, 1, 2, -1))
        #expect(model.pieces.prefix(3).map(\.text) == ["<unk>", "<s>", "</s>"])
        #expect(model.pieces.prefix(3).map(\.type) == [.unknown, .control, .control])
        #expect(model.normalizer.charsmap == nil)
        #expect(model.normalizer.addDummyPrefix && model.normalizer.removeExtraWhitespaces && model.normalizer.escapeWhitespaces)
        let source = try SentencePieceModel(url: SentencePieceFixtures.base.appendingPathComponent("marian/source.spm"))
        #expect(source.normalizer.charsmap != nil)
        #expect(source.pieces.prefix(3).map(\.text) == ["<pad>", "</s>", "<unk>"])
    }

    /// Malformed bytes are errors that say what is wrong and where, never a crash.
    @Test(arguments: [
        ([], "it has no pieces"),
        ([0x0A], "at byte 1, a varint is cut off by the end of the data"),
        ([0x0A, 0x05, 0x0A], "at byte 2, field 1 says it holds 5 bytes, but only 1 are left"),
        ([0x0B], "at byte 1, field 1 has wire type 3, which SentencePiece models do not use"),
        ([0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F], "at byte 11, a varint is longer than 64 bits"),
        ([0x0A, 0x02, 0x18, 0x09], "piece '' has type 9, which sentencepiece does not know"),
        ([0x0A, 0x01, 0x15], "at byte 3, a 32-bit value is cut off by the end of the data"),
        ([0x0A, 0x03, 0x0A, 0x01, 0x61, 0x12, 0x02, 0x18, 0x05], "model_type 5 is not one sentencepiece knows"),
        ([0x0A, 0x03, 0x0A, 0x01, 0x61, 0x12, 0x03, 0xC0, 0x02, 0x07], "its unk_id 7 is not the id of a piece (there are 1)"),
        ([0x0A, 0x03, 0x0A, 0x01, 0x61, 0x1A, 0x03, 0x12, 0x01, 0x00], "precompiled_charsmap is 1 bytes long, too short to hold its trie size"),
        ([0x0A, 0x02, 0x10, 0x01], "its field score does not have the type sentencepiece_model.proto gives it"),
    ] as [([UInt8], String)])
    func malformedBytesAreNamedErrors(bytes: [UInt8], problem: String) {
        let error = #expect(throws: TokenizerError.self) { try SentencePieceModel(bytes: bytes, source: "spiece.model") }
        #expect(error?.message.hasPrefix("spiece.model is not a valid SentencePiece model: ") == true)
        #expect(error?.message.hasSuffix(problem) == true, "\(error?.message ?? "")")
    }

    @Test func aT5CheckpointWithABrokenModelSaysSo() throws {
        let dir = try Fixtures.temporaryDirectory()
        try #"{"model_type": "t5"}"#.write(to: dir.appendingPathComponent("config.json"), atomically: true, encoding: .utf8)
        try Data([0x0A, 0x05]).write(to: dir.appendingPathComponent("spiece.model"))
        let error = #expect(throws: TokenizerError.self) { try PreTrainedTokenizer.load(Checkpoint.locate(dir.path)) }
        #expect(error?.message == "\(dir.appendingPathComponent("spiece.model").path) is not a valid SentencePiece model: at byte 2, field 1 says it holds 5 bytes, but only 0 are left")
    }
}
