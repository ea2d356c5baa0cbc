import Synchronization

/// A flat buffer of elements that tensors view. It either owns its memory or borrows it from an owner object
/// (a memory-mapped safetensors file) that it keeps alive, so weights are used in place without copying.
public final class TensorStorage: @unchecked Sendable {
    let base: UnsafeMutableRawPointer
    let byteCount: Int
    private let owner: AnyObject?
    /// Counts in-place writes (torch's `_version`), so what was derived from the values (a packed weight) can
    /// tell it is stale.
    private(set) var version = 0
    /// The weights packed from this storage, by the view they were packed from.
    private let packedWeights = Mutex<[PackedKey: PackedWeight]>([:])

    /// Allocates memory for `byteCount` bytes, zeroed unless the caller will write all of it.
    init(byteCount: Int, zeroed: Bool = true) {
        self.byteCount = byteCount
        base = UnsafeMutableRawPointer.allocate(byteCount: Swift.max(byteCount, 1), alignment: 64)
        if zeroed { base.initializeMemory(as: UInt8.self, repeating: 0, count: Swift.max(byteCount, 1)) }
        owner = nil
    }

    /// Borrows `byteCount` bytes at `base`; `owner` is kept alive as long as this storage is.
    public init(borrowing base: UnsafeMutableRawPointer, byteCount: Int, owner: AnyObject) {
        self.base = base
        self.byteCount = byteCount
        self.owner = owner
    }

    deinit {
        if owner == nil { base.deallocate() }
    }

    /// Marks the values changed (an in-place write).
    func touch() { version += 1 }

    /// `weight` (a `[n, k]` float32 view of this storage) packed for the GEMM kernel, packed on first use and
    /// again after a write.
    func packed(_ weight: Tensor) -> PackedWeight {
        let key = PackedKey(offset: weight.offset, shape: weight.shape, strides: weight.strides)
        return packedWeights.withLock { cache in
            if let packed = cache[key], packed.version == version { return packed }
            let packed = PackedWeight(weight, version: version)
            cache[key] = packed
            return packed
        }
    }

    func floats(_ offset: Int = 0) -> UnsafeMutablePointer<Float> {
        base.assumingMemoryBound(to: Float.self) + offset
    }

    func doubles(_ offset: Int = 0) -> UnsafeMutablePointer<Double> {
        base.assumingMemoryBound(to: Double.self) + offset
    }

    func ints(_ offset: Int = 0) -> UnsafeMutablePointer<Int64> {
        base.assumingMemoryBound(to: Int64.self) + offset
    }

    func bools(_ offset: Int = 0) -> UnsafeMutablePointer<UInt8> {
        base.assumingMemoryBound(to: UInt8.self) + offset
    }
}

/// Which view of a storage a packed weight was made from.
private struct PackedKey: Hashable {
    let offset: Int
    let shape: [Int]
    let strides: [Int]
}
