import CKernels
import Foundation
import Synchronization

/// The cores this process may use, read once: Foundation reads the cgroup's files on every call, which cost a
/// small forward pass 4% of its time when every split asked.
public let activeCores = ProcessInfo.processInfo.activeProcessorCount

/// Splits `0..<count` into `perCore` chunks per core (of `grain` or more) and runs `body` on each concurrently (on
/// the `WorkerPool`, whose threads claim chunks as they finish, so with several chunks per core a core slowed by
/// another process takes fewer); small work runs inline. Element-wise kernels (GELU, softmax, layer norm) use it, as
/// PyTorch's CPU kernels use every core, and the tokenizer's batches.
public func parallelChunks(_ count: Int, grain: Int = 16_384, perCore: Int = 1, _ body: (Range<Int>) -> Void) {
    let chunks = Swift.min(activeCores * perCore, Swift.max(1, count / grain))
    if chunks <= 1 { return body(0..<count) }
    WorkerPool.shared.run(chunks) { i in body((i * count / chunks)..<((i + 1) * count / chunks)) }
}

/// `parallelChunks` for a body that can fail (the GEMM split's products): every chunk runs, and the first error
/// any of them threw is rethrown once all have finished.
func parallelChunks(_ count: Int, grain: Int = 16_384, perCore: Int = 1, _ body: (Range<Int>) throws -> Void) throws {
    let failure = Mutex<(any Error)?>(nil)
    parallelChunks(count, grain: grain, perCore: perCore) { (range: Range<Int>) in
        do { try body(range) } catch { failure.withLock { $0 = $0 ?? error } }
    }
    if let error = failure.withLock({ $0 }) { throw error }
}

/// Runs a product over packed weights, `run(rows, panels)` on parts of its rows and of its panels of columns, split
/// over the cores when it is large (`work` multiply-adds): by rows when there are enough for each core to stream
/// the weight well (in up to four parts per core, so that a core another process slows down does less of it
/// instead of holding up the rest; each part a whole number of the micro-kernel's `rowTile` rows but the last, so
/// no part ends in a narrow, slower tile), else by panels (one long stream of the weight per core: shorter ones
/// measured slower at 32 rows).
func splitProduct(rows: Int, rowTile: Int, panels: Int, work: Int, _ run: (Range<Int>, Range<Int>) -> Void) {
    if work <= Tensor.smallProduct {
        run(0..<rows, 0..<panels)
    } else if rows >= 128 {
        let tiles = (rows + rowTile - 1) / rowTile
        parallelChunks(tiles, grain: Swift.max(1, 64 / rowTile), perCore: 4) { tiles in
            run(tiles.lowerBound * rowTile..<Swift.min(rows, tiles.upperBound * rowTile), 0..<panels)
        }
    } else {
        parallelChunks(panels, grain: 1) { run(0..<rows, $0) }
    }
}

/// Work on a block of a product's output, its rows and columns, run by the core that computes it right after its
/// part of the product (`PackedWeight.multiply`'s `after`).
typealias OutputBlock = (_ rows: Range<Int>, _ columns: Range<Int>) -> Void

/// The output columns panels `panels` of `width` columns cover in a product of `n` columns (the last may be partial).
func columns(of panels: Range<Int>, width: Int, n: Int) -> Range<Int> {
    panels.lowerBound * width..<Swift.min(n, panels.upperBound * width)
}

/// The exact GELU in place on each block of `y` (rows `ld` apart), after adding `bias` (or nil) per column: a
/// feed-forward block's first half run on each core's part of the product (float32 and int8).
func geluBlocks(of y: UnsafeMutablePointer<Float>, ld: Int, bias: UnsafePointer<Float>?) -> OutputBlock {
    { rows, columns in
        kernel_bias_gelu_rows(y + rows.lowerBound * ld + columns.lowerBound, rows.count, columns.count, ld,
                              bias.map { $0 + columns.lowerBound })
    }
}
