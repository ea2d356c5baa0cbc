import Foundation
import TensorCore

/// The tensors of a `pytorch_model.bin` (`torch.save` of a state dict: a zip of a pickle and one file per storage),
/// read without running any of the pickle's code; each tensor is read when asked for (after its shape is checked),
/// as float32 (float16 and bfloat16 widened) or int64.
public final class TorchStateDict: @unchecked Sendable {
    private let archive: ZipArchive
    private let records: [String: TensorRecord]
    private let path: String
    /// The folder of the archive's files (`archive`, `pytorch_model`).
    private let folder: String

    /// The tensors' state-dict names.
    public var names: Dictionary<String, TensorRecord>.Keys { records.keys }

    /// The shape of tensor `name`, if there is one.
    public func shape(_ name: String) -> [Int]? { records[name]?.shape }

    /// Tensor `name`, read from its storage.
    public func tensor(_ name: String) throws -> Tensor {
        guard let record = records[name] else { throw CheckpointError("\(path) has no tensor \(name)") }
        return try Self.tensor(record, archive: archive, folder: folder, path: path)
    }

    /// Reads `path`.
    public init(path: String) throws {
        // a FIFO or device in the file's place would block the read, or never end it
        var info = stat()
        if stat(path, &info) == 0, (info.st_mode & S_IFMT) != S_IFREG { throw CheckpointError("\(path) is not a regular file") }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) } catch {
            throw CheckpointError("\(path) cannot be read (\(error.localizedDescription))")
        }
        let archive = try ZipArchive(data, path: path)
        let folder = try archive.pickleFolder(path: path)
        if let order = archive.entries[folder + "/byteorder"],
           String(decoding: data[(data.startIndex + order.offset)..<(data.startIndex + order.offset + order.size)], as: UTF8.self) != "little" {
            throw CheckpointError("\(path) was saved big-endian, which sbpl does not read")
        }
        guard let pickle = archive.entries[folder + "/data.pkl"] else { throw CheckpointError("\(path) has no data.pkl") }
        var unpickler = Unpickler(Array(data[(data.startIndex + pickle.offset)..<(data.startIndex + pickle.offset + pickle.size)]), path: path)
        guard case .dict(let entries) = try unpickler.load() else { throw CheckpointError("\(path) does not hold a state dict") }
        var records = [String: TensorRecord]()
        for (key, value) in entries {
            guard case .string(let name) = key, case .tensor(let record) = value else { continue }
            records[name] = record
        }
        (self.archive, self.records, self.path, self.folder) = (archive, records, path, folder)
    }

    /// The tensor `record` describes, from its storage's bytes.
    private static func tensor(_ record: TensorRecord, archive: ZipArchive, folder: String, path: String) throws -> Tensor {
        guard let storage = archive.entries[folder + "/data/" + record.storage] else {
            throw CheckpointError("\(path) has no storage data/\(record.storage)")
        }
        let widths = ["FloatStorage": 4, "HalfStorage": 2, "BFloat16Storage": 2, "LongStorage": 8]
        guard let width = widths[record.type] else {
            throw CheckpointError("\(path) holds a tensor of \(record.type), which sbpl does not read")
        }
        try Tensor.checkAllocation(record.shape, dtype: record.type == "LongStorage" ? .int64 : .float32)
        let count = record.shape.reduce(1, *)
        // the last element's index, every product and sum checked: a hostile stride must not overflow
        var last = record.offset, overflow = false
        for (size, stride) in zip(record.shape, record.strides) where size > 0 {
            let step = (size - 1).multipliedReportingOverflow(by: stride), sum = last.addingReportingOverflow(step.partialValue)
            (last, overflow) = (sum.partialValue, overflow || step.overflow || sum.overflow)
        }
        let next = last.addingReportingOverflow(1), end = next.partialValue.multipliedReportingOverflow(by: width)
        guard count == 0 || (!overflow && !next.overflow && !end.overflow && end.partialValue <= storage.size) else {
            throw CheckpointError("\(path): a tensor runs past its storage")
        }
        if record.type == "FloatStorage", record.strides == Tensor.contiguousStrides(record.shape) {  // most weights: one copy
            let floats = archive.data.withUnsafeBytes { raw in
                (0..<count).map { raw.loadUnaligned(fromByteOffset: storage.offset + (record.offset + $0) * 4, as: Float.self) }
            }
            return Tensor(floats: floats, shape: record.shape)
        }
        /// Every element in row-major order, read from its place in the storage.
        func gather<T>(_ read: (UnsafeRawBufferPointer, Int) -> T) -> [T] {
            archive.data.withUnsafeBytes { raw in
                let base = UnsafeRawBufferPointer(rebasing: raw[storage.offset..<storage.offset + storage.size])
                var out = [T](), index = [Int](repeating: 0, count: record.shape.count)
                out.reserveCapacity(count)
                for _ in 0..<count {
                    out.append(read(base, record.offset + zip(index, record.strides).reduce(0) { $0 + $1.0 * $1.1 }))
                    var d = index.count - 1
                    while d >= 0 { index[d] += 1; if index[d] < record.shape[d] { break }; index[d] = 0; d -= 1 }
                }
                return out
            }
        }
        switch record.type {
        case "LongStorage": return Tensor(ints: gather { $0.loadUnaligned(fromByteOffset: $1 * 8, as: Int64.self) }, shape: record.shape)
        case "HalfStorage":
            return Tensor(floats: gather { Float(Float16(bitPattern: $0.loadUnaligned(fromByteOffset: $1 * 2, as: UInt16.self))) }, shape: record.shape)
        case "BFloat16Storage":
            return Tensor(floats: gather { Float(bitPattern: UInt32($0.loadUnaligned(fromByteOffset: $1 * 2, as: UInt16.self)) << 16) }, shape: record.shape)
        default: return Tensor(floats: gather { $0.loadUnaligned(fromByteOffset: $1 * 4, as: Float.self) }, shape: record.shape)
        }
    }
}
