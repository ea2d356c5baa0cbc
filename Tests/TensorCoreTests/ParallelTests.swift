import Synchronization
@testable import TensorCore
import Testing

/// The split of work over the cores, as the GEMM split and the element-wise kernels use it.
@Suite struct ParallelTests {
    private struct ChunkFailed: Error {}

    @Test func everyChunkRunsAndAFailureIsRethrownOnce() {
        let covered = Atomic(0)
        #expect(throws: ChunkFailed.self) {
            try parallelChunks(1_000, grain: 1) { range in
                covered.add(range.count, ordering: .relaxed)
                if range.contains(999) { throw ChunkFailed() }
            }
        }
        #expect(covered.load(ordering: .relaxed) == 1_000, "the other chunks still ran")
    }

    @Test func theSplitCoversEveryIndexOnce() {
        let covered = Mutex([Int]())
        parallelChunks(10_000, grain: 100) { range in
            covered.withLock { $0 += Array(range) }
        }
        #expect(covered.withLock { $0.sorted() } == Array(0..<10_000))
    }
}
