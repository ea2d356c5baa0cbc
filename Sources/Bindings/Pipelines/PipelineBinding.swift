import Language
import Logging
import Models
import Pipelines
import TensorCore
import Tokenizers

/// A pipeline task as Python calls it: its `PipelineTask`, the keyword arguments of `classifier(...)` and how its
/// results become Python values. One type per task, listed once in `PipelineRegistry.all`.
protocol PipelineBinding: SendableMetatype {
    static var info: TaskInfo { get }
    /// The call's parameters after the inputs, which `pipeline(task, ...)` also takes as defaults for every call.
    static var parameters: [String] { get }
    /// Whether the inputs must be given (question answering takes `question=` and `context=` instead).
    static var inputsRequired: Bool { get }
    /// The pipeline for `task` as named (`translation_en_to_fr` for the translation binding).
    init(task: String, tokenizer: PreTrainedTokenizer, model: LoadedModel) throws
    /// `pipe(inputs, **kwargs)`, the arguments bound to `["inputs"] + parameters`.
    func call(_ arguments: [Value?]) throws -> Value
    /// The same, for a task that writes to the interpreter's output as it runs (a streamer).
    func call(_ arguments: [Value?], interpreter: Interpreter) throws -> Value
}

extension PipelineBinding {
    static var inputsRequired: Bool { true }

    func call(_ arguments: [Value?], interpreter: Interpreter) throws -> Value { try call(arguments) }

    /// `pipe(...)`: the call's arguments over the pipeline's defaults, bound to the task's parameters.
    func call(_ arguments: Arguments, defaults: [(name: String, value: Value)], interpreter: Interpreter) throws -> Value {
        var merged = arguments
        merged.keywords += defaults.filter { d in !arguments.keywords.contains { $0.name == d.name } }
        return try call(try merged.bind("__call__", ["inputs"] + Self.parameters, required: Self.inputsRequired ? 1 : 0),
                        interpreter: interpreter)
    }

    /// Runs the pipeline on the call's inputs (`listed`: given as a list) once its arguments are checked, after taking
    /// from torch's generator what transformers takes there: a list, and every input of a chunk pipeline, goes
    /// through a torch DataLoader, whose iterator draws its base seed (a random int64). The same draw keeps the
    /// random numbers after it (samples, dropout masks in training mode, a later `torch.rand`) torch's.
    static func running<Result>(listed: Bool, _ run: () throws -> Result) rethrows -> Result {
        if listed || info.isChunkPipeline { RandomGenerator.random64() }
        return try run()
    }
}

/// The pipeline tasks sbpl has, one line each.
enum PipelineRegistry {
    static let all: [any PipelineBinding.Type] = [
        TextClassificationBinding.self,
        FeatureExtractionBinding.self,
        FillMaskBinding.self,
        TokenClassificationBinding.self,
        QuestionAnsweringBinding.self,
        ZeroShotClassificationBinding.self,
        TextGenerationBinding.self,
        SummarizationBinding.self,
        TranslationBinding.self,
    ]

    /// The task `name` names; a task transformers has and sbpl does not is a NotImplementedError, any other name
    /// transformers' KeyError.
    static func binding(for name: String) throws -> any PipelineBinding.Type {
        if let binding = all.first(where: { $0.info.answers(to: name) }) { return binding }
        guard TransformersTasks.knows(name) else { throw PyError.key(.str(TransformersTasks.unknownTaskMessage(name))) }
        let names = all.flatMap { [$0.info.name] + $0.info.aliases }.sorted().joined(separator: ", ")
        throw PyError(.notImplementedError, "sbpl does not support the '\(name)' pipeline yet (it has \(names))")
    }
}

/// A binding over one `PipelineTask`: its task info and construction come from the task.
protocol TaskBinding: PipelineBinding {
    associatedtype Task: PipelineTask
    var pipeline: Task { get }
    init(pipeline: Task)
}

extension TaskBinding {
    static var info: TaskInfo { Task.info }

    init(task _: String, tokenizer: PreTrainedTokenizer, model: LoadedModel) { self.init(pipeline: Task(tokenizer: tokenizer, model: model)) }
}
