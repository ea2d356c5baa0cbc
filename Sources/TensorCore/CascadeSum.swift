import Foundation

/// torch's float32 summation order on the CPU (ATen's `SumKernel.cpp`), so that sums and means round as torch's
/// do and print digit for digit: each accumulator cascades through four levels (`multi_row_sum`), rows are
/// interleaved four ways (`row_sum`), a contiguous run is read as vectors of eight lanes, and a reduction to one
/// number over more than 32768 elements is split across the threads first and their partial sums summed again.
enum CascadeSum {
    /// Float32 lanes of an AVX2 vector, which torch's sum kernel uses on x86 (its AVX-512 slot falls back to it).
    static let lanes = 8
    /// The elements a thread takes at least in a reduction to one number (`at::internal::GRAIN_SIZE`).
    static let grain = 32768

    /// The threads torch splits a reduction over: `OMP_NUM_THREADS` when set, else the machine's physical cores
    /// (torch's default, whatever the process's CPU affinity).
    static let torchThreads: Int = {
        if let text = getenv("OMP_NUM_THREADS"), let count = Int(String(cString: text)), count > 0 { return count }
        return physicalCores() ?? ProcessInfo.processInfo.processorCount
    }()

    /// The distinct (package, core) pairs `/proc/cpuinfo` lists; nil where it lists none.
    private static func physicalCores() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return nil }
        var cores = Set<String>(), package = ""
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2 else { continue }
            if parts[0] == "physical id" { package = parts[1] }
            if parts[0] == "core id" { cores.insert(package + "/" + parts[1]) }
        }
        return cores.isEmpty ? nil : cores.count
    }

    /// The sum of `count` contiguous floats as a reduction to one number over `threads` threads.
    static func total(_ p: UnsafePointer<Float>, count: Int, threads: Int = torchThreads) -> Float {
        guard count > grain && threads > 1 else { return 0 + run(p, count: count) }
        let parts = Swift.min(threads, (count + grain - 1) / grain)
        let chunk = (count + parts - 1) / parts
        var partials = [Float](repeating: 0, count: threads)
        for t in 0..<parts where t * chunk < count {
            partials[t] = 0 + run(p + t * chunk, count: Swift.min(count, (t + 1) * chunk) - t * chunk)
        }
        return partials.withUnsafeBufferPointer { 0 + run($0.baseAddress!, count: threads) }
    }

    /// The sum of each column of a contiguous `rows` x `columns` block, as torch reduces a dimension that is not the
    /// last: columns in blocks of 32 (one cascade each), then of 8 (rows interleaved), then one at a time.
    static func columns(_ p: UnsafePointer<Float>, rows: Int, columns: Int) -> [Float] {
        var out = [Float](), j = 0
        out.reserveCapacity(columns)
        if columns >= lanes {
            while j + 4 * lanes <= columns { out += multiRow(p + j, rows: rows, rowStride: columns, offsets: Array(0..<(4 * lanes))); j += 4 * lanes }
            while j + lanes <= columns { out += rowSum(p + j, count: rows, stride: columns, offsets: Array(0..<lanes)); j += lanes }
        } else {
            while j + 3 < columns { out += multiRow(p + j, rows: rows, rowStride: columns, offsets: Array(0..<4)); j += 4 }
        }
        for c in j..<columns { out += rowSum(p + c, count: rows, stride: columns, offsets: [0]) }
        return out
    }

    /// The sum of `count` contiguous floats (`vectorized_inner_sum`): whole vectors of eight lanes summed lane by
    /// lane, then the elements after them, then the lanes in order.
    static func run(_ p: UnsafePointer<Float>, count: Int) -> Float {
        guard count >= lanes else { return rowSum(p, count: count, stride: 1, offsets: [0])[0] }
        let vectors = count / lanes
        let sums = rowSum(p, count: vectors, stride: lanes, offsets: Array(0..<lanes))
        var total: Float = 0
        for k in (vectors * lanes)..<count { total += p[k] }
        for lane in sums { total += lane }
        return total
    }

    /// `row_sum`: for each column (an offset from `p`), the sum of its `count` items `stride` apart, the items dealt
    /// to four cascades in turn, those after the last whole four added to the first, the four then added in order.
    private static func rowSum(_ p: UnsafePointer<Float>, count: Int, stride: Int, offsets: [Int]) -> [Float] {
        let groups = count / 4, width = offsets.count
        var partials = multiRow(p, rows: groups, rowStride: 4 * stride, offsets: (0..<4).flatMap { k in offsets.map { k * stride + $0 } })
        for i in (groups * 4)..<count {
            for c in 0..<width { partials[c] += p[i * stride + offsets[c]] }
        }
        for k in 1..<4 {
            for c in 0..<width { partials[c] += partials[k * width + c] }
        }
        return Array(partials[0..<width])
    }

    /// `multi_row_sum`: for each column (an offset from `p`), the sum of `rows` items `rowStride` apart through a
    /// cascade of four accumulators; each takes the one below it every `2^power` rows of its level.
    private static func multiRow(_ p: UnsafePointer<Float>, rows: Int, rowStride: Int, offsets: [Int]) -> [Float] {
        let width = offsets.count, adjacent = offsets.indices.elementsEqual(offsets)  // columns side by side
        let power = Swift.max(4, ceilLog2(rows) / 4), step = 1 << power, mask = step - 1
        var sums = [Float](repeating: 0, count: 4 * width)
        sums.withUnsafeMutableBufferPointer { acc in
            offsets.withUnsafeBufferPointer { offsets in
                var i = 0
                while i + step <= rows {
                    for _ in 0..<step {
                        let row = p + i * rowStride
                        if adjacent {
                            for c in 0..<width { acc[c] += row[c] }
                        } else {
                            for c in 0..<width { acc[c] += row[offsets[c]] }
                        }
                        i += 1
                    }
                    for level in 1..<4 {
                        for c in 0..<width {
                            acc[level * width + c] += acc[(level - 1) * width + c]
                            acc[(level - 1) * width + c] = 0
                        }
                        if i & (mask << (level * power)) != 0 { break }
                    }
                }
                for row in i..<rows {
                    for c in 0..<width { acc[c] += p[row * rowStride + offsets[c]] }
                }
                for level in 1..<4 {
                    for c in 0..<width { acc[c] += acc[level * width + c] }
                }
            }
        }
        return Array(sums[0..<width])
    }

    /// ATen's `CeilLog2`: 1 up to 2, else the bits of `x - 1`.
    private static func ceilLog2(_ x: Int) -> Int { x <= 2 ? 1 : Int.bitWidth - (x - 1).leadingZeroBitCount }
}
