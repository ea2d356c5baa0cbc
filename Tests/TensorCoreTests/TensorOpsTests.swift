import TensorCore
import TestSupport
import XCTest

/// Operations replayed against Fixtures/ops.jsonl, which PyTorch computed.
final class TensorOpsTests: XCTestCase {
    func testOpsMatchPyTorch() throws {
        for row in try Fixtures.jsonLines(Fixtures.url("Fixtures/ops.jsonl")) {
            let op = row["op"] as! String
            let x = Fixtures.tensor(row["input"] as! [String: Any])
            let other = (row["other"] as? [String: Any]).map(Fixtures.tensor)
            let dim = row["dim"] as? Int
            let expected = Fixtures.tensor(row["expected"] as! [String: Any])
            assertClose(try apply(op, x, other, dim, row), expected, tolerance: 1e-5, op)
        }
    }

    private func apply(_ op: String, _ x: Tensor, _ other: Tensor?, _ dim: Int?, _ row: [String: Any]) throws -> Tensor {
        switch op {
        case "softmax": return try x.softmax(dim: dim!)
        case "argmax": return try x.argmax(dim: dim)
        case "max_values": return try x.max(dim: dim!).values
        case "sum": return try x.sum(dim: dim)
        case "mean": return try x.mean(dim: dim)
        case "layer_norm":
            return try x.layerNorm(weight: Fixtures.tensor(row["weight"] as! [String: Any]),
                                   bias: Fixtures.tensor(row["bias"] as! [String: Any]), eps: 1e-12)
        case "gelu": return x.gelu()
        case "tanh": return x.tanh()
        case "relu": return x.relu()
        case "matmul": return try x.matmul(other!)
        case "matmul_transposed": return try x.matmul(x.transposed(1, 2))
        case "add_broadcast": return try x.combined(.add, other!)
        case "div_ints": return try x.combined(.div, other!)
        case "index": return try x.view(at: [.at(1), .slice(start: nil, stop: 2, step: nil), .slice(start: -3, stop: nil, step: nil)])
        case "index_step": return try x.view(at: [.all, .slice(start: nil, stop: nil, step: 2), .slice(start: 1, stop: nil, step: 3)])
        case "permute": return try x.permuted([2, 0, 1])
        case "linear_residual":
            return try x.linear(weight: Fixtures.tensor(row["weight"] as! [String: Any]),
                                bias: Fixtures.tensor(row["bias"] as! [String: Any]),
                                adding: Fixtures.tensor(row["residual"] as! [String: Any]))
        case "linear_gelu":
            return try x.linearGELU(weight: Fixtures.tensor(row["weight"] as! [String: Any]), bias: Fixtures.tensor(row["bias"] as! [String: Any]))
        case "attention": return try attention(x, mask: Fixtures.tensor(row["mask"] as! [String: Any]), heads: row["heads"] as! Int)
        default: throw TensorError("unknown op \(op)")
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

    func testAttentionRefusesMismatchedShapes() {
        let q = Tensor(zeros: [1, 2, 3, 4]), mask = Tensor(zeros: [1, 3], dtype: .int64)
        XCTAssertThrowsError(try Tensor.scaledDotProductAttention(query: q, key: Tensor(zeros: [1, 2, 3, 5]),
                                                                  value: q, keyMask: mask, scale: 1)) {
            XCTAssertEqual("\($0)", "scaled_dot_product_attention expects [batch, heads, seq, head_dim] float query, key and value and a [batch, key] mask, got [1, 2, 3, 4], [1, 2, 3, 5], [1, 2, 3, 4] and [1, 3]")
        }
        XCTAssertThrowsError(try Tensor.scaledDotProductAttention(query: Tensor(zeros: [3]), key: q, value: q,
                                                                  keyMask: mask, scale: 1))
    }

    func testErrorsUseTorchWording() {
        let x = Tensor(zeros: [2, 3])
        XCTAssertThrowsError(try x.softmax(dim: 2)) {
            XCTAssertEqual("\($0)", "Dimension out of range (expected to be in range of [-2, 1], but got 2)")
        }
        XCTAssertThrowsError(try x.view(at: [.at(5)])) {
            XCTAssertEqual("\($0)", "index 5 is out of bounds for dimension 0 with size 2")
        }
        XCTAssertThrowsError(try x.matmul(x)) {
            XCTAssertEqual("\($0)", "mat1 and mat2 shapes cannot be multiplied (2x3 and 2x3)")
        }
        XCTAssertThrowsError(try x.reshaped([4, -1])) {
            XCTAssertEqual("\($0)", "shape '[4, -1]' is invalid for input of size 6")
        }
        XCTAssertThrowsError(try x.combined(.add, Tensor(zeros: [4]))) {
            XCTAssertEqual("\($0)", "The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1")
        }
        XCTAssertThrowsError(try Tensor(zeros: [3]).item())
    }

    func testIntegerArithmeticStaysInteger() throws {
        let ids = Tensor(ints: [1, 2, 3], shape: [3])
        XCTAssertEqual(try ids.combined(.mul, .int(2)).description, "tensor([2, 4, 6])")
        XCTAssertEqual(try ids.combined(.add, .float(0.5)).description, "tensor([1.5000, 2.5000, 3.5000])")
        XCTAssertEqual(try ids.sum().item(), .int(6))
    }
}
