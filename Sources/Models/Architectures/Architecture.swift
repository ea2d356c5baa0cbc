import PythonText

/// Everything sbpl knows about one architecture (BERT, DistilBERT, ...), in one value: what `config.json` calls
/// it, its config class and defaults, its model classes and how to build them, the inputs it takes and the
/// tokenizer classes that go with it. The Auto classes, config printing, the `transformers` module and
/// `save_pretrained` read it from `Architectures.all`, so adding an architecture is its files plus one line there.
public struct Architecture: Sendable {
    /// `config.json`'s `model_type`, e.g. `distilbert`.
    public let modelType: String
    /// The package under `transformers.models`, e.g. `distilbert` (`transformers.models.distilbert`).
    public let package: String
    /// The config class, e.g. `DistilBertConfig`.
    public let configClass: String
    /// What the config class sets beyond `PretrainedConfig()`: the defaults both the typed config and
    /// `print(config)` / `config.<field>` read. Given as JSON text (as transformers' `to_dict()` prints it);
    /// ArchitectureTests checks that each architecture's parses.
    public let configDefaults: JSONObject
    /// transformers' `attribute_map`: names the config also answers to, and the field each stands for
    /// (DistilBERT's `hidden_size` is `dim`).
    public let attributeMap: [String: String]
    /// The model classes, one per task.
    public let modelClasses: [ModelClass]
    /// Whether the model takes `token_type_ids`.
    public let takesTokenTypes: Bool
    /// Whether its forward warns that an attention mask is missing when the input looks padded (transformers'
    /// `warn_if_padding_and_no_attention_mask`, which BERT, DistilBERT, RoBERTa and GPT-2 call).
    public let warnsOfUnmaskedPadding: Bool
    /// How a model built from a config draws its weights.
    public let initialization: Initialization

    public init(modelType: String, package: String, configClass: String, configDefaults: String,
                attributeMap: [String: String] = [:], modelClasses: [ModelClass], takesTokenTypes: Bool, warnsOfUnmaskedPadding: Bool = true,
                initialization: Initialization) {
        self.modelType = modelType
        self.package = package
        self.configClass = configClass
        self.configDefaults = (try? JSONValue(parsing: configDefaults))?.object ?? JSONObject()
        self.attributeMap = attributeMap
        self.modelClasses = modelClasses
        self.takesTokenTypes = takesTokenTypes
        self.warnsOfUnmaskedPadding = warnsOfUnmaskedPadding
        self.initialization = initialization
    }

    /// The model class for `task`, if the architecture has one.
    public func modelClass(for task: ModelTask) -> ModelClass? { modelClasses.first { $0.task == task } }

    /// Where transformers defines the model classes, under `transformers.models`: `bert.modeling_bert`.
    public var modelingModule: String { "\(package).modeling_\(package)" }
    /// Where it defines the config class: `bert.configuration_bert`.
    public var configurationModule: String { "\(package).configuration_\(package)" }
    /// Every class of the architecture with the module transformers defines it in, under `transformers.models`.
    public var classModules: [(className: String, module: String)] {
        modelClasses.map { ($0.name, modelingModule) } + [(configClass, configurationModule)]
    }
}

/// A transformers model class (`BertForSequenceClassification`, ...): the task it serves and how it is built.
public struct ModelClass: Sendable {
    /// The class name, e.g. `BertForSequenceClassification`.
    public let name: String
    public let task: ModelTask
    /// A tensor only a checkpoint trained for the task has (`classifier.weight`): without it the checkpoint is a
    /// base model, which sbpl does not fill with a random head as transformers does. nil for the base class.
    public let head: String?
    /// The submodule that `get_output_embeddings()` returns (a language model's decoder onto the vocabulary), nil
    /// when the class has none.
    public let outputEmbeddings: String?
    /// State-dict names `save_pretrained` leaves out of model.safetensors (the class's `_keys_to_ignore_on_save`:
    /// tables the model computes rather than learns).
    public let keysIgnoredOnSave: Set<String>
    /// Builds the model from its config, its tensors from `weights`.
    let build: @Sendable (Weights, ModelConfig) throws -> any TransformerModel

    public init(_ name: String, _ task: ModelTask, head: String? = nil, outputEmbeddings: String? = nil,
                keysIgnoredOnSave: Set<String> = [], build: @escaping @Sendable (Weights, ModelConfig) throws -> any TransformerModel) {
        self.name = name
        self.task = task
        self.head = head
        self.outputEmbeddings = outputEmbeddings
        self.keysIgnoredOnSave = keysIgnoredOnSave
        self.build = build
    }
}

/// What a model is for: the bare encoder (`AutoModel`) or with a task's head. The Auto classes are these cases.
public enum ModelTask: Sendable, CaseIterable {
    case base, sequenceClassification, maskedLM, tokenClassification, questionAnswering, causalLM, seq2seqLM

    /// The Auto class that loads a model for the task.
    public var autoClass: String {
        switch self {
        case .base: "AutoModel"
        case .sequenceClassification: "AutoModelForSequenceClassification"
        case .maskedLM: "AutoModelForMaskedLM"
        case .tokenClassification: "AutoModelForTokenClassification"
        case .questionAnswering: "AutoModelForQuestionAnswering"
        case .causalLM: "AutoModelForCausalLM"
        case .seq2seqLM: "AutoModelForSeq2SeqLM"
        }
    }

    /// The head in words, for errors: `sequence-classification head`.
    var headDescription: String {
        switch self {
        case .base: "encoder"
        case .sequenceClassification: "sequence-classification head"
        case .maskedLM: "masked-language-modeling head"
        case .tokenClassification: "token-classification head"
        case .questionAnswering: "question-answering head"
        case .causalLM: "causal-language-modeling head"
        case .seq2seqLM: "sequence-to-sequence head"
        }
    }
}

/// How a model built from a config (`BertModel(config)`) draws its weights, as transformers' `_init_weights`
/// does: each layer kind says what its parameters start as (`InitialValue`), and the architecture says where the
/// standard deviation of the normal draws comes from.
public struct Initialization: Sendable {
    /// The config field holding the standard deviation, e.g. `initializer_range`.
    let stdField: String

    /// BERT's and DistilBERT's `_init_weights`: normal(0, `initializer_range`).
    public static let normalWithInitializerRange = Initialization(stdField: "initializer_range")
    /// BART's: normal(0, `init_std`).
    public static let normalWithInitStd = Initialization(stdField: "init_std")
    /// T5's, approximated: normal(0, `initializer_factor`) (transformers scales each layer kind's draw by its size).
    public static let normalWithInitializerFactor = Initialization(stdField: "initializer_factor")
}
