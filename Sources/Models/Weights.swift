import Foundation
import Hub
import PythonText
import Safetensors
import TorchCheckpoint
import TensorCore

/// A checkpoint's tensors by name, from `model.safetensors` or the shards listed in
/// `model.safetensors.index.json`, used in place from the memory map; or fresh ones drawn as transformers
/// initialises a model built from a config.
public final class Weights: @unchecked Sendable {
    private let files: [String: SafetensorsFile]
    /// The `pytorch_model.bin` file of each tensor, for an older checkpoint.
    private let loaded: [String: TorchStateDict]
    /// Tensors in memory: a model's own state, to build it again.
    private let state: [String: Tensor]
    private let description: String
    /// Draws each tensor asked for, for a model with no checkpoint.
    private let initializer: InitialWeights?
    /// Draws the tensors the checkpoint lacks (a new head on a base model), from torch's generator.
    private var missingInitializer: InitialWeights?
    /// The names of the tensors drawn because the checkpoint lacks them, as transformers lists them.
    public private(set) var newlyInitialized: [String] = []
    /// The type the parameters are made in: float32, or the float16 / bfloat16 of `model.to(dtype)`.
    public var dtype = DType.float32

    /// Fresh weights as transformers' `_init_weights` draws them for `BertModel(config)`.
    public init(initializedFor config: ModelConfig, _ initialization: Initialization) {
        files = [:]
        loaded = [:]
        state = [:]
        description = "\(config.className)()"
        initializer = InitialWeights(config, initialization)
    }

    /// A model's state dict (`moduleTree.stateDict`), to build the model again.
    public init(state: [(name: String, tensor: Tensor)], description: String) {
        files = [:]
        loaded = [:]
        self.state = Dictionary(state.map { ($0.name, $0.tensor) }, uniquingKeysWith: { first, _ in first })
        self.description = description
        initializer = nil
    }

    /// Opens the weights of `checkpoint`.
    public init(_ checkpoint: Checkpoint) throws {
        initializer = nil
        state = [:]
        if let single = try checkpoint.file("model.safetensors") {
            let file = try SafetensorsFile(path: single.path)
            files = Dictionary(uniqueKeysWithValues: file.names.map { ($0, file) })
            loaded = [:]
            description = single.path
            return
        }
        guard let index = try checkpoint.file("model.safetensors.index.json") else {
            // an older checkpoint: torch.save's pickles, read as data only (their tensors copied into memory)
            files = [:]
            if let bin = try checkpoint.file("pytorch_model.bin") {
                let file = try TorchStateDict(path: bin.path)
                loaded = Dictionary(uniqueKeysWithValues: file.names.map { ($0, file) })
                description = bin.path
            } else if let binIndex = try checkpoint.file("pytorch_model.bin.index.json") {
                // shards in file-name order, a tensor in several taken from the last, as transformers loads them
                var byName = [String: TorchStateDict]()
                for url in try Self.shards(binIndex, checkpoint).sorted(by: { $0.lastPathComponent < $1.lastPathComponent }) {
                    let file = try TorchStateDict(path: url.path)
                    for name in file.names { byName[name] = file }
                }
                loaded = byName
                description = binIndex.path
            } else {
                throw ModelError("checkpoint '\(checkpoint.name)' has no model.safetensors, model.safetensors.index.json, pytorch_model.bin or pytorch_model.bin.index.json in \(checkpoint.directory.path)")
            }
            return
        }
        var files = [String: SafetensorsFile]()
        for url in try Self.shards(index, checkpoint) {
            let shard = try SafetensorsFile(path: url.path)
            for name in shard.names where files[name] == nil { files[name] = shard }
        }
        self.files = files
        loaded = [:]
        description = index.path
    }

