import Foundation
import Language
import Logging
import Models
import PythonText
import TensorCore

/// A model in the value store: `model(**inputs)`, `model.config`, its submodules (`model.classifier`).
final class ModelObject: ModuleValue, MemberTableObject, CallableObject {
    /// The model; `to(dtype)` replaces it with the model converted.
    private(set) var model: LoadedModel
    /// "" for a model; a view of the base model in a task model (`model.distilbert`) has its path there.
    let path: String

    init(_ model: LoadedModel, path: String = "") { (self.model, self.path) = (model, path) }

    var module: any Module { model.model }

    func convert(to dtype: DType, _ interpreter: Interpreter) throws {
        try ModelPrecision.checkWhole(model, path: path, to: dtype)
        model = try model.converted(to: dtype)
    }
    var owner: LoadedModel? { model }
    var training: Bool { model.mode.isTraining(at: path) }
    func setTraining(_ mode: Bool) { setMode(of: model, training: mode) }

    var typeName: String { model.className }
    var repr: String { model.moduleTree.description }
    var qualifiedTypeName: String? { "transformers.models.\(model.architecture.package).modeling_\(model.architecture.package).\(typeName)" }

    static let members = MemberTable<ModelObject>("PreTrainedModel", [
        .attribute("config", "the model's configuration (config.json with the class's defaults)") { .object(ConfigObject($0.model.config, ofModel: true)) },
        .attribute("generation_config", "the settings generate() starts from (None for a model that does not generate)") { m in
            m.model.generating == nil ? .none : .object(GenerationConfigObject(m.model.generationConfig))
        },
        .attribute("name_or_path", "the checkpoint it was loaded from") { .str($0.model.checkpoint) },
        .method("num_parameters", "", "how many numbers its parameters hold (tied weights counted once, buffers not)") { m, _ in
            .int(m.model.moduleTree.namedParameters.reduce(0) { $0 + $1.tensor.count })
        },
        .method("get_input_embeddings", "", "the word embeddings (an Embedding module)") { m, _ in
            m.model.inputEmbeddings.map { value(of: .module($0.module), in: m.model, at: m.descendant($0.path)) } ?? .none
        },
        .method("get_output_embeddings", "", "a language model's projection onto the vocabulary, else None") { m, _ in
            m.model.outputEmbeddings.map { value(of: .module($0.module), in: m.model, at: m.descendant($0.path)) } ?? .none
        },
        .method("save_pretrained", "save_directory", "writes config.json and model.safetensors into save_directory") { m, call in
            _ = try m.model.save(to: URL(fileURLWithPath: try call[0]!.asString("save_directory")))
            return .none
        },
        .attribute("device", "where the model's parameters live: the CPU") { _ in DeviceObject.cpu },
        .attribute("dtype", "the parameters' type") { .dtype($0.model.dtype) },
        .method("generate", "*args", "generate(input_ids, attention_mask=None, max_new_tokens=None, do_sample=False, streamer=None, ...): the prompts and what a language model continues them with") { m, call in
            try generate(m.model, call)
        },
    ] + moduleMembers)

    /// The table's members, then the model's children (`model.classifier`, `model.bert`).
    func attribute(_ name: String, _ interpreter: Interpreter) throws -> Value? {
        try Self.members.value(of: name, for: self, interpreter) ?? child(name)
    }

    var attributeNames: [String] { Self.members.names + childNames }

