import Foundation
import Hub
import PythonText
import Safetensors
import TensorCore

/// A transformer with a forward pass: what the Auto classes return.
public protocol TransformerModel: Module {
    /// Runs the model; `checkInterrupt` is called between layers and may throw to stop the pass.
    func callAsFunction(_ inputs: ModelInputs, checkInterrupt: () throws -> Void) throws -> ModelOutput
}

/// A model loaded from a checkpoint, with the transformers class it stands for and its config.
public struct LoadedModel: Sendable {
    /// The transformers class, e.g. `DistilBertForSequenceClassification`.
    public let modelClass: ModelClass
    /// Its architecture, from the registry.
    public let architecture: Architecture
    public let config: ModelConfig
    public let checkpoint: String
    public let model: any TransformerModel
    /// How `generate` decodes by default: the checkpoint's generation_config.json, else its config's fields.
    public let generationConfig: GenerationConfig
    /// The tensors the checkpoint lacked, drawn fresh (a new head on a base model), sorted as transformers lists them.
    public internal(set) var newlyInitialized: [String] = []
    /// Which modules are in training mode (`model.train()`, `model.eval()`): there its dropout layers drop.
    public let mode: TrainingMode

    /// The model as `generate` drives it, if it generates: a decoder-only (`GPT2LMHeadModel`) or an
    /// encoder-decoder (`BartForConditionalGeneration`).
    public var generating: Generator.Model? {
        if let causal = model as? any CausalLanguageModel { return .causal(causal) }
        if let seq2seq = model as? any Seq2SeqLanguageModel { return .seq2seq(seq2seq) }
        return nil
    }

    /// The transformers class name, e.g. `DistilBertForSequenceClassification`.
    public var className: String { modelClass.name }

    /// `model(**inputs)`; with `outputHiddenStates` or `outputAttentions` asked, the output's `hidden_states` and
    /// `attentions` hold each layer's (left None by an architecture that does not record them).
    public func callAsFunction(_ inputs: ModelInputs, checkInterrupt: () throws -> Void = {}) throws -> ModelOutput {
        guard inputs.outputHiddenStates || inputs.outputAttentions else { return try model(inputs, checkInterrupt: checkInterrupt) }
        var inputs = inputs
        let recorded = LayerOutputs(hiddenStates: inputs.outputHiddenStates, attentions: inputs.outputAttentions)
        inputs.layerOutputs = recorded
        return recorded.filling(try model(inputs, checkInterrupt: checkInterrupt))
    }

    /// `print(model)`: the module tree, as torch prints it.
    public var moduleTree: ModuleTree { model.moduleTree }

    /// `model.save_pretrained(directory)`: `config.json` as transformers writes it for this class (its `torch_dtype`
    /// the parameters' type), and the
    /// state dict (tied weights once, without the class's `keysIgnoredOnSave`) as `model.safetensors`. Returns the
    /// files written.
    public func save(to directory: URL) throws -> [URL] {
        if isDynamicallyQuantized {
            throw ModelError("sbpl cannot save a dynamically quantized model (its int8 layers have no safetensors form); save the float32 model it was made from")
        }
        do { try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) } catch {
            throw ModelError("cannot create \(directory.path): \(error.localizedDescription)")
        }
        let configURL = directory.appendingPathComponent("config.json")
        let weightsURL = directory.appendingPathComponent("model.safetensors")
        let json = config.diffJSON(overriding: ["architectures": [.string(className)], "torch_dtype": .string(dtype.name)])
        do { try Data(json.utf8).write(to: configURL) } catch {
            throw ModelError("cannot write \(configURL.path): \(error.localizedDescription)")
        }
        let saved = moduleTree.savedStateDict.filter { !modelClass.keysIgnoredOnSave.contains($0.name) }
        let state = Dictionary(saved.map { ($0.name, $0.tensor) }, uniquingKeysWith: { first, _ in first })
        try SafetensorsWriter.write(state, metadata: ["format": "pt"], to: weightsURL.path)
        return [configURL, weightsURL]
    }
}

