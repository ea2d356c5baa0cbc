import TestSupport
import Testing

/// The comparison that lets goldens with BLAS-derived numbers pass on another CPU while their text stays exact.
@Suite struct PrintedTextTests {
    @Test(arguments: [
        ("tensor([[-1.5607,  1.6123]])", "tensor([[-1.5607,  1.6123]])"),
        ("score 0.9598047137260437", "score 0.9598047734260559"),
        ("tensor([[-1.5608,  1.6123]])", "tensor([[-1.5607,  1.6123]])"),
        ("tensor([1.2346e-05])", "tensor([1.2347e-05])"),
        ("tensor([1., 2.])", "tensor([1., 2.])"),
    ])
    func agreesWithinTolerance(_ actual: String, _ expected: String) {
        #expect(PrintedText.difference(actual, expected) == nil)
    }

    @Test(arguments: [
        ("tensor([[-1.5609,  1.6123]])", "tensor([[-1.5607,  1.6123]])"),
        ("score 0.9598", "score 0.95980"),
        ("tensor([1, 2])", "tensor([1, 3])"),
        ("tensor([0.5000])", "tensor([0.5000], grad_fn=<SoftmaxBackward0>)"),
        ("torch.Size([2, 8])", "torch.Size([2, 9])"),
        ("x  0.5", "x 0.5"),
        ("nan", "inf"),
        ("1e-05", "1.0e-05"),
    ])
    func tellsApart(_ actual: String, _ expected: String) {
        #expect(PrintedText.difference(actual, expected) != nil)
    }
}
