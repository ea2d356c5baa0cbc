import Language
import Logging
import Pipelines

/// `pipeline("text-classification")`: `classifier(texts, top_k=..., batch_size=...)` -> dicts of label and score.
struct TextClassificationBinding: TaskBinding {
    let pipeline: TextClassificationPipeline

    private static let logger = Logger(label: "py.warnings")

    static let parameters = ["top_k", "batch_size", "truncation", "function_to_apply", "return_all_scores", "padding", "max_length"]

    func call(_ a: [Value?]) throws -> Value {
        let (texts, batched) = try TokenizerObject.texts(a[0]!)
        var options = TextClassificationPipeline.Options()
        if let k = a[1] {
            if case .none = k { options.topK = .all } else { options.topK = .count(try k.asInt("top_k")) }
        } else if let all = a[5].given {
            if WarningFilters.shows(.userWarning) { Self.logger.warning("UserWarning: `return_all_scores` is now deprecated,  if want a similar functionality use `top_k=None` instead of `return_all_scores=True` or `top_k=1` instead of `return_all_scores=False`.") }
            if try all.isTruthy() { options.topK = .allInLabelOrder }
        }
        options.truncation = try a[3]?.isTruthy() ?? false
        options.maxLength = try a[7].given?.asInt("max_length")
        if let name = a[4].given {
            let text = try name.asString("function_to_apply")
            guard let function = TextClassificationPipeline.ScoreFunction(rawValue: text.lowercased()) else {
                throw PyError.key(.str(text.uppercased()))   // transformers' `ClassificationFunction[name.upper()]`
            }
            options.function = function
        }
        let batchSize = try a[2]?.asInt("batch_size") ?? 1
        let results = try Self.running(listed: batched) { try pipeline(texts, options: options, batchSize: batchSize, checkInterrupt: Interrupt.check) }
        let dicts = try results.map { try $0.map { r in Value.dict(try PyDict([(.str("label"), .str(r.label)), (.str("score"), .float(r.score))])) } }
        switch options.topK {
        case .legacy: return .list(PyList(dicts.map { $0[0] }))
        // transformers wraps one text's list in another when top_k was not given (its "odd" legacy return)
        case .allInLabelOrder where !batched: return .list(PyList([.list(PyList(dicts[0]))]))
        default: return batched ? .list(PyList(dicts.map { .list(PyList($0)) })) : .list(PyList(dicts[0]))
        }
    }
}
