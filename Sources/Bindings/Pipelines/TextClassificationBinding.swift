import Language
import Pipelines

/// `pipeline("text-classification")`: `classifier(texts, top_k=..., batch_size=...)` -> dicts of label and score.
struct TextClassificationBinding: TaskBinding {
    let pipeline: TextClassificationPipeline

    static let parameters = ["top_k", "batch_size", "truncation", "function_to_apply"]

    func call(_ a: [Value?]) throws -> Value {
        let (texts, batched) = try TokenizerObject.texts(a[0]!)
        var options = TextClassificationPipeline.Options()
        if let k = a[1] { if case .none = k { options.topK = .all } else { options.topK = .count(try k.asInt("top_k")) } }
        options.truncation = try a[3]?.isTruthy() ?? false
        if let name = a[4].given {
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
