import Foundation
import Hub
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
}

/// What a model is for: the bare encoder (`AutoModel`) or with a classification head.
public enum ModelTask: Sendable {
    case base, sequenceClassification
}

/// `AutoModel` / `AutoModelForSequenceClassification`: choose the class from `config.json`'s `model_type`.
public enum AutoModel {
    /// The model types sbpl has.
    public static let supportedTypes = ["bert", "distilbert"]

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
        return try load(checkpoint, task: task)
    }

    /// Loads `checkpoint` for `task`, choosing the architecture from its config.
    public static func load(_ checkpoint: Checkpoint, task: ModelTask = .base) throws -> LoadedModel {
        let config = try ModelConfig.load(checkpoint)
        let weights = try Weights(checkpoint)
        if task == .sequenceClassification && !weights.contains("classifier.weight") {
            throw ModelError("checkpoint '\(checkpoint.name)' has no sequence-classification head (classifier.weight): it is a base model (\(config.architectures.joined(separator: ", "))); load it with AutoModel, or use a checkpoint fine-tuned for classification")
        }
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
        return LoadedModel(className: "\(type(of: model))", config: config, checkpoint: checkpoint.name, model: model)
    }
}