    func call(_ arguments: Arguments, _ interpreter: Interpreter) throws -> Value? {
        var fields = [String: Value]()
        for value in arguments.positional {
            switch value {
            case .object(let encoding as EncodingObject):
                for (key, value) in encoding.mappingItems { fields[key] = value }
            case .tensor where fields["input_ids"] == nil: fields["input_ids"] = value
            default: throw PyError.type("\(typeName).forward() takes input_ids (a tensor) or a BatchEncoding, not \(value.typeName)")
            }
        }
        for (name, value) in arguments.keywords {
            guard ["input_ids", "attention_mask", "token_type_ids", "labels", "decoder_input_ids", "start_positions", "end_positions", "return_dict",
                   "output_hidden_states", "output_attentions", "use_cache"].contains(name) else {
                throw PyError.type("\(typeName).forward() got an unexpected keyword argument '\(name)'")
            }
            fields[name] = value
        }
        func tensor(_ key: String) throws -> Tensor? {
            guard let v = fields[key] else { return nil }
            if case .tensor(let t) = v { return t }
            if case .list = v {  // the short form `model(tokenizer("..."))`: lists, one sequence or a batch
                let t = try TorchModule.tensor(from: v, dtype: .int64)
                return t.rank == 1 ? try t.unsqueezed(0) : t
            }
            throw PyError.type("\(key) must be a tensor, not \(v.typeName)")
        }
        guard let ids = try tensor("input_ids") else { throw PyError.value("You have to specify either input_ids or inputs_embeds") }
        if ids.rank == 1 {  // the chapter's "This line will fail": models take batches
            throw PyError(.indexError, "too many indices for tensor of dimension 1 (input_ids must be a batch, [batch, seq]: torch.tensor([ids]), not torch.tensor(ids))")
        }
        let takesTokenTypes = model.architecture.takesTokenTypes
        if fields["token_type_ids"] != nil && !takesTokenTypes {
            throw PyError.type("\(typeName).forward() got an unexpected keyword argument 'token_type_ids'")
        }
        var inputs = ModelInputs(inputIDs: ids, attentionMask: try tensor("attention_mask"),
                                 tokenTypeIDs: takesTokenTypes ? try tensor("token_type_ids") : nil)
        (inputs.labels, inputs.startPositions, inputs.endPositions) = (try tensor("labels"), try tensor("start_positions"), try tensor("end_positions"))
        inputs.decoderInputIDs = try tensor("decoder_input_ids")
        if model.architecture.warnsOfUnmaskedPadding && inputs.attentionMask == nil && inputs.hasPaddingAtEdges(padTokenID: model.config.field("pad_token_id")?.int) {
            interpreter.warnOnce("We strongly recommend passing in an `attention_mask` since your input_ids may be padded. See https://huggingface.co/docs/transformers/troubleshooting#incorrect-output-when-padding-tokens-arent-masked.")
        }
        // each defaults to the config's field (`from_pretrained(..., output_hidden_states=True)`), as in transformers
        func asked(_ name: String) throws -> Bool {
            if let value = fields[name], value.typeName != "NoneType" { return try value.isTruthy() }
            return model.config.field(name) == .bool(true)
        }
        (inputs.outputHiddenStates, inputs.outputAttentions) = (try asked("output_hidden_states"), try asked("output_attentions"))
        inputs.useCache = try asked("use_cache")
        if inputs.outputAttentions, let warning = model.eagerAttentionWarning { interpreter.warnOnce(warning) }
        let output = try model(inputs, checkInterrupt: Interrupt.check)
        // an architecture whose pass records no layers (T5's does not yet)
        for (asked, field) in [(inputs.outputHiddenStates, "hidden_states"), (inputs.outputAttentions, "attentions")]
        where asked && !output.fields.contains(where: { $0.name.hasSuffix(field) && $0.value != nil }) {
            throw PyError(.notImplementedError, "sbpl does not support output_\(field)=True on \(typeName) yet")
        }
        // return_dict=False: the set fields as a tuple, as transformers' `to_tuple()`
        if let returnDict = fields["return_dict"], returnDict.typeName != "NoneType", try !returnDict.isTruthy() {
            return .tuple(output.fields.compactMap { $0.value.map(\.value) })
        }
        return .object(OutputObject(output))
    }
}

/// `model.config`: config.json's fields as attributes, `id2label` with integer keys.
final class ConfigObject: MemberTableObject {
    let config: ModelConfig
    /// Whether a loaded model owns it (transformers then shows `_attn_implementation_autoset`).
    let ofModel: Bool

