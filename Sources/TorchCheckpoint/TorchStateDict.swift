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

    /// Tensor `name`, read from its storage; floating types as float32, as a model computes.
    public func tensor(_ name: String) throws -> Tensor {
        guard let record = records[name] else { throw CheckpointError("\(path) has no tensor \(name)") }
        let t = try archive.tensor(record, folder: folder, path: path)
        return t.dtype.isFloatingPoint && t.dtype != .float32 ? t.to(.float32) : t
    }

    /// Reads `path`.
    public init(path: String) throws {
        let (archive, folder, value) = try ZipArchive.pickle(at: path)
        guard case .dict(let entries, _) = value else { throw CheckpointError("\(path) does not hold a state dict") }
        var records = [String: TensorRecord]()
        for (key, value) in entries {
            guard case .string(let name) = key, case .tensor(let record) = value else { continue }
            records[name] = record
        }
        (self.archive, self.records, self.path, self.folder) = (archive, records, path, folder)
    }
}
