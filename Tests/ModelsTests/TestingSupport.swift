import Foundation
import TensorCore
import TestSupport
import Testing
import XCTest

/// Swift Testing counterparts of TestSupport's XCTest helpers (XCTest's assertions record nothing inside a
/// Swift Testing test).
enum TestingSupport {
    /// The MiniLM checkpoint; where `Fixtures.miniLM()` would skip an XCTest, the test case is cancelled (skipped).
    static func miniLM() throws -> URL {
        do { return try Fixtures.miniLM() } catch let skip as XCTSkip { try Test.cancel("\(skip.message ?? "MiniLM weights not found")") }
    }

    /// MiniLM in DistilBERT's layout (`MiniLMAsDistilBert`), written to a fresh directory.
    static func miniLMAsDistilBert() throws -> URL {
        _ = try miniLM()
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
