import CKernels
import Foundation

extension Tensor {
    /// Called once at start-up: a forward pass allocates and frees the same large activation buffers layer after
    /// layer, and by default glibc gives freed memory back to the kernel and serves large buffers from fresh
    /// mappings, so each new buffer faults its pages in again, zeroed (measured: ~4% of a 32x64 pass). This keeps
    /// up to 512 MiB of freed memory for reuse and takes buffers up to 256 MiB from the heap.
    public static func keepFreedMemory() {
        kernel_keep_freed_memory(512 << 20, 256 << 20)
    }

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

    /// Refuses, before anything tries, a tensor of `shape` with a negative size or strides past 64 bits (torch's
    /// errors) or one this machine could not hold: torch's allocator refuses it with a RuntimeError where an
    /// allocation here would end the program.
    public static func checkAllocation(_ shape: [Int], dtype: DType = .float32) throws {
        if let negative = shape.first(where: { $0 < 0 }) {
            throw TensorError("Trying to create tensor with negative dimension \(negative): \(pythonList(shape))")
        }
        // the first dimension's stride is the product of the others, even when the first is 0
        guard elementCount(Array(shape.dropFirst())) != nil else { throw TensorError("Stride calculation overflowed") }
        let count = elementCount(shape)
        try checkAllocation(bytes: count.flatMap { $0.multipliedReportingOverflow(by: dtype.storageSize).overflow ? nil : $0 * dtype.storageSize })
    }

    /// The same for `bytes` in all (nil: more than an Int counts). Past a gigabyte, the memory the kernel says is
    /// available, and what the process's address-space limit (`ulimit -v`) leaves, is the limit: beyond it an
    /// allocation fails, and Swift ends the program when one does.
    public static func checkAllocation(bytes: Int?) throws {
        guard let bytes, bytes >= 0 else { throw allocationError(bytes.map { "\($0) bytes" } ?? "more bytes than fit in 64 bits") }
        guard bytes >= 1 << 30 else { return }
        let limit = Swift.min(ProcessInfo.processInfo.physicalMemory, availableMemory() ?? .max, addressSpaceLeft() ?? .max)
        guard UInt64(bytes) <= limit else { throw allocationError("\(bytes) bytes", limit: limit) }
    }

    private static func allocationError(_ tried: String, limit: UInt64 = ProcessInfo.processInfo.physicalMemory) -> TensorError {
        TensorError("DefaultCPUAllocator: not enough memory: you tried to allocate \(tried) (this machine has \(limit) bytes available).")
    }

    /// What `RLIMIT_AS` leaves of the address space past the process's size now (`VmSize`), in bytes; nil when
    /// there is no limit or the kernel does not say.
    private static func addressSpaceLeft() -> UInt64? {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_AS.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max,
              let size = statusField("VmSize:", in: "/proc/self/status") else { return nil }
        let cap = UInt64(limit.rlim_cur)
        return cap > size ? cap - size : 0
    }

    /// `MemAvailable` from `/proc/meminfo`, in bytes; nil where the kernel does not say.
    private static func availableMemory() -> UInt64? { statusField("MemAvailable:", in: "/proc/meminfo") }

    /// A `NAME:   123 kB` line's value in bytes, from a file of them under /proc.
    private static func statusField(_ name: String, in path: String) -> UInt64? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix(name) }),
              let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ UInt64($0) }) else { return nil }
        return kilobytes * 1024
    }
}
