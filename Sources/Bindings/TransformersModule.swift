import Language
import Foundation
import Hub
import Logging
import Models
import Pipelines
import PythonText
import TensorCore
import Tokenizers

/// `transformers`: `pipeline`, the Auto classes, and the model, tokenizer and config classes of every architecture in
/// the `Architectures` registry, each with `from_pretrained`.
enum TransformersModule {
    /// `set_seed(seed, deterministic=False)`: Python's and torch's generators seeded, as transformers does (it seeds
    /// numpy's too, which sbpl does not have yet).
    private static func setSeed(_ arguments: Arguments, _ interpreter: Interpreter) throws -> Value {
        let seed = try arguments.bind("set_seed", ["seed", "deterministic"], required: 1)[0]!
        _ = try seed.asInt("seed")
        for (module, path) in [("random", ["seed"]), ("torch", ["manual_seed"])] {
            var function = try interpreter.modules.module(module)
            for name in path { function = try interpreter.attribute(function, name) ?? .none }
            _ = try interpreter.call(function, Arguments([seed]))
        }
        return .none
    }

    static func make() -> PythonModule {
        var members: [String: Value] = [
            "pipeline": .object(BuiltinFunction("pipeline") { args in try makePipeline(args) }),
            "TextStreamer": .object(BuiltinFunction("TextStreamer") { try TextStreamerObject.make($0) }),
            "AdamW": OptimizerClass.transformersAdamW.constructor,
            "logging": .object(TransformersLogging.make()),
            "__version__": .str("4.46.3"),
            "set_seed": .object(BuiltinFunction("set_seed", calling: setSeed)),
            "AutoTokenizer": .object(PretrainedClass("AutoTokenizer", "auto.tokenization_auto", initKeywords: tokenizerKeywords) {
                .object(TokenizerObject(try PreTrainedTokenizer.load($0, initArguments: $1)))
            }),
            "AutoConfig": .object(PretrainedClass("AutoConfig", "auto.configuration_auto") {
                .object(ConfigObject(try ModelConfig.load($0), ofModel: false))
            }),
        ]
        for task in ModelTask.allCases {
            members[task.autoClass] = .object(PretrainedClass(task.autoClass, "auto.modeling_auto", initKeywords: modelConfigKeywords) {
                .object(ModelObject(try AutoModel.load($0, task: task, configOverrides: configFields($1)).announced()))
            })
        }
        for architecture in Architectures.all {
            let configClass = architecture.configClass
            members[configClass] = .object(PretrainedClass(configClass, architecture.configurationModule, construct: {
                .object(try ConfigObject(architecture.modelType, configClass, $0))
            }) {
                .object(ConfigObject(try ModelConfig.load($0), ofModel: false))
            })
            for name in architecture.modelClasses.map(\.name) {
                members[name] = .object(PretrainedClass(name, architecture.modelingModule, construct: { try initializeModel(name, $0) },
                                                         initKeywords: modelConfigKeywords) {
                    .object(ModelObject(try AutoModel.load($0, as: name, configOverrides: configFields($1)).announced()))
                })
            }
        }
        for family in TokenizerFamily.all {
            for (name, module) in family.classModules {
                let construct = name.hasSuffix("Fast") ? { try wrapTokenizer(name, family, $0) } : nil
                members[name] = .object(PretrainedClass(name, module, construct: construct, initKeywords: tokenizerKeywords) {
                    .object(TokenizerObject(try PreTrainedTokenizer.load($0, as: name, initArguments: $1)))
                })
            }
        }
        members["PreTrainedTokenizerFast"] = .object(PretrainedClass("PreTrainedTokenizerFast", "tokenization_utils_fast", construct: {
            try wrapTokenizer("PreTrainedTokenizerFast", .base, $0)
        }) { _ in
            throw PyError(.notImplementedError, "sbpl loads a checkpoint's tokenizer with AutoTokenizer.from_pretrained or its own class, not PreTrainedTokenizerFast.from_pretrained, yet")
        })
        members.merge(DataCollators.types, uniquingKeysWith: { first, _ in first })
        members["default_data_collator"] = DefaultCollator.function
        members["DefaultDataCollator"] = DefaultCollator.type
        members["BatchEncoding"] = EncodingObject.type
        members.merge(TorchSchedulers.functions, uniquingKeysWith: { first, _ in first })
        return PythonModule("transformers", members)
    }

