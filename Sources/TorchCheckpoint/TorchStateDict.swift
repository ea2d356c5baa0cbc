import Foundation
import TensorCore

/// The tensors of a `pytorch_model.bin` (`torch.save` of a state dict: a zip of a pickle and one file per storage),
/// read without running any of the pickle's code; each tensor is read when asked for (after its shape is checked),
/// as float32 (float16 and bfloat16 widened) or int64.
public final class TorchStateDict: @unchecked Sendable {
    private let archive: ZipArchive
    private let records: [String: TensorRecord]
    private let path: String

    /// The tensors' state-dict names.
    public var names: Dictionary<String, TensorRecord>.Keys { records.keys }

    /// The shape of tensor `name`, if there is one.
    public func shape(_ name: String) -> [Int]? { records[name]?.shape }

    /// Tensor `name`, read from its storage.
    public func tensor(_ name: String) throws -> Tensor {
        guard let record = records[name] else { throw CheckpointError("\(path) has no tensor \(name)") }
        return try Self.tensor(record, archive: archive, path: path)
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
        guard let pickle = archive.entry(endingWith: "/data.pkl") else { throw CheckpointError("\(path) has no data.pkl: it is not a torch.save file") }
        var unpickler = Unpickler(Array(data[(data.startIndex + pickle.offset)..<(data.startIndex + pickle.offset + pickle.size)]), path: path)
        guard case .dict(let entries) = try unpickler.load() else { throw CheckpointError("\(path) does not hold a state dict") }
        var records = [String: TensorRecord]()
        for (key, value) in entries {
            guard case .string(let name) = key, case .tensor(let record) = value else { continue }
            records[name] = record
        }
        (self.archive, self.records, self.path) = (archive, records, path)
    }

    /// The tensor `record` describes, from its storage's bytes.
    private static func tensor(_ record: TensorRecord, archive: ZipArchive, path: String) throws -> Tensor {
        guard let storage = archive.entry(endingWith: "/data/\(record.storage)") else {
            throw CheckpointError("\(path) has no storage data/\(record.storage)")
        }
        let width: Int, read: (UnsafeRawBufferPointer, Int) -> Double
        switch record.type {
        case "FloatStorage": (width, read) = (4, { Double($0.loadUnaligned(fromByteOffset: $1 * 4, as: Float.self)) })
        case "HalfStorage": (width, read) = (2, { Double(Float(Float16(bitPattern: $0.loadUnaligned(fromByteOffset: $1 * 2, as: UInt16.self)))) })
        case "BFloat16Storage":
            (width, read) = (2, { Double(Float(bitPattern: UInt32($0.loadUnaligned(fromByteOffset: $1 * 2, as: UInt16.self)) << 16)) })
        case "LongStorage": (width, read) = (8, { Double($0.loadUnaligned(fromByteOffset: $1 * 8, as: Int64.self)) })
        default: throw CheckpointError("\(path) holds a tensor of \(record.type), which sbpl does not read")
        }
        try Tensor.checkAllocation(record.shape, dtype: record.type == "LongStorage" ? .int64 : .float32)
        let count = record.shape.reduce(1, *)
        // the last element's index, every product and sum checked: a hostile stride must not overflow
        var last = record.offset, overflow = false
        for (size, stride) in zip(record.shape, record.strides) where size > 0 {
            let step = (size - 1).multipliedReportingOverflow(by: stride), sum = last.addingReportingOverflow(step.partialValue)
            (last, overflow) = (sum.partialValue, overflow || step.overflow || sum.overflow)
        }
        let end = (last + 1).multipliedReportingOverflow(by: width)
        guard count == 0 || (!overflow && !end.overflow && end.partialValue <= storage.size) else {
            throw CheckpointError("\(path): a tensor runs past its storage")
        }
        if record.type == "FloatStorage", record.strides == Tensor.contiguousStrides(record.shape) {  // most weights: one copy
            let floats = archive.data.withUnsafeBytes { raw in
                (0..<count).map { raw.loadUnaligned(fromByteOffset: storage.offset + (record.offset + $0) * 4, as: Float.self) }
            }
            return Tensor(floats: floats, shape: record.shape)
        }
        let values = archive.data.withUnsafeBytes { raw -> [Double] in
            let base = UnsafeRawBufferPointer(rebasing: raw[storage.offset..<storage.offset + storage.size])
            var out = [Double](), index = [Int](repeating: 0, count: record.shape.count)
            out.reserveCapacity(count)
            for _ in 0..<count {
                out.append(read(base, record.offset + zip(index, record.strides).reduce(0) { $0 + $1.0 * $1.1 }))
                var d = index.count - 1
                while d >= 0 { index[d] += 1; if index[d] < record.shape[d] { break }; index[d] = 0; d -= 1 }
            }
            return out
        }
        return record.type == "LongStorage" ? Tensor(ints: values.map { Int64($0) }, shape: record.shape)
            : Tensor(floats: values.map { Float($0) }, shape: record.shape)
    }
}
