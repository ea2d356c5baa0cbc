import Foundation
import Synchronization

/// The cores this process may use, read once: Foundation reads the cgroup's files on every call, which cost a
/// small forward pass 4% of its time when every split asked.
public let activeCores = ProcessInfo.processInfo.activeProcessorCount

/// Splits `0..<count` into one chunk per core and runs `body` on each concurrently (on the `WorkerPool`); small
/// work runs inline. Element-wise kernels (GELU, softmax, layer norm) use it, as PyTorch's CPU kernels use every core.
func parallelChunks(_ count: Int, grain: Int = 16_384, _ body: (Range<Int>) -> Void) {
    let chunks = Swift.min(activeCores, Swift.max(1, count / grain))
    if chunks <= 1 { return body(0..<count) }
    let size = (count + chunks - 1) / chunks
    WorkerPool.shared.run(chunks) { i in
        let range = (i * size)..<Swift.min(count, (i + 1) * size)
        if !range.isEmpty { body(range) }
    }
}

/// `parallelChunks` for a body that can fail (the GEMM split's products): every chunk runs, and the first error
/// any of them threw is rethrown once all have finished.
func parallelChunks(_ count: Int, grain: Int = 16_384, _ body: (Range<Int>) throws -> Void) throws {
    let failure = Mutex<(any Error)?>(nil)
    parallelChunks(count, grain: grain) { range in
        do { try body(range) } catch { failure.withLock { $0 = $0 ?? error } }
    }
    if let error = failure.withLock({ $0 }) { throw error }
}

/// Runs a product over packed weights, `run(rows, panels)` on parts of its rows and of its panels of columns, split
/// over the cores when it is large (`work` multiply-adds): by rows when there are enough for each core to stream
/// the weight well, else by panels.
func splitProduct(rows: Int, panels: Int, work: Int, _ run: (Range<Int>, Range<Int>) -> Void) {
    if work <= Tensor.smallProduct {
        run(0..<rows, 0..<panels)
    } else if rows >= 128 {
        parallelChunks(rows, grain: 64) { run($0, 0..<panels) }
    } else {
        parallelChunks(panels, grain: 1) { run(0..<rows, $0) }
    }
}
