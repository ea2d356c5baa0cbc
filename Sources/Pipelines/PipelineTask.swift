import Hub
import Models
import TensorCore
import Tokenizers

/// What transformers' `SUPPORTED_TASKS` says of a task: its name and aliases, its pipeline class, the model head
/// it needs, and the checkpoint, pinned to a revision, used when no model is given (translation's depends on the
/// language pair its name gives: `translation_en_to_fr`).
public struct TaskInfo: Sendable {
    public let name: String
    public let aliases: [String]
    /// The pipeline class, e.g. `TextClassificationPipeline`.
    public let className: String
    public let modelTask: ModelTask
    /// The default checkpoint and revision, by language pair (`en_to_fr`) for a task that has pairs.
    private let defaults: [String: (checkpoint: String, revision: String)]
    /// Whether the task is named with a language pair (`NAME_XX_to_YY`).
    private let hasLanguagePairs: Bool
    /// Whether transformers' class is a `ChunkPipeline` (token classification, question answering, zero-shot), which
    /// runs even one input through a torch DataLoader.
    public let isChunkPipeline: Bool

    public init(name: String, aliases: [String], className: String, modelTask: ModelTask, defaultCheckpoint: String, defaultRevision: String,
                isChunkPipeline: Bool = false) {
        (self.name, self.aliases, self.className, self.modelTask) = (name, aliases, className, modelTask)
        (defaults, hasLanguagePairs, self.isChunkPipeline) = (["": (defaultCheckpoint, defaultRevision)], false, isChunkPipeline)
    }

    /// A task named with language pairs, with the default checkpoint and revision of some pairs.
    public init(name: String, aliases: [String], className: String, modelTask: ModelTask,
                languagePairDefaults: [(pair: String, checkpoint: String, revision: String)]) {
        (self.name, self.aliases, self.className, self.modelTask) = (name, aliases, className, modelTask)
        defaults = Dictionary(uniqueKeysWithValues: languagePairDefaults.map { ($0.pair, ($0.checkpoint, $0.revision)) })
        (hasLanguagePairs, isChunkPipeline) = (true, false)
    }

    /// The module transformers defines the class in, named after the task: `text_classification`.
    public var module: String { name.replacingOccurrences(of: "-", with: "_") }

    /// Whether `name` names this task (its own name, an alias, or its name with a language pair).
    public func answers(to name: String) -> Bool {
        name == self.name || aliases.contains(name) || languagePair(name) != nil
    }

    /// The `XX_to_YY` of `NAME_XX_to_YY`, for a task with language pairs.
    private func languagePair(_ task: String) -> String? {
        guard hasLanguagePairs, task.hasPrefix(name + "_"), task.contains("_to_") else { return nil }
        return String(task.dropFirst(name.count + 1))
    }

    /// The checkpoint and revision transformers uses for `task` (as named) when no model is given; a ValueError's
    /// message (`PipelineError`) when it has none, as for `translation` without a pair.
    public func defaultModel(forTask task: String) throws -> (checkpoint: String, revision: String) {
        guard hasLanguagePairs else { return defaults[""]! }
        guard let pair = languagePair(task) else {
            throw PipelineError("The task defaults can't be correctly selected. You probably meant \"translation_XX_to_YY\"", kind: .valueError)
        }
        guard let model = defaults[pair] else {
            let languages = pair.components(separatedBy: "_to_").map { "'\($0)'" }.joined(separator: ", ")
            throw PipelineError("The task does not provide any default models for options (\(languages))", kind: .valueError)
        }
        return model
    }

    /// The default checkpoint and its revision, for a task without language pairs.
    public var defaultCheckpoint: String { defaults[""]?.checkpoint ?? "" }
    public var defaultRevision: String { defaults[""]?.revision ?? "" }

