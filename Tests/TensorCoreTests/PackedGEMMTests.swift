import CKernels
@testable import TensorCore
import Testing

/// The GEMM over packed weights that linear layers use: every edge of its tiling (rows past a multiple of the
/// micro-kernel's 6, columns past a panel of 16, depths past a block of 256), both weight layouts, both splits
/// over the cores, and a weight written in place, against products computed in double precision.
@Suite struct PackedGEMMTests {
    /// Deterministic values in [-1, 1).
    private static func values(_ count: Int, seed: UInt64) -> [Float] {
        var state = seed &* 6364136223846793005 &+ 1442695040888963407
        return (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(Int(state >> 40) - (1 << 23)) / Float(1 << 23)
        }
    }

    /// `x @ w^T + bias` in double, `x` `[m, k]`, `w` `[n, k]`.
    private static func reference(_ x: [Float], _ w: [Float], _ bias: [Float], m: Int, n: Int, k: Int) -> [Double] {
        (0..<(m * n)).map { index in
            let (i, j) = (index / n, index % n)
            return (0..<k).reduce(Double(bias[j])) { $0 + Double(x[i * k + $1]) * Double(w[j * k + $1]) }
        }
    }

    private static func expectClose(_ got: [Float], _ expected: [Double], k: Int, _ comment: Comment) {
        #expect(got.count == expected.count, comment)
        let worst = zip(got, expected).map { abs(Double($0) - $1) }.max() ?? 0
        #expect(worst <= 1e-6 * Double(k + 1), comment)  // float32 sums of k products of values below 1
    }

    @Test(arguments: [(2, 1, 1), (5, 15, 7), (6, 16, 256), (7, 17, 257), (8, 16, 256), (13, 33, 600), (130, 130, 600), (301, 40, 300), (20, 300, 600)])
    func linearMatchesTheProductInDouble(shape: (Int, Int, Int)) throws {
        let (m, n, k) = shape
        let (x, w, b) = (Self.values(m * k, seed: 1), Self.values(n * k, seed: 2), Self.values(n, seed: 3))
        let expected = Self.reference(x, w, b, m: m, n: n, k: k)
        let input = Tensor(floats: x, shape: [m, k])
        let linear = try input.linear(weight: Tensor(floats: w, shape: [n, k]), bias: Tensor(floats: b, shape: [n]))
        Self.expectClose(linear.floats(), expected, k: k, "linear \(shape)")
        // Conv1D's layout: the weight stored [k, n], read through its transpose
        let stored = (0..<(k * n)).map { w[($0 % n) * k + $0 / n] }
        let conv = try input.conv1D(weight: Tensor(floats: stored, shape: [k, n]), bias: Tensor(floats: b, shape: [n]))
        Self.expectClose(conv.floats(), expected, k: k, "conv1D \(shape)")
    }

    @Test func aWeightWrittenInPlaceIsPackedAgain() throws {
        let (m, n, k) = (9, 20, 30)
        let (x, w) = (Self.values(m * k, seed: 4), Self.values(n * k, seed: 5))
        let (input, weight) = (Tensor(floats: x, shape: [m, k]), Tensor(floats: w, shape: [n, k]))
        let zero = [Float](repeating: 0, count: n)
        _ = try input.linear(weight: weight, bias: nil)
        try weight.assign(Tensor(floats: [Float](repeating: 0.5, count: k), shape: [k]), at: [.at(3)])
        let changed = w.enumerated().map { $0.offset / k == 3 ? 0.5 : $0.element }
        Self.expectClose(try input.linear(weight: weight, bias: nil).floats(),
                         Self.reference(x, changed, zero, m: m, n: n, k: k), k: k, "after the write")
    }

    /// A layer of no inputs (in_features=0) gives its bias, or zeros, in each type, as torch's `F.linear(torch.zeros(3,
    /// 0), torch.zeros(4, 0), bias)` does (its outputs were left uninitialized); GELU after it as torch rounds it.
    @Test(arguments: [(DType.float32, [Float(0.8413447141647339), -0.04550027847290039, 0.3457312285900116, 3.999873638153076]),
                      (.bfloat16, [0.83984375, -0.04541015625, 0.345703125, 4]), (.float16, [0.84130859375, -0.045501708984375, 0.345703125, 4])])
    func aLayerOfNoInputsGivesItsBias(_ dtype: DType, gelu: [Float]) throws {
        let (x, w) = (Tensor(floats: [], shape: [3, 0]).to(dtype), Tensor(floats: [], shape: [4, 0]).to(dtype))
        let bias = Tensor(floats: [1, -2, 0.5, 4], shape: [4]).to(dtype)
        #expect(try x.linear(weight: w, bias: nil).floats() == [Float](repeating: 0, count: 12))
        #expect(try x.linear(weight: w, bias: bias).floats() == [1, -2, 0.5, 4, 1, -2, 0.5, 4, 1, -2, 0.5, 4])
        #expect(try x.linearGELU(weight: w, bias: bias).floats() == gelu + gelu + gelu)
    }

    /// The packed layout (gemm.c): in the block of depths from k0 (256 at a time), panel q holds W[16q + c, k0 + p]
    /// at p * 16 + c, zeros past n; for a weight or a head's keys with padded rows (their whole panels through
    /// AVX-512 register transposes where the kernels are AVX-512's, the rest value by value) and for values seen
    /// transposed.
    @Test(arguments: [(1, 1), (15, 17), (16, 16), (17, 33), (32, 64), (50, 257), (33, 600)])
    func packingLaysOutEveryPanel(shape: (Int, Int)) {
        let (n, k) = shape
        let source = Self.values((n + 5) * (k + 3), seed: 6), panels = (n + 15) / 16
        for (rowStride, columnStride) in [(k + 3, 1), (1, n + 5)] {
            var packed = [Float](repeating: .nan, count: kernel_gemm_packed_count(n, k))
            kernel_gemm_pack(source, n, k, rowStride, columnStride, &packed)
            var expected = [Float](repeating: 0, count: packed.count)
            for k0 in stride(from: 0, to: k, by: 256) {
                let depths = min(256, k - k0)
                for q in 0..<panels {
                    for p in 0..<depths {
                        for c in 0..<min(16, n - q * 16) {
                            expected[k0 * panels * 16 + q * 16 * depths + p * 16 + c] = source[(q * 16 + c) * rowStride + (k0 + p) * columnStride]
                        }
                    }
                }
            }
            #expect(packed == expected, "n \(n), k \(k), strides \(rowStride), \(columnStride)")
        }
    }
}
