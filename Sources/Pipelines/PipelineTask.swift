import Hub
import Models
import Tokenizers

/// What transformers' `SUPPORTED_TASKS` says of a task: its name and aliases, its pipeline class, the model head
/// it needs, and the checkpoint, pinned to a revision, used when no model is given.
public struct TaskInfo: Sendable {
    public let name: String
    public let aliases: [String]
    /// The pipeline class, e.g. `TextClassificationPipeline`.
    public let className: String
    public let modelTask: ModelTask
    public let defaultCheckpoint: String
    public let defaultRevision: String

    /// The module transformers defines the class in, named after the task: `text_classification`.
    public var module: String { name.replacingOccurrences(of: "-", with: "_") }

    /// Whether `name` names this task (its own name or an alias).
    public func answers(to name: String) -> Bool { name == self.name || aliases.contains(name) }

    /// The default checkpoint at the revision transformers pins: from the cache, else downloaded at that revision
    /// (which writes `refs/<revision>`, as huggingface_hub does, so Python finds it offline too); a cache that has
    /// only `main` serves when the hub cannot be reached.
    public func locateDefault() throws -> Checkpoint {
        do {
            return try Checkpoint.locate(defaultCheckpoint, revision: defaultRevision)
        } catch {
            guard let main = try? Checkpoint.locate(defaultCheckpoint, fetching: .offline) else { throw error }
            return main
        }
    }
}

/// A pipeline as transformers runs one, batch by batch: `preprocess` (the tokenizer), `forward` (the model),
/// `postprocess` (what the user gets back, one result per text).
public protocol PipelineTask: Sendable {
    /// The task's keyword arguments (`top_k`, ...).
    associatedtype Options: Sendable
    associatedtype Result: Sendable

    static var info: TaskInfo { get }
    var tokenizer: PreTrainedTokenizer { get }
    var model: LoadedModel { get }
    init(tokenizer: PreTrainedTokenizer, model: LoadedModel)

    func preprocess(_ texts: [String], options: Options) throws -> BatchEncoding
    func forward(_ encoding: BatchEncoding, checkInterrupt: () throws -> Void) throws -> ModelOutput
    func postprocess(_ output: ModelOutput, count: Int, options: Options) throws -> [Result]
}

extension PipelineTask {
    /// The model on the encoding's tensors.
    public func forward(_ encoding: BatchEncoding, checkInterrupt: () throws -> Void) throws -> ModelOutput {
        try model(try ModelInputs(encoding), checkInterrupt: checkInterrupt)
    }

    /// Runs `texts` through the three steps, `batchSize` texts per forward pass (1 by default, as transformers).
    public func callAsFunction(_ texts: [String], options: Options, batchSize: Int = 1,
                               checkInterrupt: () throws -> Void = {}) throws -> [Result] {
        guard batchSize > 0 else { throw ModelError("batch_size must be a positive integer, got \(batchSize)") }
        var results = [Result]()
        for start in stride(from: 0, to: texts.count, by: batchSize) {
            let batch = Array(texts[start..<Swift.min(start + batchSize, texts.count)])
            let output = try forward(try preprocess(batch, options: options), checkInterrupt: checkInterrupt)
            results += try postprocess(output, count: batch.count, options: options)
        }
        return results
    }

    /// Tensors for a batch of texts, padded together when there are several; cut to the model's length when
    /// `truncation`.
    func encodeBatch(_ texts: [String], truncation: Bool = false) throws -> BatchEncoding {
        var options = EncodingOptions()
        options.returnTensors = true
        options.padding = texts.count > 1 ? .longest : .doNotPad
        if truncation { options.truncation = .longestFirst }
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
