import Language
import Models
import Pipelines
import Tokenizers

/// `pipeline("summarization")`: `summarizer(texts, max_length=..., min_length=..., num_beams=..., ...)` -> per
/// text, a list of `{'summary_text': ...}` (flattened for a list of texts with one summary each).
struct SummarizationBinding: PipelineBinding {
    static let info = SummarizationPipeline.info
    private static let ownParameters = ["return_tensors", "return_text", "clean_up_tokenization_spaces"]
    static let parameters = ownParameters + Generate.keywords
    let pipeline: SummarizationPipeline

    init(tokenizer: PreTrainedTokenizer, model: LoadedModel) throws {
        pipeline = try SummarizationPipeline(tokenizer: tokenizer, model: model)
    }

    func call(_ a: [Value?]) throws -> Value {
        let (texts, batched) = try TokenizerObject.texts(a[0]!)
        let given = Generate.given(a.dropFirst(1 + Self.ownParameters.count))
        let config = try Generate.config(pipeline.generationConfig, given)
        let results = try pipeline(texts, config: config, maxLengthGiven: given["max_length"] != nil, returnTensors: try a[1]?.isTruthy() ?? false,
                                   cleanUp: try a[3]?.isTruthy() ?? false, warn: Generate.report, checkInterrupt: Interrupt.check)
        let lists = try results.map { summaries in
            try summaries.map { try Generate.dict($0, text: "summary_text", ids: "summary_token_ids", idsAsTensor: true) }
        }
        if batched && lists.allSatisfy({ $0.count == 1 }) { return .list(PyList(lists.map { $0[0] })) }
        let values = lists.map { Value.list(PyList($0)) }
        return batched ? .list(PyList(values)) : values[0]
    }
}
