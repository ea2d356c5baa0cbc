import Foundation
import TensorCore

/// A `.safetensors` file, memory-mapped and validated as the reference reader does. float32 and int64 tensors
/// are used in place from the map; F16, BF16, F64 and the smaller integer types are converted on load.
///
/// ```swift
/// let file = try SafetensorsFile(path: "model.safetensors")
/// let w = try file.tensor("embeddings.word_embeddings.weight")   // [30522, 384], no copy
/// ```
public final class SafetensorsFile: @unchecked Sendable {
    /// One tensor's entry in the header.
    public struct Entry: Sendable {
        let dtype: SafetensorsDType
        public let shape: [Int]
        /// The type the file stores it in, as an sbpl type (see `SafetensorsDType.tensorType`).
        public var storedType: DType { dtype.tensorType }
        let begin: Int
        let end: Int
    }

    /// The header's largest allowed size, as in the reference implementation.
    static let maxHeaderSize = 100_000_000

    public let path: String
    /// The optional `__metadata__` map.
    public let metadata: [String: String]
    /// The tensors by name.
    public let entries: [String: Entry]
    private let file: MappedFile
    private let dataStart: Int
    private let storage: TensorStorage

    /// Maps and validates the file at `path`; every problem is a `SafetensorsError` naming the file and tensor.
    public init(path: String) throws {
        self.path = path
        file = try MappedFile(path: path)
        guard file.size >= 8 else { throw SafetensorsError(path, "file too small for a header (HeaderTooSmall)") }
        let headerSize = Int(UInt64(littleEndian: file.base.loadUnaligned(as: UInt64.self)).clamped(to: Int.max))
        guard headerSize <= Self.maxHeaderSize else {
            throw SafetensorsError(path, "header of \(headerSize) bytes is over the limit of \(Self.maxHeaderSize) (HeaderTooLarge)")
        }
        guard 8 + headerSize <= file.size else {
            throw SafetensorsError(path, "header length \(headerSize) runs past the end of the \(file.size)-byte file (InvalidHeaderLength)")
        }
        dataStart = 8 + headerSize
        let header: SafetensorsHeader
        do { header = try SafetensorsHeader.decode(Data(bytes: file.base + 8, count: headerSize)) } catch {
            throw SafetensorsError(path, tensor: error.tensor, error.reason)
        }
        metadata = header.metadata
        entries = try Self.validate(header.tensors, dataSize: file.size - dataStart, path: path)
        storage = TensorStorage(borrowing: file.base, byteCount: file.size, owner: file, reloadable: true)
    }

    /// Tensor names, sorted.
    public var names: [String] { entries.keys.sorted() }

    /// The tensor `name`: a view of the map for aligned float32 / int64 data, else a converted copy.
    public func tensor(_ name: String) throws -> Tensor {
        guard let entry = entries[name] else { throw SafetensorsError(path, tensor: name, "no such tensor in the file") }
        let byteOffset = dataStart + entry.begin
        let loaded = entry.dtype.loadedType
        let inPlace = (entry.dtype == .F32 || entry.dtype == .I64) && byteOffset % entry.dtype.size == 0
        if inPlace { return Tensor(borrowing: storage, dtype: loaded, shape: entry.shape, byteOffset: byteOffset) }
        let out = Tensor(zeros: entry.shape, dtype: loaded)
        let count = entry.shape.reduce(1, *)
        if loaded == .float32 {
            out.withFloatPointer { entry.dtype.convert(file.base + byteOffset, count: count, into: $0) }
        } else {
            out.withInt64Pointer { entry.dtype.convert(file.base + byteOffset, count: count, into: $0) }
        }
        return out
    }

    /// Checks dtypes, shapes and offsets: in bounds, contiguous from 0, covering the whole data buffer, and each
    /// tensor's byte size equal to its element count times its dtype's size.
    private static func validate(_ tensors: [String: SafetensorsHeader.TensorInfo], dataSize: Int, path: String) throws -> [String: Entry] {
        var entries = [String: Entry]()
        for (name, info) in tensors {
            let (begin, end) = info.dataOffsets
            let (count, overflow) = info.shape.reduce((1, false)) { acc, d in
                let (p, o) = acc.0.multipliedReportingOverflow(by: d)
                return (p, acc.1 || o)
            }
            let (bytes, bytesOverflow) = count.multipliedReportingOverflow(by: info.dtype.size)
            guard !overflow, !bytesOverflow, end >= begin, end - begin == bytes else {
                throw SafetensorsError(path, tensor: name, "data_offsets [\(begin), \(end)] hold \(end - begin) bytes but shape \(info.shape) of \(info.dtype.rawValue) needs \(overflow || bytesOverflow ? "too many" : String(bytes)) (TensorInvalidInfo)")
            }
            entries[name] = Entry(dtype: info.dtype, shape: info.shape, begin: begin, end: end)
        }
        var expected = 0
        for (name, entry) in entries.sorted(by: { ($0.value.begin, $0.value.end) < ($1.value.begin, $1.value.end) }) {
            guard entry.begin == expected else {
                throw SafetensorsError(path, tensor: name, "data starts at byte \(entry.begin), expected \(expected): tensors must be contiguous (InvalidOffset)")
            }
            guard entry.end <= dataSize else {
                throw SafetensorsError(path, tensor: name, "data ends at byte \(entry.end), past the \(dataSize)-byte buffer (InvalidOffset)")
            }
            expected = entry.end
        }
        guard expected == dataSize else {
            throw SafetensorsError(path, "tensors cover \(expected) of the \(dataSize) data bytes (MetadataIncompleteBuffer)")
        }
        return entries
    }
}

private extension UInt64 {
    func clamped(to limit: Int) -> UInt64 { Swift.min(self, UInt64(limit)) }
}