    /// The config fields a model's `from_pretrained` takes as keywords (`output_hidden_states=True`,
    /// `hidden_dropout_prob=0.2`), set over config.json's.
    static let modelConfigKeywords = ["output_hidden_states", "output_attentions", "num_labels", "id2label", "label2id"] + dropoutKeywords

    /// The dropout probabilities each architecture's config names: BERT's and RoBERTa's, DistilBERT's, GPT-2's, T5's,
    /// BART's and Marian's.
    private static let dropoutKeywords = [
        "hidden_dropout_prob", "attention_probs_dropout_prob", "classifier_dropout",
        "dropout", "attention_dropout", "seq_classif_dropout", "qa_dropout",
        "embd_pdrop", "attn_pdrop", "resid_pdrop",
        "dropout_rate",
        "activation_dropout", "encoder_layerdrop", "decoder_layerdrop",
    ]

    /// `from_pretrained`'s config keywords as config fields.
    static func configFields(_ arguments: [String: Any]) -> JSONObject {
        JSONObject(arguments.sorted { $0.key < $1.key }.compactMap { key, value in
            if let flag = value as? Bool { return (key, JSONValue.bool(flag)) }
            if let json = value as? JSONValue { return (key, json) }
            if let number = value as? Double { return (key, JSONValue.double(number)) }
            return (value as? Int).map { (key, JSONValue.int($0)) }
        })
    }

    /// `id2label={0: "O", ...}` / `label2id={"O": 0, ...}` as config.json writes them (ids as strings).
    static func labelMap(_ dict: PyDict, _ keyword: String) throws -> JSONValue {
        .object(JSONObject(try dict.items.map { key, value in
            keyword == "id2label" ? (String(try key.asInt("id2label key")), .string(try value.asString("id2label value")))
                                  : (try key.asString("label2id key"), .int(try value.asInt("label2id value")))
        }))
    }

    /// The tokenizer `__init__` arguments `from_pretrained` takes (overriding tokenizer_config.json).
    private static let tokenizerKeywords = ["add_prefix_space", "do_lower_case", "model_max_length", "clean_up_tokenization_spaces",
                                            "legacy"]

    /// Every architecture's classes and where transformers defines them, under `transformers.models`.
    static let classModules: [String: String] = Dictionary(
        Architectures.all.flatMap(\.classModules) + TokenizerFamily.all.flatMap(\.classModules), uniquingKeysWith: { first, _ in first })

    /// `BertTokenizerFast(tokenizer_object=tokenizer, unk_token="[UNK]", ...)`: a huggingface/tokenizers `Tokenizer`
    /// (built and trained in the program) as a transformers tokenizer of that class.
    private static func wrapTokenizer(_ name: String, _ family: TokenizerFamily, _ arguments: Arguments) throws -> Value {
        let roles = PreTrainedTokenizer.SpecialTokens.Role.allCases
        let a = try Arguments(keywords: arguments.keywords).bind(name, ["tokenizer_object"] + roles.map(\.rawValue))
        guard arguments.positional.isEmpty, case .object(let object as BackendTokenizerObject)? = a[0] else {
            throw PyError(.notImplementedError, "sbpl builds \(name) with \(name).from_pretrained(...) or \(name)(tokenizer_object=tokenizer), a tokenizers.Tokenizer; not from vocabulary files yet")
        }
        var special = [PreTrainedTokenizer.SpecialTokens.Role: String]()
        for (role, value) in zip(roles, a.dropFirst()) {
            if let value = value.given { special[role] = try value.asString(role.rawValue) }
        }
        return .object(TokenizerObject(try PreTrainedTokenizer.wrapping(object.backend, as: family, specialTokens: special)))
    }

    /// `BertModel(config)`: a model with freshly drawn weights, as transformers builds one for training.
    private static func initializeModel(_ name: String, _ arguments: Arguments) throws -> Value {
        let a = try arguments.bind(name, ["config"], required: 1)
        guard case .object(let config as ConfigObject) = a[0]! else {
            throw PyError.type("\(name)(config): config must be a config (BertConfig(), AutoConfig.from_pretrained(...)), not \(a[0]!.typeName)")
        }
        return .object(ModelObject(try AutoModel.initialize(name, config: config.config)))
    }

    /// Finds a checkpoint by name (a folder, or the hub cache), honouring `revision=`; Ctrl-C stops a download.
    static func locate(_ name: String, revision: String?) throws -> Checkpoint {
        try Checkpoint.locate(name, revision: revision ?? "main", fetching: .fromEnvironment(isInterrupted: Interrupt.consume))
    }