    init(_ config: ModelConfig, ofModel: Bool) {
        self.config = config
        self.ofModel = ofModel
    }

    /// `BertConfig(hidden_size=..., ...)`: the class's defaults with the keywords given.
    convenience init(_ modelType: String, _ className: String, _ arguments: Arguments) throws {
        guard arguments.positional.isEmpty else { throw PyError.type("\(className)() takes keyword arguments only") }
        var json: JSONObject = ["model_type": .string(modelType)]
        for (name, value) in arguments.keywords { json[name] = try Self.json(value) }
        self.init(try ModelConfig(json: json, path: "\(className)()"), ofModel: false)
    }

    var typeName: String { config.className }
    /// PretrainedConfig defines `__eq__` and no `__hash__`: unhashable.
    var isHashable: Bool { false }
    var repr: String { config.pythonRepr(withModel: ofModel) }
    var qualifiedTypeName: String? {
        config.architecture.map { "transformers.models.\($0.package).configuration_\($0.package).\(typeName)" }
    }

    static let members = MemberTable<ConfigObject>("PretrainedConfig", [
        .attribute("id2label", "the label of each class index") { c in
            .dict(try PyDict(c.config.id2label.sorted { $0.key < $1.key }.map { (.int($0.key), .str($0.value)) }))
        },
        .attribute("label2id", "the class index of each label") { c in
            .dict(try PyDict(c.config.label2id.map { (.str($0.key), .int($0.value)) }))
        },
        .attribute("num_labels", "how many classes a classification head has") { .int($0.config.numLabels) },
        .attribute("name_or_path", "the checkpoint it was loaded from") { .str($0.config.nameOrPath) },
        .attribute("_name_or_path", "the checkpoint it was loaded from") { .str($0.config.nameOrPath) },
        .method("to_dict", "", "every field as a dict, as config.json holds them with the class's defaults") { c, _ in
            .dict(try PyDict(c.config.fieldNames.compactMap { name in try c.config.field(name).map { (.str(name), try Value(json: $0)) } }))
        },
    ])

    /// The table's members, then config.json's fields with the class's defaults (`config.hidden_size`).
    var attributeNames: [String] { Self.members.names + config.fieldNames }

    func attribute(_ name: String, _ interpreter: Interpreter) throws -> Value? {
        if name == "torch_dtype", let dtype = config.field(name)?.string.flatMap(DType.init(name:)) {
            return .dtype(dtype)  // transformers turns config.json's name into the torch dtype
        }
        return try Self.members.value(of: name, for: self, interpreter) ?? config.field(name).map(Value.init(json:))
    }

    /// A Python value as a JSON value, as `json.dumps` would write it (dict keys become strings).
    static func json(_ value: Value) throws -> JSONValue {
        switch value {
        case .none: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .float(let x): return .double(x)
        case .str(let s): return .string(s)
        case .list(let l): return .array(try l.items.map(json))
        case .tuple(let t): return .array(try t.map(json))
        case .dict(let d): return .object(JSONObject(try d.items.map { ($0.0.str, try json($0.1)) }))
        default: throw PyError.type("Object of type \(value.typeName) is not JSON serializable")
        }
    }

}

extension LoadedModel {
    private static let loadingLogger = Logger(label: "transformers.modeling_utils")

    /// This model, after transformers' warning on the tensors its checkpoint lacked and that were drawn fresh (a new
    /// head on a base model), as `from_pretrained` logs it.
    func announced() -> LoadedModel {
        if !newlyInitialized.isEmpty {
            let names = "[" + newlyInitialized.map { "'\($0)'" }.joined(separator: ", ") + "]"
            Self.loadingLogger.warning("Some weights of \(modelClass.name) were not initialized from the model checkpoint at \(checkpoint) and are newly initialized: \(names)\nYou should probably TRAIN this model on a down-stream task to be able to use it for predictions and inference.")
        }
        return self
    }
}
