import Foundation

extension Tensor {
    /// The number of elements of `shape`, nil when it does not fit in an Int.
    public static func elementCount(_ shape: [Int]) -> Int? {
        var count = 1
        for d in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: d)
            if overflow { return nil }
            count = product
        }
        return count
    }

    /// Refuses, before anything tries, a tensor of `shape` this machine could not hold: torch's allocator refuses
    /// it with a RuntimeError where an allocation here would end the program.
    public static func checkAllocation(_ shape: [Int], dtype: DType = .float32) throws {
        guard shape.allSatisfy({ $0 >= 0 }) else { throw TensorError("negative dimension in \(pythonList(shape))") }
        let count = elementCount(shape)
        try checkAllocation(bytes: count.flatMap { $0.multipliedReportingOverflow(by: dtype.size).overflow ? nil : $0 * dtype.size })
    }

    /// The same for `bytes` in all (nil: more than an Int counts).
    public static func checkAllocation(bytes: Int?) throws {
        guard let bytes, bytes >= 0, UInt64(bytes) <= ProcessInfo.processInfo.physicalMemory else {
            throw TensorError("DefaultCPUAllocator: not enough memory: you tried to allocate \(bytes.map { "\($0) bytes" } ?? "more bytes than fit in 64 bits") (this machine has \(ProcessInfo.processInfo.physicalMemory) bytes).")
        }
    }
}