    /// The shard files an index's `weight_map` names, each once, in the order first named.
    private static func shards(_ index: URL, _ checkpoint: Checkpoint) throws -> [URL] {
        guard let map = try JSONFile.jsonObject(at: index)["weight_map"]?.object else {
            throw ModelError("\(index.path): 'weight_map' must map tensor names to shard files")
        }
        var seen = Set<String>(), urls = [URL]()
        for (name, value) in map {
            guard let shard = value.string else {
                throw ModelError("\(index.path): 'weight_map' must map tensor names to shard files, got \(PythonJSON.dumps(value)) for '\(name)'")
            }
            guard seen.insert(shard).inserted else { continue }
            guard !shard.contains("/"), let url = try checkpoint.file(shard) else {
                throw ModelError("\(index.path): shard '\(shard)' for tensor '\(name)' is missing")
            }
            urls.append(url)
        }
        return urls
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

    /// The tensor `name` (looked up with and without `prefix`), checked against `shape`; for a model built from a
    /// config, drawn as `initial` says.
    func tensor(_ name: String, prefix: String = "", shape: [Int], initial: InitialValue) throws -> Tensor {
        if let initializer { return try initializer.tensor(shape, initial).to(dtype) }
        guard let key = candidates(name, prefix: prefix).first(where: has) else {
            guard let missingInitializer else {
                throw ModelError("\(description): missing tensor '\(prefix + name)' (expected shape \(shape))")
            }
            newlyInitialized.append(prefix + name)
            return try missingInitializer.tensor(shape, initial).to(dtype)
        }
        if let stored = loaded[key]?.shape(key), stored != shape {  // checked before the tensor is read
            throw ModelError("\(description): tensor '\(key)' has shape \(stored), expected \(shape)")
        }
        guard let tensor = try state[key] ?? loaded[key]?.tensor(key) ?? files[key]?.tensor(key) else {
            throw ModelError("\(description): missing tensor '\(key)'")
        }
        guard tensor.shape == shape else {
            throw ModelError("\(description): tensor '\(key)' has shape \(tensor.shape), expected \(shape)")
        }
        guard tensor.dtype != dtype else { return tensor }
        defer { tensor.releaseFilePages() }  // the model keeps the converted copy, not the checkpoint's values
        return tensor.to(dtype)
    }

    /// From now on, a tensor the checkpoint lacks is drawn as transformers' `_init_weights` draws a new module's, from
    /// torch's generator (so `torch.manual_seed` decides it), instead of being an error.
    public func initializingMissing(for config: ModelConfig, _ initialization: Initialization) {
        missingInitializer = InitialWeights(config, initialization, drawing: .torch)
    }

    /// Whether a tensor is present under any of its names.
    public func contains(_ name: String, prefix: String = "") -> Bool {
        initializer != nil || candidates(name, prefix: prefix).contains(where: has)
    }

    private func has(_ key: String) -> Bool { files[key] != nil || loaded[key] != nil || state[key] != nil }
}

/// Where a module reads its tensors: the weights, and the dotted path of the module (`distilbert.transformer.layer.0.`).
struct WeightScope {
    let weights: Weights
    /// The base model's prefix, optional in the checkpoint (`distilbert.`, `bert.`).
    let basePrefix: String
    let path: String

    /// A head's module `name` (`classifier`), named from the checkpoint's root.
    static func head(_ weights: Weights, _ name: String) -> WeightScope { WeightScope(weights: weights, basePrefix: "", path: name + ".") }

    func child(_ name: String) -> WeightScope { WeightScope(weights: weights, basePrefix: basePrefix, path: path + name + ".") }

    /// The module's parameter `name`: an `nn.Parameter`, which requires grad.
    func tensor(_ name: String, _ shape: [Int], initial: InitialValue) throws -> Tensor {
        try weights.tensor(path + name, prefix: basePrefix, shape: shape, initial: initial).asParameter()
    }
}

/// What a parameter starts as in a model built from a config; each layer kind says it for its parameters
/// (transformers' `_init_weights`).
enum InitialValue {
    /// normal(0, std), e.g. a Linear's weight; `zeroRow` (an Embedding's `padding_idx`) is zero.
    case normal(zeroRow: Int? = nil)
    case zeros, ones
}

/// The weights of a model built from a config, drawn as transformers' `_init_weights` draws them: each
/// parameter as its layer kind says (`InitialValue`), normal draws with the standard deviation the architecture's
/// `Initialization` names (`initializer_range`).
private final class InitialWeights {
    /// Where normal draws come from: a fast generator of its own (a whole model from a config), or torch's (a new
    /// module of a loaded model, reproducible with `torch.manual_seed`).
    enum Source { case own, torch }

    private var random = SplitMix64(seed: UInt64.random(in: 0...UInt64.max))
    private let source: Source
    private let std: Double
    /// All the weights together must fit in memory, not only each one.
    private var drawnBytes = 0

    init(_ config: ModelConfig, _ initialization: Initialization, drawing source: Source = .own) {
        std = config.field(initialization.stdField)?.number ?? 0.02
        self.source = source
    }

    func tensor(_ shape: [Int], _ initial: InitialValue) throws -> Tensor {
        try Tensor.checkAllocation(shape)
        drawnBytes += shape.reduce(4, *)
        try Tensor.checkAllocation(bytes: drawnBytes)
        let count = shape.reduce(1, *)
        switch initial {
        case .zeros: return Tensor(zeros: shape)
        case .ones: return Tensor(floats: [Float](repeating: 1, count: count), shape: shape)
        case .normal(let zeroRow):
            var values = source == .torch ? RandomGenerator.normal(count, std: std) : (0..<count).map { _ in normal() * Float(std) }
            if let row = zeroRow, shape.count == 2, row < shape[0] {
                values.replaceSubrange(row * shape[1]..<(row + 1) * shape[1], with: repeatElement(0, count: shape[1]))
            }
            return Tensor(floats: values, shape: shape)
        }
    }

    /// A standard normal draw (Box-Muller).
    private func normal() -> Float {
        let u = Float.random(in: Float.ulpOfOne..<1, using: &random), v = Float.random(in: 0..<1, using: &random)
        return (-2 * logf(u)).squareRoot() * cosf(2 * .pi * v)
    }
}

/// A fast pseudo-random generator (SplitMix64) for initial weights: the system generator makes a system call
/// per draw, minutes for BERT-base's 110 million weights.
private struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
