import Synchronization
@testable import TensorCore
import XCTest

/// The split of work over the cores, as the GEMM split and the element-wise kernels use it.
final class ParallelTests: XCTestCase {
    private struct ChunkFailed: Error {}

    func testEveryChunkRunsAndAFailureIsRethrownOnce() {
        let covered = Atomic(0)
        XCTAssertThrowsError(try parallelChunks(1_000, grain: 1) { range in
            covered.add(range.count, ordering: .relaxed)
            if range.contains(999) { throw ChunkFailed() }
        }) { error in
            XCTAssertTrue(error is ChunkFailed, "\(error)")
        }
        XCTAssertEqual(covered.load(ordering: .relaxed), 1_000, "the other chunks still ran")
    }

    func testTheSplitCoversEveryIndexOnce() {
        let covered = Mutex([Int]())
        parallelChunks(10_000, grain: 100) { range in
            covered.withLock { $0 += Array(range) }
        }
        XCTAssertEqual(covered.withLock { $0.sorted() }, Array(0..<10_000))
    }
}
