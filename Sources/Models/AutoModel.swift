import Foundation
import Hub
import Safetensors
import TensorCore

/// A transformer with a forward pass: what the Auto classes return.
public protocol TransformerModel: Sendable {
    /// Runs the model; `checkInterrupt` is called between layers and may throw to stop the pass.
    func callAsFunction(_ inputs: ModelInputs, checkInterrupt: () throws -> Void) throws -> ModelOutput
    /// Its modules as `print(model)` shows them.
    var moduleTree: ModuleTree { get }
}

extension DistilBertModel: TransformerModel {}
extension DistilBertForSequenceClassification: TransformerModel {}
extension BertModel: TransformerModel {}
extension BertForSequenceClassification: TransformerModel {}

/// A model loaded from a checkpoint, with the transformers class it stands for and its config.
public struct LoadedModel: Sendable {
    /// The transformers class name, e.g. `DistilBertForSequenceClassification`.
    public let className: String
    public let config: ModelConfig
    public let checkpoint: String
    public let model: any TransformerModel

    /// `model(**inputs)`.
    public func callAsFunction(_ inputs: ModelInputs, checkInterrupt: () throws -> Void = {}) throws -> ModelOutput {
        try model(inputs, checkInterrupt: checkInterrupt)
    }

    /// `print(model)`: the module tree, as torch prints it.
    public var moduleTree: ModuleTree { model.moduleTree }

    /// `model.save_pretrained(directory)`: `config.json` as transformers writes it for this class, and the
    /// state dict as `model.safetensors`. Returns the files written.
    public func save(to directory: URL) throws -> [URL] {
        do { try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) } catch {
            throw ModelError("cannot create \(directory.path): \(error.localizedDescription)")
        }
        let configURL = directory.appendingPathComponent("config.json")
        let weightsURL = directory.appendingPathComponent("model.safetensors")
        let json = config.diffJSON(overriding: ["architectures": [className], "torch_dtype": "float32"])
        do { try Data(json.utf8).write(to: configURL) } catch {
            throw ModelError("cannot write \(configURL.path): \(error.localizedDescription)")
        }
        let state = Dictionary(moduleTree.stateDict.map { ($0.name, $0.tensor) }, uniquingKeysWith: { first, _ in first })
        try SafetensorsWriter.write(state, metadata: ["format": "pt"], to: weightsURL.path)
        return [configURL, weightsURL]
    }
}

/// What a model is for: the bare encoder (`AutoModel`) or with a classification head.
public enum ModelTask: Sendable {
    case base, sequenceClassification
}

/// `AutoModel` / `AutoModelForSequenceClassification`: choose the class from `config.json`'s `model_type`.
public enum AutoModel {
    /// The concrete classes sbpl has, with the model type and task each stands for.
    public static let classes: [String: (modelType: String, task: ModelTask)] = [
        "BertModel": ("bert", .base), "BertForSequenceClassification": ("bert", .sequenceClassification),
        "DistilBertModel": ("distilbert", .base), "DistilBertForSequenceClassification": ("distilbert", .sequenceClassification),
    ]

    /// `BertModel.from_pretrained(checkpoint)` and the like: the named class, for a checkpoint of its model type.
    public static func load(_ checkpoint: Checkpoint, as className: String) throws -> LoadedModel {
        guard let (modelType, task) = classes[className] else {
            throw ModelError("sbpl has no model class \(className); it has \(classes.keys.sorted().joined(separator: ", "))")
        }
        let config = try ModelConfig.load(checkpoint)
        guard config.modelType == modelType else {
            let auto = task == .base ? "AutoModel" : "AutoModelForSequenceClassification"
            throw ModelError("\(className) cannot load '\(checkpoint.name)': it is a '\(config.modelType)' checkpoint, not a '\(modelType)' one; load it with \(auto)")
        }
        return try load(checkpoint, config, task: task)
    }

    /// Loads `checkpoint` for `task`, choosing the architecture from its config.
    public static func load(_ checkpoint: Checkpoint, task: ModelTask = .base) throws -> LoadedModel {
        try load(checkpoint, ModelConfig.load(checkpoint), task: task)
    }

    private static func load(_ checkpoint: Checkpoint, _ config: ModelConfig, task: ModelTask) throws -> LoadedModel {
        let weights = try Weights(checkpoint)
        if task == .sequenceClassification && !weights.contains("classifier.weight") {
            throw ModelError("checkpoint '\(checkpoint.name)' has no sequence-classification head (classifier.weight): it is a base model (\(config.architectures.joined(separator: ", "))); load it with AutoModel, or use a checkpoint fine-tuned for classification")
        }
        return try build(config, weights, task: task, checkpoint: checkpoint.name)
    }

    /// `BertModel(config)` and the like: the named class with fresh weights (`Weights(initializedFor:)`).
    public static func initialize(_ className: String, config: ModelConfig) throws -> LoadedModel {
        guard let (modelType, task) = classes[className], config.modelType == modelType else {
            throw ModelError("\(className) cannot be built from a \(config.className)")
        }
        return try build(config, Weights(initializedFor: config), task: task, checkpoint: "")
    }

    /// The architecture for `config.json`'s model type and `task`, its tensors from `weights`.
    private static func build(_ config: ModelConfig, _ weights: Weights, task: ModelTask, checkpoint: String) throws -> LoadedModel {
        let model: any TransformerModel
        switch (config.modelType, task) {
        case ("distilbert", .base): model = try DistilBertModel(weights, DistilBertConfig(config), prefix: "distilbert.")
        case ("distilbert", .sequenceClassification):
            model = try DistilBertForSequenceClassification(weights, DistilBertConfig(config), numLabels: config.numLabels)
        case ("bert", .base): model = try BertModel(weights, BertConfig(config), prefix: "bert.")
        case ("bert", .sequenceClassification):
            model = try BertForSequenceClassification(weights, BertConfig(config), numLabels: config.numLabels)
        default:
            let architectures = config.architectures.isEmpty ? "" : " (\(config.architectures.joined(separator: ", ")))"
            throw ModelError("model type '\(config.modelType)'\(architectures) is not supported by sbpl; it has BertModel, BertForSequenceClassification, DistilBertModel and DistilBertForSequenceClassification")
        }
        return LoadedModel(className: "\(type(of: model))", config: config, checkpoint: checkpoint, model: model)
    }
}
