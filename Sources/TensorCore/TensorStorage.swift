import Glibc
import Synchronization

/// A flat buffer of elements that tensors view. It either owns its memory or borrows it from an owner object
/// (a memory-mapped safetensors file) that it keeps alive, so weights are used in place without copying.
public final class TensorStorage: @unchecked Sendable {
    let base: UnsafeMutableRawPointer
    let byteCount: Int
    private let owner: AnyObject?
    /// Whether the borrowed memory is a private mapping of a file, whose pages the kernel can drop and read again
    /// from the file as long as they were never written.
    private let reloadable: Bool
    /// Counts in-place writes (torch's `_version`), so what was derived from the values (a packed weight) can
    /// tell it is stale.
    private(set) var version = 0
    /// The weights packed from this storage, by the view they were packed from and the kernel they are for.
    private let packedWeights = Mutex<[PackedKey: any PackedForm]>([:])

    /// Allocates memory for `byteCount` bytes, zeroed unless the caller will write all of it.
    init(byteCount: Int, zeroed: Bool = true) {
        self.byteCount = byteCount
        base = BufferCache.take(byteCount)
        if zeroed { base.initializeMemory(as: UInt8.self, repeating: 0, count: Swift.max(byteCount, 1)) }
        owner = nil
        reloadable = false
    }

    /// Borrows `byteCount` bytes at `base`; `owner` is kept alive as long as this storage is. `reloadable`: the
    /// bytes are a private mapping of a file (`mmap` with `MAP_PRIVATE`), which pages never written can be read
    /// from again.
    public init(borrowing base: UnsafeMutableRawPointer, byteCount: Int, owner: AnyObject, reloadable: Bool = false) {
        self.base = base
        self.byteCount = byteCount
        self.owner = owner
        self.reloadable = reloadable
    }

    deinit {
        if owner == nil { BufferCache.give(base, byteCount) }
    }

    /// Marks the values changed (an in-place write).
    func touch() { version += 1 }

    /// `weight` (a `[n, k]` view of this storage) packed for a GEMM kernel, `make(version)`'s: packed on first use and
    /// again after a write.
    func packed<Form: PackedForm>(_ weight: Tensor, making make: (_ version: Int) -> Form) -> Form {
        let key = PackedKey(Form.self, weight)
        return packedWeights.withLock { cache in
            if let packed = cache[key] as? Form, packed.version == version { return packed }
            let packed = make(version)
            cache[key] = packed
            releasePages(of: weight)
            return packed
        }
    }

    /// Lets the kernel drop the pages only `weight` covers, once packed: the layer reads its packed copy, so a
    /// mapped checkpoint's weight is not held in memory twice (`state_dict()` or printing it reads the pages back
    /// from the file). Only for a file's private mapping never written (`version` 0), whose pages equal the file.
    func releasePages(of weight: Tensor) {
        guard reloadable, version == 0, weight.dtype.layout == .float,  // its addresses count 4-byte elements
              weight.shape.allSatisfy({ $0 > 0 }), weight.strides.allSatisfy({ $0 >= 0 }) else {
            return
        }
        let last = weight.offset + zip(weight.shape, weight.strides).reduce(0) { $0 + ($1.0 - 1) * $1.1 }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = Int(bitPattern: floats(weight.offset)), end = Int(bitPattern: floats(last + 1))
        let first = (start + page - 1) / page * page, stop = end / page * page
        if stop > first { madvise(UnsafeMutableRawPointer(bitPattern: first), stop - first, MADV_DONTNEED) }
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

/// Which view of a storage a packed form was made from, and which form it is.
struct PackedKey: Hashable {
    let form: ObjectIdentifier
    let offset: Int
    let shape: [Int]
    let strides: [Int]

    init<Form: PackedForm>(_ form: Form.Type, _ view: Tensor) {
        (self.form, offset, shape, strides) = (ObjectIdentifier(form), view.offset, view.shape, view.strides)
    }
}
