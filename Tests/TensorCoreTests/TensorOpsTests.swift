import TensorCore
import TestSupport
import Testing

/// One row of Fixtures/ops.jsonl: an operation, its operands, and what PyTorch computed.
struct OpRow: Decodable, Sendable, CustomTestStringConvertible {
    enum Op: String, Decodable, Sendable {
        case softmax, argmax, max_values, sum, mean, layer_norm, gelu, tanh, relu, matmul, matmul_transposed
        case add_broadcast, div_ints, index, index_step, permute, linear_residual, linear_gelu, attention
    }

    let op: Op
    let input: TensorFixture
    let expected: TensorFixture
    let dim: Int?
    let other: TensorFixture?
    let weight: TensorFixture?
    let bias: TensorFixture?
    let residual: TensorFixture?
    let mask: TensorFixture?
    let heads: Int?

    var testDescription: String { "\(op.rawValue)\(dim.map { "(dim=\($0))" } ?? "") of \(input.shape)" }

    static func all() throws -> [OpRow] { try Fixtures.rows(OpRow.self, in: Fixtures.url("Fixtures/ops.jsonl")) }
}

/// A field an op needs that its row lacks.
struct MissingOperand: Error, CustomStringConvertible {
    let field: String
    let op: OpRow.Op
    var description: String { "ops.jsonl: \(op.rawValue) needs '\(field)'" }
}

/// Operations replayed against Fixtures/ops.jsonl, which PyTorch computed.
@Suite struct TensorOpsTests {
    @Test func opsFixtureHasEveryRow() throws {
        #expect(try OpRow.all().count == 29)
    }

    @Test(arguments: try OpRow.all())
    func opMatchesPyTorch(_ row: OpRow) throws {
        let difference = tensorDifference(try apply(row), row.expected.tensor, tolerance: 1e-5)
        #expect(difference == nil)
    }

    private func apply(_ row: OpRow) throws -> Tensor {
        let x = row.input.tensor
        func need<T>(_ value: T?, _ field: String) throws -> T {
            guard let value else { throw MissingOperand(field: field, op: row.op) }
            return value
        }
        switch row.op {
        case .softmax: return try x.softmax(dim: need(row.dim, "dim"))
        case .argmax: return try x.argmax(dim: row.dim)
        case .max_values: return try x.max(dim: need(row.dim, "dim")).values
        case .sum: return try x.sum(dim: row.dim)
        case .mean: return try x.mean(dim: row.dim)
        case .layer_norm: return try x.layerNorm(weight: need(row.weight, "weight").tensor, bias: need(row.bias, "bias").tensor, eps: 1e-12)
        case .gelu: return x.gelu()
        case .tanh: return x.tanh()
        case .relu: return x.relu()
        case .matmul: return try x.matmul(need(row.other, "other").tensor)
        case .matmul_transposed: return try x.matmul(x.transposed(1, 2))
        case .add_broadcast: return try x.combined(.add, need(row.other, "other").tensor)
        case .div_ints: return try x.combined(.div, need(row.other, "other").tensor)
        case .index: return try x.view(at: [.at(1), .slice(start: nil, stop: 2, step: nil), .slice(start: -3, stop: nil, step: nil)])
        case .index_step: return try x.view(at: [.all, .slice(start: nil, stop: nil, step: 2), .slice(start: 1, stop: nil, step: 3)])
        case .permute: return try x.permuted([2, 0, 1])
        case .linear_residual:
            return try x.linear(weight: need(row.weight, "weight").tensor, bias: need(row.bias, "bias").tensor,
                                adding: need(row.residual, "residual").tensor)
        case .linear_gelu: return try x.linearGELU(weight: need(row.weight, "weight").tensor, bias: need(row.bias, "bias").tensor)
        case .attention: return try attention(x, mask: need(row.mask, "mask").tensor, heads: need(row.heads, "heads"))
        }
    }

    /// `qkv` `[3, batch, seq, dim]`: each projection split into heads as views, attended, the heads merged back.
    private func attention(_ qkv: Tensor, mask: Tensor, heads: Int) throws -> Tensor {
        let (batch, seq, dim) = (qkv.shape[1], qkv.shape[2], qkv.shape[3])
        func split(_ i: Int) throws -> Tensor {
            try qkv.view(at: [.at(i)]).reshaped([batch, seq, heads, dim / heads]).permuted([0, 2, 1, 3])
        }
        let context = try Tensor.scaledDotProductAttention(query: split(0), key: split(1), value: split(2), keyMask: mask,
                                                           scale: 1 / Float(dim / heads).squareRoot())
        return try context.permuted([0, 2, 1, 3]).reshaped([batch, seq, dim])
    }

