import Language
import Logging
import Pipelines

/// `pipeline("zero-shot-classification")`: `classifier(texts, candidate_labels, hypothesis_template="This example is
/// {}.", multi_label=False)` -> per text, a dict of the sequence, its labels best first and their scores.
struct ZeroShotClassificationBinding: TaskBinding {
    static let parameters = ["candidate_labels", "hypothesis_template", "multi_label", "multi_class", "batch_size"]
    let pipeline: ZeroShotClassificationPipeline
    private static let logger = Logger(label: "transformers.pipelines.zero_shot_classification")

    func call(_ a: [Value?]) throws -> Value {
        let (texts, batched) = try TokenizerObject.texts(a[0]!)
        guard let given = a[1].given else {
            throw PyError.type("ZeroShotClassificationArgumentHandler.__call__() missing 1 required positional argument: 'labels'")
        }
        // a string is a comma-separated list of labels
        let labels = try given.typeName == "str"
            ? given.asString("candidate_labels").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            : TokenizerObject.texts(given).0
        var options = ZeroShotClassificationPipeline.Options(candidateLabels: labels)
        if let template = a[2].given { options.hypothesisTemplate = try template.asString("hypothesis_template") }
        if let multiClass = a[4].given {
            Self.logger.warning("The `multi_class` argument has been deprecated and renamed to `multi_label`. `multi_class` will be removed in a future version of Transformers.")
            options.multiLabel = try multiClass.isTruthy()
        }
        if let multiLabel = a[3].given { options.multiLabel = try multiLabel.isTruthy() }
        let batchSize = try a[5]?.asInt("batch_size") ?? 1
        let results = try Self.running(listed: batched) { try pipeline(texts, options: options, batchSize: batchSize, checkInterrupt: Interrupt.check) }
        let dicts = try results.map { r in
            Value.dict(try PyDict([(.str("sequence"), .str(r.sequence)), (.str("labels"), .list(PyList(r.labels.map(Value.str)))),
                                   (.str("scores"), .list(PyList(r.scores.map(Value.float))))]))
        }
        return batched ? .list(PyList(dicts)) : dicts[0]
    }
}