    /// transformers' `pipelines` logger (its "No model was supplied" warning).
    private static let pipelinesLogger = Logger(label: "transformers.pipelines")

    /// `pipeline()`'s own parameters (`torch_dtype` the type a model it loads is converted to, as `from_pretrained`'s);
    /// `device` and `framework` are accepted and have no effect (sbpl runs on the CPU).
    private static let pipelineParameters = ["task", "model", "tokenizer", "revision", "torch_dtype"], ignoredParameters = ["device", "framework"]

    private static func makePipeline(_ args: Arguments) throws -> Value {
        let known = Arguments(args.positional, keywords: args.keywords.filter { pipelineParameters.contains($0.name) })
        let a = try known.bind("pipeline", pipelineParameters)
        var taskName = try a[0]?.asString("task") ?? "text-classification"
        let binding = try PipelineRegistry.binding(for: taskName)
        let taskKeywords = args.keywords.filter { !pipelineParameters.contains($0.name) && !ignoredParameters.contains($0.name) }
        if let unknown = taskKeywords.first(where: { !binding.parameters.contains($0.name) }) {
            throw PyError.type("pipeline() got an unexpected keyword argument '\(unknown.name)'")
        }
        let task = binding.info
        let revision = try a[3].map { try $0.asString("revision") }
        let modelTask = task.modelTask
        var model: LoadedModel
        var checkpoint: Checkpoint?
        var checkpointTokenizer: PreTrainedTokenizer?
        let tokenizerGiven: Value? = a[2].flatMap { if case .none = $0 { nil } else { $0 } }
        switch a[1] {
        case .object(let m as ModelObject)?: model = m.model
        case .str(let name)?:
            checkpoint = try locate(name, revision: revision)
            // a checkpoint whose tokenizer sbpl cannot read (Marian's .spm) says so before its model is tried
            if tokenizerGiven == nil { checkpointTokenizer = try PreTrainedTokenizer.load(checkpoint!) }
            model = try AutoModel.load(checkpoint!, task: modelTask).announced()
        case nil, .none?:
            let (name, pinned) = try task.defaultModel(forTask: taskName)
            pipelinesLogger.warning("No model was supplied, defaulted to \(name) and revision \(pinned) (https://huggingface.co/\(name)).\nUsing a pipeline without specifying a model name and revision in production is not recommended.")
            checkpoint = try revision.map { try locate(name, revision: $0) } ?? task.locateDefault(forTask: taskName, isInterrupted: Interrupt.consume)
            model = try AutoModel.load(checkpoint!, task: modelTask).announced()
        case let other?: throw PyError.type("model must be a checkpoint name or a model, not \(other.typeName)")
        }
        if checkpoint != nil, let dtype = try ModelPrecision.requested(a[4], config: model.config) { model = try model.converted(to: dtype) }
        if taskName == "translation", let key = model.config.field("task_specific_params")?.object?.keys.first(where: { $0.hasPrefix("translation") }) {
            taskName = key
            pipelinesLogger.warning("UserWarning: \"translation\" task was used, instead of \"translation_XX_to_YY\", defaulting to \"\(key)\"")
        }
        let tokenizer: PreTrainedTokenizer
        switch a[2] {
        case .object(let t as TokenizerObject)?: tokenizer = t.tokenizer
        case .str(let name)?: tokenizer = try PreTrainedTokenizer.load(try locate(name, revision: revision))
        case nil, .none?: tokenizer = try checkpointTokenizer ?? PreTrainedTokenizer.load(try checkpoint ?? locate(model.checkpoint, revision: revision))
        case let other?: throw PyError.type("tokenizer must be a checkpoint name or a tokenizer, not \(other.typeName)")
        }
        return .object(try PipelineObject(binding, task: taskName, tokenizer: tokenizer, model: model, defaults: taskKeywords))
    }
}

/// `AutoTokenizer`, `BertModel`, ...: classes with `from_pretrained(checkpoint, revision=None)`.
final class PretrainedClass: CallableObject {
    let name: String
    /// Where transformers defines it, under `transformers.models`, e.g. `bert.modeling_bert`.
    let module: String
    /// Loads the class from a checkpoint, given the `from_pretrained` keywords named in `initKeywords`.
    let load: (Checkpoint, [String: Any]) throws -> Value
    /// `Class(...)`: `BertConfig(**fields)`, `BertModel(config)`; nil for the Auto classes and tokenizers.
    let construct: ((Arguments) throws -> Value)?
    /// The `from_pretrained` keywords passed on to the class's `__init__` (a tokenizer's `add_prefix_space`).
    let initKeywords: [String]