    @Test func attentionRefusesMismatchedShapes() {
        let q = Tensor(zeros: [1, 2, 3, 4]), mask = Tensor(zeros: [1, 3], dtype: .int64)
        #expect {
            try Tensor.scaledDotProductAttention(query: q, key: Tensor(zeros: [1, 2, 3, 5]), value: q, keyMask: mask, scale: 1)
        } throws: { "\($0)" == "scaled_dot_product_attention expects [batch, heads, seq, head_dim] float query, key and value and a [batch, key] mask, got [1, 2, 3, 4], [1, 2, 3, 5], [1, 2, 3, 4] and [1, 3]" }
        #expect(throws: (any Error).self) {
            try Tensor.scaledDotProductAttention(query: Tensor(zeros: [3]), key: q, value: q, keyMask: mask, scale: 1)
        }
    }

    @Test func errorsUseTorchWording() {
        let x = Tensor(zeros: [2, 3])
        #expect { try x.softmax(dim: 2) } throws: { "\($0)" == "Dimension out of range (expected to be in range of [-2, 1], but got 2)" }
        #expect { try x.view(at: [.at(5)]) } throws: { "\($0)" == "index 5 is out of bounds for dimension 0 with size 2" }
        #expect { try x.matmul(x) } throws: { "\($0)" == "mat1 and mat2 shapes cannot be multiplied (2x3 and 2x3)" }
        #expect { try x.reshaped([4, -1]) } throws: { "\($0)" == "shape '[4, -1]' is invalid for input of size 6" }
        #expect { try x.combined(.add, Tensor(zeros: [4])) } throws: {
            "\($0)" == "The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1"
        }
        #expect(throws: (any Error).self) { try Tensor(zeros: [3]).item() }
    }

    /// A broadcast addition large enough to split over the cores: each part starts mid-way through the repeated
    /// operand's values (element `k` adds `row[k % 131]`, and `column[k / 131 % 100]`).
    @Test func broadcastAdditionSplitOverTheCores() throws {
        let (rows, width) = (300, 131)
        let x = Tensor(floats: (0..<rows * width).map { Float($0 % 977) * 0.25 }, shape: [3, 100, width])
        let row = Tensor(floats: (0..<width).map { Float($0) * 1.5 - 7 }, shape: [1, width])
        let column = Tensor(floats: (0..<100).map { Float($0) * -0.5 }, shape: [100, 1])
        let sums = try row.combined(.add, x).floats(), expected = (0..<rows * width).map { Float($0 % 977) * 0.25 + Float($0 % width) * 1.5 - 7 }
        #expect(sums == expected)
        let inner = try x.combined(.add, column).floats()
        #expect(inner == (0..<rows * width).map { Float($0 % 977) * 0.25 + Float($0 / width % 100) * -0.5 })
    }

    @Test func integerArithmeticStaysInteger() throws {
        let ids = Tensor(ints: [1, 2, 3], shape: [3])
        #expect(try ids.combined(.mul, .int(2)).description == "tensor([2, 4, 6])")
        #expect(try ids.combined(.add, .float(0.5)).description == "tensor([1.5000, 2.5000, 3.5000])")
        #expect(try ids.sum().item() == .int(6))
    }

    /// GELU as torch 2.15 computes it (oneDNN's minimax erf): values of the tail where an erf approximation shows,
    /// the far negative tail -0, and infinities NaN, as `F.gelu` gives them.
    @Test func geluGivesTorchsBits() {
        let x: [Float] = [-3.5625, -3.53125, -3.703125, -0.4424489736557007, 3.394930839538574, -8, 0.5, .infinity, -.infinity]
        let torch: [Float] = [-0.0006541181355714798, -0.0007305722683668137, -0.00039377063512802124, -0.14560207724571228,
                              3.3937649726867676, -0.0, 0.3457312285900116, .nan, .nan]
        let got = Tensor(floats: x, shape: [x.count]).gelu().floats()
        #expect(zip(got, torch).allSatisfy { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) }, "\(got)")
    }
}
