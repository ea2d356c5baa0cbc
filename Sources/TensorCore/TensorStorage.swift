/// A flat buffer of elements that tensors view. It either owns its memory or borrows it from an owner object
/// (a memory-mapped safetensors file) that it keeps alive, so weights are used in place without copying.
public final class TensorStorage: @unchecked Sendable {
    let base: UnsafeMutableRawPointer
    let byteCount: Int
    private let owner: AnyObject?

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
