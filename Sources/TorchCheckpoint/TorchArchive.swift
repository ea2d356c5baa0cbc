import Foundation
import TensorCore

/// What a `torch.save` file holds that sbpl reads and writes: Python's plain values and tensors, nested.
public indirect enum SavedValue {
    case none, bool(Bool), int(Int), float(Double), string(String)
    case tuple([SavedValue]), list([SavedValue])
    /// A dict, or an `OrderedDict` (what `state_dict()` gives).
    case dict([(SavedValue, SavedValue)], ordered: Bool)
    case tensor(Tensor, requiresGrad: Bool, isParameter: Bool)
}

/// `torch.save` and `torch.load` files: a zip of `data.pkl` (the pickled value, its tensors pointing at storages)
/// and one file per storage. Loading runs none of the pickle's code: only values and tensors are built.
public enum TorchArchive {
    /// The value saved at `path`.
    public static func load(_ path: String) throws -> SavedValue {
        let (archive, folder, value) = try ZipArchive.pickle(at: path)
        func saved(_ value: PickleValue) throws -> SavedValue {
            switch value {
            case .none: return .none
            case .bool(let b): return .bool(b)
            case .int(let i): return .int(i)
            case .float(let x): return .float(x)
            case .string(let s): return .string(s)
            case .tuple(let items): return .tuple(try items.map(saved))
            case .list(let items): return .list(try items.map(saved))
            case .dict(let pairs, let ordered): return .dict(try pairs.map { (try saved($0.0), try saved($0.1)) }, ordered: ordered)
            case .tensor(let record):
                return .tensor(try archive.tensor(record, folder: folder, path: path), requiresGrad: record.requiresGrad, isParameter: record.isParameter)
            case .global(let name): throw CheckpointError("\(path) holds \(name) itself, which sbpl's torch.load does not build")
            case .storage, .mark: throw CheckpointError("\(path) holds a bare storage, which sbpl's torch.load does not build")
            }
        }
        return try saved(value)
    }

    /// Writes `value` to `path` as `torch.save` does: the archive's folder named after the file, each tensor's
    /// elements a storage of their own (tensors that are one object share theirs).
    public static func save(_ value: SavedValue, to path: String) throws {
        var pickle = PickleWriter()
        pickle.write(value)
        let folder = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        var zip = ZipWriter()
        zip.add(folder + "/data.pkl", pickle.finished())
        zip.add(folder + "/byteorder", Data("little".utf8))
        for (key, bytes) in pickle.storages { zip.add(folder + "/data/" + key, bytes) }
        zip.add(folder + "/version", Data("3\n".utf8))
        do { try zip.finished().write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw CheckpointError("cannot write \(path): \(error.localizedDescription)")
        }
    }
}

extension ZipArchive {
    /// The archive `torch.save` wrote at `path`, the folder of its files and what its `data.pkl` holds, read without
    /// running any of the pickle's code.
    static func pickle(at path: String) throws -> (ZipArchive, folder: String, value: PickleValue) {
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
        return (archive, folder, try unpickler.load())
    }

    /// The tensor `record` describes, from its storage's bytes, in the storage's own type.
    func tensor(_ record: TensorRecord, folder: String, path: String) throws -> Tensor {
        guard let storage = entries[folder + "/data/" + record.storage] else {
            throw CheckpointError("\(path) has no storage data/\(record.storage)")
        }
        let width = record.type.width
        try Tensor.checkAllocation(record.shape, dtype: record.type.dtype)
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
        let contiguous = record.strides == Tensor.contiguousStrides(record.shape)
        return data.withUnsafeBytes { raw in
            let base = UnsafeRawBufferPointer(rebasing: raw[storage.offset..<storage.offset + storage.size])
            if contiguous { return record.type.tensor(base, shape: record.shape) { record.offset + $0 } }  // most weights
            // each element found from its row-major position through the strides
            return record.type.tensor(base, shape: record.shape) { position in
                var rest = position, index = record.offset
                for (size, stride) in zip(record.shape, record.strides).reversed() {
                    index += (rest % size) * stride
                    rest /= size
                }
                return index
            }
        }
    }
}
