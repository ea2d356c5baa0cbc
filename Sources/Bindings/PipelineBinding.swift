import Language
import Models
import Pipelines
import Tokenizers

/// A pipeline task as Python calls it: its `PipelineTask`, the keyword arguments of `classifier(...)` and how its
/// results become Python values. One type per task, listed once in `PipelineRegistry.all`.
protocol PipelineBinding: SendableMetatype {
    static var info: TaskInfo { get }
    init(tokenizer: PreTrainedTokenizer, model: LoadedModel)
    /// `pipe(inputs, **kwargs)`.
    func call(_ arguments: Arguments) throws -> Value
}

/// The pipeline tasks sbpl has, one line each.
enum PipelineRegistry {
    static let all: [any PipelineBinding.Type] = [
        TextClassificationBinding.self,
        FeatureExtractionBinding.self,
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

/// `pipeline("text-classification")`: `classifier(texts, top_k=..., batch_size=...)` -> dicts of label and score.
struct TextClassificationBinding: PipelineBinding {
    static let info = TextClassificationPipeline.info
    let pipeline: TextClassificationPipeline

    init(tokenizer: PreTrainedTokenizer, model: LoadedModel) { pipeline = TextClassificationPipeline(tokenizer: tokenizer, model: model) }

    func call(_ arguments: Arguments) throws -> Value {
        let a = try arguments.bind("__call__", ["inputs", "top_k", "batch_size", "truncation", "function_to_apply"], required: 1)
        let (texts, batched) = try TokenizerObject.texts(a[0]!)
        var options = TextClassificationPipeline.Options()
        if let k = a[1] { if case .none = k { options.topK = .all } else { options.topK = .count(try k.asInt("top_k")) } }
        options.truncation = try a[3]?.isTruthy() ?? false
        if let name = a[4], name.typeName != "NoneType" {
            let text = try name.asString("function_to_apply")
            guard let function = TextClassificationPipeline.ScoreFunction(rawValue: text.lowercased()) else {
                throw PyError.value("Unrecognized `function_to_apply` argument: \(text)")
            }
            options.function = function
        }
        let topK = options.topK
        let results = try pipeline(texts, options: options, batchSize: try a[2]?.asInt("batch_size") ?? 1, checkInterrupt: Interrupt.check)
        let dicts = try results.map { try $0.map { r in Value.dict(try PyDict([(.str("label"), .str(r.label)), (.str("score"), .float(r.score))])) } }
        if topK == .legacy { return .list(PyList(dicts.map { $0[0] })) }
        return batched ? .list(PyList(dicts.map { .list(PyList($0)) })) : .list(PyList(dicts[0]))
    }
}

/// `pipeline("feature-extraction")`: `extractor(texts, return_tensors=False)` -> nested lists (or tensors).
struct FeatureExtractionBinding: PipelineBinding {
    static let info = FeatureExtractionPipeline.info
    let pipeline: FeatureExtractionPipeline

    init(tokenizer: PreTrainedTokenizer, model: LoadedModel) { pipeline = FeatureExtractionPipeline(tokenizer: tokenizer, model: model) }

    func call(_ arguments: Arguments) throws -> Value {
        let a = try arguments.bind("__call__", ["inputs", "return_tensors"], required: 1)
        let (texts, batched) = try TokenizerObject.texts(a[0]!)
        let states = try pipeline(texts, options: (), checkInterrupt: Interrupt.check)
        let values = try a[1]?.isTruthy() == true ? states.map(Value.tensor) : states.map(TensorMethods.toList)
        return batched ? .list(PyList(values)) : values[0]
    }
}
