import Synchronization

/// Large tensor buffers kept for reuse once their storage is freed. A forward pass allocates buffers of the same
/// few sizes layer after layer, on the interpreter's thread; glibc serves that thread from an arena of 64 MiB heaps,
/// gives a buffer that does not fit in the current one a heap of its own and unmaps the heap when the buffer is
/// freed, so the next buffer's pages fault in again, zeroed (17K page faults per 32x64 DistilBERT pass). Buffers of
/// `minimum` to `capacity` bytes are kept here by size, up to `capacity` bytes in all, the oldest given back first.
enum BufferCache {
    /// The smallest buffer kept; smaller ones come from malloc's own bins.
    static let minimum = 1 << 20
    /// The most bytes kept at once.
    static let capacity = 256 << 20

    /// The kept buffers, oldest first, by address (a pointer is not `Sendable`).
    private static let kept = Mutex<[(size: Int, address: UInt)]>([])

    /// The size a request of `byteCount` bytes is served with: whole pages, so nearby sizes share buffers.
    static func size(of byteCount: Int) -> Int {
        byteCount < minimum || byteCount > capacity ? Swift.max(byteCount, 1) : (byteCount + 4095) / 4096 * 4096
    }

    /// A buffer of `size(of: byteCount)` bytes, 64-byte aligned: the newest kept one of that size, else a new one.
    static func take(_ byteCount: Int) -> UnsafeMutableRawPointer {
        let size = size(of: byteCount)
        if size >= minimum, size <= capacity, let address = kept.withLock({ kept in
            kept.lastIndex { $0.size == size }.map { kept.remove(at: $0).address }
        }), let base = UnsafeMutableRawPointer(bitPattern: address) {
            return base
        }
        return UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 64)
    }

    /// The bytes kept now.
    static var keptBytes: Int { kept.withLock { $0.reduce(0) { $0 + $1.size } } }

    /// Takes back a buffer `take(byteCount)` gave, keeping it when it is large, and frees the oldest kept buffers
    /// past `capacity`.
    static func give(_ base: UnsafeMutableRawPointer, _ byteCount: Int) {
        let size = size(of: byteCount)
        guard size >= minimum, size <= capacity else { return base.deallocate() }
        let released = kept.withLock { kept in
            kept.append((size, UInt(bitPattern: base)))
            var total = kept.reduce(0) { $0 + $1.size }, count = 0  // a few dozen buffers at most
            while total > capacity { total -= kept[count].size; count += 1 }
            let oldest = kept.prefix(count).map(\.address)
            kept.removeFirst(count)
            return oldest
        }
        for address in released { UnsafeMutableRawPointer(bitPattern: address)?.deallocate() }
    }
}
