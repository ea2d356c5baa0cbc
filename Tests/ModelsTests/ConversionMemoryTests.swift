import Hub
import Models
import TensorCore
import TestSupport
import Testing

/// `model.to(torch.bfloat16)` (as `from_pretrained(..., torch_dtype=...)`) keeps the converted copy of each weight,
/// and the checkpoint's float32 pages leave memory as each is converted (the float32 model, used again, reads them back
/// from the file): a DistilBERT-size model's conversion peaked at 574 MB of resident memory with them kept, 324 MB without.
@Suite struct ConversionMemoryTests {
    @Test func aConvertedModelLeavesTheCheckpointsPages() throws {
        let model = try AutoModel.load(Checkpoint.locate(Fixtures.miniLM().path), task: .base)
        let word = try #require(model.moduleTree.namedParameters.first { $0.name == "embeddings.word_embeddings.weight" }?.tensor)
        let address = word.withFloatPointer { Int(bitPattern: $0) }
        let values = word.floats()  // every page read: resident
        #expect(ResidentMemory.kibibytes(at: address) >= 40_000)  // 30522 x 384 float32 values, 45,783 KiB
        let converted = try model.converted(to: .bfloat16)
        let after = ResidentMemory.kibibytes(at: address)
        #expect(after < 1_024, "\(after) KiB")  // the pages two tensors share stay: 284 KiB of the 87 MB
        let kept = try #require(converted.moduleTree.namedParameters.first { $0.name == "embeddings.word_embeddings.weight" }?.tensor)
        #expect(kept.dtype == .bfloat16 && kept.floats() == word.to(.bfloat16).floats())
        #expect(word.floats() == values)
    }
}
