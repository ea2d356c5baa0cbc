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

    @Test(arguments: [(10_000, 100, 1), (10, 1, 4), (9, 1, 4), (130, 64, 4), (1_000, 64, 4)])
    func theSplitCoversEveryIndexOnce(count: Int, grain: Int, perCore: Int) {
        let covered = Mutex([Int]())
        parallelChunks(count, grain: grain, perCore: perCore) { range in
            covered.withLock { $0 += Array(range) }
        }
        #expect(covered.withLock { $0.sorted() } == Array(0..<count))
    }

    /// Jobs back to back, some after the workers went to sleep, each with every chunk run exactly once.
    @Test func thePoolRunsEveryChunkOfEveryJobOnce() async throws {
        for job in 0..<3_000 {
            let chunks = 2 + job % 5
            let runs = Mutex([Int](repeating: 0, count: chunks))
            WorkerPool.shared.run(chunks) { chunk in runs.withLock { $0[chunk] += 1 } }
            #expect(runs.withLock { $0 } == [Int](repeating: 1, count: chunks), "job \(job)")
            if job % 1_000 == 999 { try await Task.sleep(for: .milliseconds(5)) }  // past the workers' watch
        }
    }

    /// A split asked for inside a chunk, or by several threads at once, runs (inline when the pool is busy) and
    /// covers its indices.
    @Test func nestedAndConcurrentSplitsComplete() async {
        final class Counter: Sendable { let value = Atomic(0) }
        let total = Counter()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    for _ in 0..<200 {
                        parallelChunks(64, grain: 1) { outer in
                            parallelChunks(outer.count * 10, grain: 1) { total.value.add($0.count, ordering: .relaxed) }
                        }
                    }
                }
            }
        }
        #expect(total.value.load(ordering: .relaxed) == 4 * 200 * 640)
    }
}
