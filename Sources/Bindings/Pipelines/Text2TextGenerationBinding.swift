import Language
import Models
import Pipelines
import Tokenizers

/// A text-to-text pipeline as Python calls it: `pipe(texts, max_length=..., min_length=..., num_beams=..., ...)` ->
/// per text, a list of `{'NAME_text': ...}` (flattened for a list of texts with one output each), `NAME` the kind's
/// return name.
protocol Text2TextGenerationBinding: PipelineBinding {
    static var kind: Text2TextGenerationPipeline.Kind { get }
    var pipeline: Text2TextGenerationPipeline { get }
    init(pipeline: Text2TextGenerationPipeline)
}

/// The parameters of the call before generate's.
private let ownParameters = ["return_tensors", "return_text", "clean_up_tokenization_spaces"]

extension Text2TextGenerationBinding {
    static var info: TaskInfo { kind.info }
    static var parameters: [String] { ownParameters + Generate.keywords }

    init(task: String, tokenizer: PreTrainedTokenizer, model: LoadedModel) throws {
        self.init(pipeline: try Text2TextGenerationPipeline(Self.kind, task: task, tokenizer: tokenizer, model: model))
    }

    func call(_ a: [Value?]) throws -> Value {
        let (texts, batched) = try TokenizerObject.texts(a[0]!)
        let given = Generate.given(a.dropFirst(1 + ownParameters.count))
        let config = try Generate.config(pipeline.generationConfig, given)
        let (returnTensors, cleanUp) = (try a[1]?.isTruthy() ?? false, try a[3]?.isTruthy() ?? false)
        let results = try Self.running(listed: batched) {
            try pipeline(texts, config: config, maxLengthGiven: given["max_length"] != nil, returnTensors: returnTensors,
                         cleanUp: cleanUp, warn: Generate.report, checkInterrupt: Interrupt.check)
        }
        let name = Self.kind.returnName
        let lists = try results.map { outputs in
            try outputs.map { try Generate.dict($0, text: name + "_text", ids: name + "_token_ids", idsAsTensor: true) }
        }
        if batched && lists.allSatisfy({ $0.count == 1 }) { return .list(PyList(lists.map { $0[0] })) }
        let values = lists.map { Value.list(PyList($0)) }
        return batched ? .list(PyList(values)) : values[0]
    }
}

/// `pipeline("summarization")`: `{'summary_text': ...}`.
struct SummarizationBinding: Text2TextGenerationBinding {
    static let kind = Text2TextGenerationPipeline.Kind.summarization
    let pipeline: Text2TextGenerationPipeline
}

/// `pipeline("translation_en_to_fr")` (or `"translation"`, which takes the first translation task the model's
/// `task_specific_params` has): `{'translation_text': ...}`.
struct TranslationBinding: Text2TextGenerationBinding {
    static let kind = Text2TextGenerationPipeline.Kind.translation
    let pipeline: Text2TextGenerationPipeline
}
