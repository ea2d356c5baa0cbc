import Language
import Models
import Pipelines
import Tokenizers

/// `pipeline(...)` in the value store.
final class PipelineObject: PyObject {
    let task: Pipeline.Task
    let tokenizer: BertTokenizer
    let model: LoadedModel

    init(task: Pipeline.Task, tokenizer: BertTokenizer, model: LoadedModel) {
        self.task = task
        self.tokenizer = tokenizer
        self.model = model
    }

    var typeName: String { task == .textClassification ? "TextClassificationPipeline" : "FeatureExtractionPipeline" }
    var repr: String { "<transformers.pipelines.\(typeName) object>" }
    var attributeNames: [String] { ["model", "tokenizer", "task"] }

    func attribute(_ name: String, _ interpreter: Interpreter) throws -> Value? {
        switch name {
        case "model": return .object(ModelObject(model))
        case "tokenizer": return .object(TokenizerObject(tokenizer))
        case "task": return .str(task.rawValue)
        default: return nil
        }
    }

    func call(_ arguments: Arguments, _ interpreter: Interpreter) throws -> Value? {
        task == .textClassification ? try classify(arguments) : try extract(arguments)
    }

    private func classify(_ arguments: Arguments) throws -> Value {
        let a = try arguments.bind("__call__", ["inputs", "top_k", "batch_size"], required: 1)
        let (texts, batched) = try TokenizerObject.texts(a[0]!)
        var topK = TextClassificationPipeline.TopK.legacy
        if let k = a[1] { if case .none = k { topK = .all } else { topK = .count(try k.asInt("top_k")) } }
        let pipeline = TextClassificationPipeline(tokenizer: tokenizer, model: model)
        let results = try pipeline(texts, topK: topK, batchSize: try a[2]?.asInt("batch_size") ?? 1, checkInterrupt: Interrupt.check)
        let dicts = try results.map { try $0.map { r in Value.dict(try PyDict([(.str("label"), .str(r.label)), (.str("score"), .float(r.score))])) } }
        if topK == .legacy { return .list(PyList(dicts.map { $0[0] })) }
        return batched ? .list(PyList(dicts.map { .list(PyList($0)) })) : .list(PyList(dicts[0]))
    }

    private func extract(_ arguments: Arguments) throws -> Value {
        let a = try arguments.bind("__call__", ["inputs", "return_tensors"], required: 1)
        let (texts, batched) = try TokenizerObject.texts(a[0]!)
        let states = try FeatureExtractionPipeline(tokenizer: tokenizer, model: model)(texts, checkInterrupt: Interrupt.check)
        let values = try a[1]?.isTruthy() == true ? states.map(Value.tensor) : states.map(TensorMethods.toList)
        return batched ? .list(PyList(values)) : values[0]
    }
}
