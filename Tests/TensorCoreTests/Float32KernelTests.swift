import Foundation
import Safetensors
@testable import TensorCore
import TestSupport
import Testing

/// float32 layer norm and scaled dot-product attention against PyTorch on the CPU, bit for bit
/// (float32_kernels.safetensors, made by scripts/fixtures/float32_kernel_goldens.py): layer norm as ATen's AVX2
/// kernel takes a row's moments, attention as its flash kernel with MKL's summation orders (what makes a dynamically
/// quantized model's outputs PyTorch's own: its int8 products are exact, these are the rest).
@Suite struct Float32KernelTests {
    typealias Case = FixtureCase

    static let file = try? SafetensorsFile(path: Fixtures.url("Fixtures/float32_kernels.safetensors").path)
    static let cases = Case.all(in: file, withPart: "out")
    static let layerNorms = cases.filter { $0.name.hasPrefix("ln.") }
    static let attentions = cases.filter { $0.name.hasPrefix("sdpa.") }

    @Test func theFixtureHasEveryCase() {
        #expect(Self.layerNorms.count == 7)
        #expect(Self.attentions.count == 8)
    }

    private func tensor(_ c: Case, _ part: String) throws -> Tensor { try #require(Self.file).tensor("\(c.name).\(part)") }

    /// How many of `got`'s values differ from `expected`'s bits.
    private func differing(_ got: Tensor, _ expected: Tensor) -> Int {
        zip(got.contiguous().floats(), expected.floats()).filter { $0.bitPattern != $1.bitPattern }.count
    }

    @Test(arguments: layerNorms)
    func layerNormGivesPyTorchsBits(_ c: Case) throws {
        let got = try tensor(c, "x").layerNorm(weight: tensor(c, "w"), bias: tensor(c, "b"), eps: 1e-12)
        let expected = try tensor(c, "out")
        #expect(got.shape == expected.shape)
        #expect(differing(got, expected) == 0)
    }

    @Test(arguments: attentions)
    func attentionGivesPyTorchsBits(_ c: Case) throws {
        let q = try tensor(c, "q")
        let got = try Tensor.scaledDotProductAttention(query: q, key: tensor(c, "k"), value: tensor(c, "v"), keyMask: tensor(c, "keep"),
                                                       scale: 1 / Float(q.shape[3]).squareRoot())
        let expected = try tensor(c, "out")
        #expect(got.shape == expected.shape)
        // MKL's order is the one torch's flash kernel gets only where sbpl's packed kernel runs (AVX2 with FMA)
        guard PackedWeight.isAvailable else { return }
        #expect(differing(got, expected) == 0, "\(differing(got, expected)) of \(expected.count) differ")
    }
}