/// `AutoModel` / `AutoModelForSequenceClassification`: choose the class from `config.json`'s `model_type` in the
/// `Architectures` registry.
public enum AutoModel {
    /// `BertModel.from_pretrained(checkpoint)` and the like: the named class, for a checkpoint of its model type;
    /// `configOverrides` set config fields over config.json's.
    public static func load(_ checkpoint: Checkpoint, as className: String, configOverrides: JSONObject = JSONObject()) throws -> LoadedModel {
        let (architecture, modelClass) = try named(className)
        let config = try ModelConfig.load(checkpoint, overriding: configOverrides)
        guard config.modelType == architecture.modelType else {
            throw ModelError("\(className) cannot load '\(checkpoint.name)': it is a '\(config.modelType)' checkpoint, not a '\(architecture.modelType)' one; load it with \(modelClass.task.autoClass)")
        }
        return try load(checkpoint, config, architecture, modelClass)
    }

    /// Loads `checkpoint` for `task`, choosing the architecture from its config; `configOverrides` set config fields
    /// over config.json's.
    public static func load(_ checkpoint: Checkpoint, task: ModelTask = .base, configOverrides: JSONObject = JSONObject()) throws -> LoadedModel {
        let config = try ModelConfig.load(checkpoint, overriding: configOverrides)
        guard let architecture = config.architecture else {
            let architectures = config.architectures.isEmpty ? "" : " (\(config.architectures.joined(separator: ", ")))"
            throw ModelError("model type '\(config.modelType)'\(architectures) is not supported by sbpl; it has \(Architectures.modelTypeList)")
        }
        guard let modelClass = architecture.modelClass(for: task) else {
            let classes = architecture.modelClasses.map(\.name).joined(separator: ", ")
            throw ModelError("sbpl has no \(task.autoClass) class for '\(config.modelType)' checkpoints yet (it has \(classes))")
        }
        return try load(checkpoint, config, architecture, modelClass)
    }

    private static func load(_ checkpoint: Checkpoint, _ config: ModelConfig, _ architecture: Architecture, _ modelClass: ModelClass) throws -> LoadedModel {
        let weights = try Weights(checkpoint)
        // a checkpoint saved from another class (a base model for a head, a token classifier for a sequence one) gets
        // the modules it lacks drawn as transformers draws them (and `newlyInitialized` says which tensors)
        let headMissing = modelClass.head.map { !weights.contains($0) } ?? false
        if headMissing || !config.architectures.contains(modelClass.name) { weights.initializingMissing(for: config, architecture.initialization) }
        return try build(config, weights, architecture, modelClass, checkpoint: checkpoint)
    }

    /// `BertModel(config)` and the like: the named class with fresh weights (`Weights(initializedFor:)`).
    public static func initialize(_ className: String, config: ModelConfig) throws -> LoadedModel {
        let (architecture, modelClass) = try named(className)
        guard config.modelType == architecture.modelType else {
            throw ModelError("\(className) cannot be built from a \(config.className)")
        }
        return try build(config, Weights(initializedFor: config, architecture.initialization), architecture, modelClass, checkpoint: nil)
    }

    /// The registry's class `className`, or an error listing the classes sbpl has.
    private static func named(_ className: String) throws -> (Architecture, ModelClass) {
        guard let found = Architectures.modelClass(named: className) else {
            throw ModelError("sbpl has no model class \(className); it has \(Architectures.modelClassList)")
        }
        return found
    }

    private static func build(_ config: ModelConfig, _ weights: Weights, _ architecture: Architecture, _ modelClass: ModelClass,
                              checkpoint: Checkpoint?) throws -> LoadedModel {
        let model = try modelClass.build(weights, config)
        var loaded = LoadedModel(modelClass: modelClass, architecture: architecture, config: config, checkpoint: checkpoint?.name ?? "",
                                 model: model, generationConfig: try GenerationConfig.load(checkpoint, modelConfig: config),
                                 mode: TrainingMode(model, training: checkpoint == nil))
        loaded.newlyInitialized = weights.newlyInitialized.sorted()
        return loaded
    }
}
