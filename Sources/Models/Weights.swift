import Foundation
import Hub
import Safetensors
import TensorCore

/// A checkpoint's tensors by name, from `model.safetensors` or the shards listed in
/// `model.safetensors.index.json`. Tensors are used in place from the memory map.
public final class Weights: @unchecked Sendable {
    private let files: [String: SafetensorsFile]
    private let description: String

    /// Opens the weights of `checkpoint`.
    public init(_ checkpoint: Checkpoint) throws {
        if let single = try checkpoint.file("model.safetensors") {
            let file = try SafetensorsFile(path: single.path)
            files = Dictionary(uniqueKeysWithValues: file.names.map { ($0, file) })
            description = single.path
            return
        }
        guard let index = try checkpoint.file("model.safetensors.index.json") else {
            let hint = (try? checkpoint.file("pytorch_model.bin")) != nil ? " (it has pytorch_model.bin, which sbpl does not read: convert it to safetensors)" : ""
            throw ModelError("checkpoint '\(checkpoint.name)' has no model.safetensors or model.safetensors.index.json in \(checkpoint.directory.path)\(hint)")
        }
        guard let map = try JSONFile.object(at: index)["weight_map"] as? [String: String] else {
            throw ModelError("\(index.path): 'weight_map' must map tensor names to shard files")
        }
        var shards = [String: SafetensorsFile]()
        var files = [String: SafetensorsFile]()
        for (name, shard) in map {
            if shards[shard] == nil {
                guard !shard.contains("/"), let url = try checkpoint.file(shard) else {
                    throw ModelError("\(index.path): shard '\(shard)' for tensor '\(name)' is missing")
                }
                shards[shard] = try SafetensorsFile(path: url.path)
            }
            files[name] = shards[shard]
        }
        self.files = files
        description = index.path
    }

    /// The names a tensor may be stored under: as asked, with or without the base model's prefix, and with
    /// old checkpoints' LayerNorm `gamma`/`beta` for `weight`/`bias`.
    private func candidates(_ name: String, prefix: String) -> [String] {
        let plain = [prefix + name, name]
        let legacy = plain.map {
            $0.hasSuffix("LayerNorm.weight") ? String($0.dropLast(6)) + "gamma"
                : $0.hasSuffix("LayerNorm.bias") ? String($0.dropLast(4)) + "beta" : $0
        }
        return plain + legacy
    }

    /// The tensor `name` (looked up with and without `prefix`), checked against `shape`.
    public func tensor(_ name: String, prefix: String = "", shape: [Int]) throws -> Tensor {
        guard let key = candidates(name, prefix: prefix).first(where: { files[$0] != nil }), let file = files[key] else {
            throw ModelError("\(description): missing tensor '\(prefix + name)' (expected shape \(shape))")
        }
        let tensor = try file.tensor(key)
        guard tensor.shape == shape else {
            throw ModelError("\(description): tensor '\(key)' has shape \(tensor.shape), expected \(shape)")
        }
        return tensor.to(.float32)
    }

    /// Whether a tensor is present under any of its names.
    public func contains(_ name: String, prefix: String = "") -> Bool {
        candidates(name, prefix: prefix).contains { files[$0] != nil }
    }
}

/// Where a module reads its tensors: the weights, and the dotted path of the module (`distilbert.transformer.layer.0.`).
struct WeightScope {
    let weights: Weights
    /// The base model's prefix, optional in the checkpoint (`distilbert.`, `bert.`).
    let basePrefix: String
    let path: String

    func child(_ name: String) -> WeightScope { WeightScope(weights: weights, basePrefix: basePrefix, path: path + name + ".") }

    func tensor(_ name: String, _ shape: [Int]) throws -> Tensor {
        try weights.tensor(path + name, prefix: basePrefix, shape: shape)
    }
}
