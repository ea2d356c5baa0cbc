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

    /// The sum of each column of a contiguous `rows` x `columns` block into `out`, as torch reduces a dimension that
    /// is not the last: columns in blocks of 32 (one cascade each), then of 8 (rows interleaved), then one at a time.
    static func columns(_ p: UnsafePointer<Float>, rows: Int, columns: Int, into out: UnsafeMutablePointer<Float>) {
        var j = 0
        if columns >= lanes {
            while j + 4 * lanes <= columns {
                let block: Four<SIMD8<Float>> = multiRow(p + j, rows: rows, rowStride: columns, laneStride: lanes)
                store(block.a, at: out + j); store(block.b, at: out + j + lanes)
                store(block.c, at: out + j + 2 * lanes); store(block.d, at: out + j + 3 * lanes)
                j += 4 * lanes
            }
            while j + lanes <= columns {
                store(rowSum(p + j, count: rows, stride: columns) as SIMD8<Float>, at: out + j)
                j += lanes
            }
        } else {
            while j + 3 < columns {
                let block: Four<Float> = multiRow(p + j, rows: rows, rowStride: columns, laneStride: 1)
                (out[j], out[j + 1], out[j + 2], out[j + 3]) = (block.a, block.b, block.c, block.d)
                j += 4
            }
        }
        for c in j..<columns { out[c] = rowSum(p + c, count: rows, stride: columns) }
    }

    /// The sum of `count` contiguous floats (`vectorized_inner_sum`): whole vectors of eight lanes summed lane by
    /// lane, then the elements after them, then the lanes in order.
    static func run(_ p: UnsafePointer<Float>, count: Int) -> Float {
        guard count >= lanes else { return rowSum(p, count: count, stride: 1) }
        let vectors = count / lanes
        let sums: SIMD8<Float> = rowSum(p, count: vectors, stride: lanes)
        var total: Float = 0
        for k in (vectors * lanes)..<count { total += p[k] }
        for lane in 0..<lanes { total += sums[lane] }
        return total
    }

    /// `row_sum`: the sum of `count` rows `stride` apart (a row is one lane: a float, or eight side by side), the rows
    /// dealt to four cascades in turn, those after the last whole four added to the first, the four then added in order.
    @inline(__always)
    private static func rowSum<L: Lane>(_ p: UnsafePointer<Float>, count: Int, stride: Int) -> L {
        let groups = count / 4
        var sums: Four<L> = multiRow(p, rows: groups, rowStride: 4 * stride, laneStride: stride)
        for i in (groups * 4)..<count { sums.a += .load(p + i * stride) }
        return sums.a + sums.b + sums.c + sums.d
    }

    /// `multi_row_sum`: for each of four lanes `laneStride` apart, the sum of `rows` rows `rowStride` apart through a
    /// cascade of four accumulators; each takes the one below it every `2^power` rows of its level.
    @inline(__always)
    private static func multiRow<L: Lane>(_ p: UnsafePointer<Float>, rows: Int, rowStride: Int, laneStride: Int) -> Four<L> {
        let power = Swift.max(4, ceilLog2(rows) / 4), step = 1 << power, mask = step - 1
        var level0 = Four<L>.zero, level1 = level0, level2 = level0, level3 = level0
        var i = 0
        while i + step <= rows {
            for _ in 0..<step { level0 += Four(p + i * rowStride, laneStride: laneStride); i += 1 }
            level1 += level0; level0 = .zero
            guard i & (mask << power) == 0 else { continue }
            level2 += level1; level1 = .zero
            guard i & (mask << (2 * power)) == 0 else { continue }
            level3 += level2; level2 = .zero
        }
        for r in i..<rows { level0 += Four(p + r * rowStride, laneStride: laneStride) }
        return level0 + level1 + level2 + level3
    }

    /// ATen's `CeilLog2`: 1 up to 2, else the bits of `x - 1`.
    private static func ceilLog2(_ x: Int) -> Int { x <= 2 ? 1 : Int.bitWidth - (x - 1).leadingZeroBitCount }

    @inline(__always)
    private static func store(_ sums: SIMD8<Float>, at p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: sums, as: SIMD8<Float>.self)
    }
}

/// What a cascade adds up: one float, or eight side by side (an AVX2 vector).
protocol Lane {
    static var zero: Self { get }
    static func + (lhs: Self, rhs: Self) -> Self
    static func += (lhs: inout Self, rhs: Self)
    /// The lane read at `p`.
    static func load(_ p: UnsafePointer<Float>) -> Self
}

extension Float: Lane {
    @inline(__always) static func load(_ p: UnsafePointer<Float>) -> Float { p.pointee }
}

extension SIMD8: Lane where Scalar == Float {
    @inline(__always) static func load(_ p: UnsafePointer<Float>) -> SIMD8<Float> { UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self) }
}

/// Four lanes summed side by side (kept in registers: spelled out, not an array).
struct Four<L: Lane> {
    var a, b, c, d: L

    @inline(__always) init(_ a: L, _ b: L, _ c: L, _ d: L) { (self.a, self.b, self.c, self.d) = (a, b, c, d) }

    /// The four lanes at `p`, `laneStride` floats apart.
    @inline(__always) init(_ p: UnsafePointer<Float>, laneStride: Int) {
        self.init(.load(p), .load(p + laneStride), .load(p + 2 * laneStride), .load(p + 3 * laneStride))
    }

    static var zero: Four { Four(.zero, .zero, .zero, .zero) }

    @inline(__always) static func + (lhs: Four, rhs: Four) -> Four { Four(lhs.a + rhs.a, lhs.b + rhs.b, lhs.c + rhs.c, lhs.d + rhs.d) }
    @inline(__always) static func += (lhs: inout Four, rhs: Four) { lhs = lhs + rhs }
}