    init(_ name: String, _ module: String, construct: ((Arguments) throws -> Value)? = nil, initKeywords: [String] = [],
         load: @escaping (Checkpoint, [String: Any]) throws -> Value) {
        self.name = name
        self.module = module
        self.construct = construct
        self.initKeywords = initKeywords
        self.load = load
    }

    convenience init(_ name: String, _ module: String, construct: ((Arguments) throws -> Value)? = nil,
                     load: @escaping (Checkpoint) throws -> Value) {
        self.init(name, module, construct: construct) { checkpoint, _ in try load(checkpoint) }
    }

    var typeName: String { "type" }
    var repr: String { "<class 'transformers.models.\(module).\(name)'>" }

    /// `help(BertModel)`.
    var help: String? {
        let load = "\(name).from_pretrained(name_or_path, revision=None) loads a folder or a hub checkpoint"
        if name.hasPrefix("Auto") {
            let modelTypes = Architectures.all.map(\.modelType).joined(separator: ", ")
            return "\(name): the class for the model type that the checkpoint's config.json names (sbpl has \(modelTypes)). \(load)."
        }
        return "\(name) (transformers.models.\(module)). \(load)" + (construct == nil ? "." : name.hasSuffix("Config")
            ? "; \(name)(**fields) builds one from its defaults." : "; \(name)(config) builds one with fresh weights.")
    }
    var attributeNames: [String] { ["from_pretrained", "__name__"] }

    func attribute(_ attribute: String, _ interpreter: Interpreter) throws -> Value? {
        if attribute == "__name__" { return .str(name) }
        guard attribute == "from_pretrained" else { return nil }
        return builtin("from_pretrained") { [self, interpreter] args in
            let known = Arguments(args.positional, keywords: args.keywords.filter { $0.name != "local_files_only" && $0.name != "torch_dtype" })
            let a = try known.bind("from_pretrained", ["pretrained_model_name_or_path", "revision"] + initKeywords, required: 1)
            let checkpoint = try TransformersModule.locate(try a[0]!.asPath(), revision: try a[1].map { try $0.asString("revision") })
            var initArguments = [String: Any]()
            for (keyword, value) in zip(initKeywords, a.dropFirst(2)) {
                switch value {
                case .bool(let b)?: initArguments[keyword] = b
                case .int(let i)?: initArguments[keyword] = i
                case .float(let f)?: initArguments[keyword] = f
                case .str(let s)?: initArguments[keyword] = s
                case .dict(let d)? where keyword == "id2label" || keyword == "label2id":
                    initArguments[keyword] = try TransformersModule.labelMap(d, keyword)
                case nil, .none?: continue
                case let other?: throw PyError.type("\(keyword) must be a bool, a number or a string, not \(other.typeName)")
                }
            }
            let torchDType = args.keywords.first { $0.name == "torch_dtype" }?.value
            // a torch dtype asked for (or its name; not "auto") is the model's config's torch_dtype, as from_pretrained
            // sets it; checked before the checkpoint loads
            switch (torchDType, try ModelPrecision.requested(torchDType, config: nil)) {
            case (.str(let name)?, _?): initArguments["torch_dtype"] = JSONValue.string(name)
            case (_, let dtype?): initArguments["torch_dtype"] = JSONValue.string(dtype.name)
            default: break
            }
            let loaded = try load(checkpoint, initArguments)
            if case .object(let model as ModelObject) = loaded,
               let dtype = try ModelPrecision.requested(torchDType, config: model.model.config) {
                try model.convert(to: dtype, interpreter)
            }
            return loaded
        }
    }

    func call(_ arguments: Arguments, _ interpreter: Interpreter) throws -> Value? {
        if let construct { return try construct(arguments) }
        if name.hasPrefix("Auto") {
            throw PyError(.osError, "\(name) is designed to be instantiated using the `\(name).from_pretrained(pretrained_model_name_or_path)` method.")
        }
        throw PyError(.notImplementedError, "sbpl builds \(name) only with \(name).from_pretrained(...): it runs trained checkpoints and cannot create one from scratch")
    }
}
