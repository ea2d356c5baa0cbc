import Foundation
import TensorCore
import TestSupport
import Testing

/// Swift Testing counterparts of TestSupport's XCTest helpers (XCTest's assertions record nothing inside a
/// Swift Testing test).
enum TestingSupport {
    /// MiniLM in DistilBERT's layout (`MiniLMAsDistilBert`), written to a fresh directory.
    static func miniLMAsDistilBert() throws -> URL {
        _ = try Fixtures.miniLM()
        let directory = try Fixtures.temporaryDirectory()
        try MiniLMAsDistilBert.write(to: directory)
        return directory
    }
}

/// Expects two tensors to have the same shape and dtype and values within `tolerance`.
func expectClose(_ actual: Tensor, _ expected: Tensor, tolerance: Double, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual.shape == expected.shape, sourceLocation: sourceLocation)
    #expect(actual.dtype == expected.dtype, sourceLocation: sourceLocation)
    guard actual.shape == expected.shape else { return }
    let worst = zip(actual.doubles(), expected.doubles()).map { Swift.abs($0 - $1) }.max() ?? 0
    #expect(worst <= tolerance, "max abs difference", sourceLocation: sourceLocation)
}