    /// The default checkpoint for `task` (this task's name by default) at the revision transformers pins: from the
    /// cache, else downloaded at that revision (which writes `refs/<revision>`, as huggingface_hub does, so Python
    /// finds it offline too); a cache that has only `main` serves when the hub cannot be reached. A download stops
    /// when `isInterrupted` says (Ctrl-C).
    public func locateDefault(forTask task: String? = nil, isInterrupted: @escaping @Sendable () -> Bool = { false }) throws -> Checkpoint {
        let (checkpoint, revision) = try defaultModel(forTask: task ?? name)
        do {
            return try Checkpoint.locate(checkpoint, revision: revision, fetching: .fromEnvironment(isInterrupted: isInterrupted))
        } catch {
            if case .interrupted? = error as? HubError { throw error }
            guard let main = try? Checkpoint.locate(checkpoint, fetching: .offline) else { throw error }
            return main
        }
    }
}

/// A pipeline as transformers runs one, batch by batch: `preprocess` (the tokenizer), `forward` (the model),
/// `postprocess` (what the user gets back, one result per input).
public protocol PipelineTask: Sendable {
    /// One input: a text, or a question with its context.
    associatedtype Input: Sendable = String
    /// The task's keyword arguments (`top_k`, ...).
    associatedtype Options: Sendable
    associatedtype Result: Sendable
    /// What `preprocess` makes of a batch: the model's tensors and what `postprocess` needs besides the output.
    associatedtype Features: PipelineFeatures = BatchEncoding

    static var info: TaskInfo { get }
    var tokenizer: PreTrainedTokenizer { get }
    var model: LoadedModel { get }
    init(tokenizer: PreTrainedTokenizer, model: LoadedModel)

    func preprocess(_ inputs: [Input], options: Options) throws -> Features
    func forward(_ features: Features, checkInterrupt: () throws -> Void) throws -> ModelOutput
    /// One result per input of the batch.
    func postprocess(_ output: ModelOutput, _ features: Features, options: Options) throws -> [Result]
}

/// A preprocessed batch: the encoding the model runs on, and whatever else the task keeps for `postprocess`.
public protocol PipelineFeatures: Sendable {
    var encoding: BatchEncoding { get }
}

extension BatchEncoding: PipelineFeatures {
    public var encoding: BatchEncoding { self }

    /// Each sequence's `input_ids`.
    func ids() throws -> [[Int]] {
        guard let field = self["input_ids"] else { throw ModelError("the encoding has no input_ids") }
        return try field.rows()
    }
}

extension PipelineTask {
    /// The model on the encoding's tensors, recording nothing for autograd (a pipeline's forward runs under
    /// `torch.no_grad()` in transformers).
    public func forward(_ features: Features, checkInterrupt: () throws -> Void) throws -> ModelOutput {
        try GradMode.withoutRecording { try model(try ModelInputs(features.encoding), checkInterrupt: checkInterrupt) }
    }

    /// Runs `inputs` through the three steps, `batchSize` inputs per forward pass (1 by default, as transformers).
    public func callAsFunction(_ inputs: [Input], options: Options, batchSize: Int = 1,
                               checkInterrupt: () throws -> Void = {}) throws -> [Result] {
        guard batchSize > 0 else { throw ModelError("batch_size must be a positive integer, got \(batchSize)") }
        var results = [Result]()
        for start in stride(from: 0, to: inputs.count, by: batchSize) {
            let features = try preprocess(Array(inputs[start..<Swift.min(start + batchSize, inputs.count)]), options: options)
            results += try postprocess(try forward(features, checkInterrupt: checkInterrupt), features, options: options)
        }
        return results
    }

    /// Tensors for a batch of texts, padded together when there are several; cut to the model's length when
    /// `truncation`.
    func encodeBatch(_ texts: [String], truncation: Bool = false, maxLength: Int? = nil) throws -> BatchEncoding {
        var options = EncodingOptions()
        options.returnTensors = true
        options.padding = texts.count > 1 ? .longest : .doNotPad
        if truncation { options.truncation = .longestFirst }
        options.maxLength = maxLength
        return try tokenizer.encode(texts, options: options)
    }
}

extension ModelInputs {
    /// A BatchEncoding's fields as model inputs.
    public init(_ encoding: BatchEncoding) throws {
        guard let ids = encoding["input_ids"] else { throw ModelError("the encoding has no input_ids") }
        self.init(inputIDs: try ids.asTensor(), attentionMask: try encoding["attention_mask"]?.asTensor(),
                  tokenTypeIDs: try encoding["token_type_ids"]?.asTensor())
    }
}
