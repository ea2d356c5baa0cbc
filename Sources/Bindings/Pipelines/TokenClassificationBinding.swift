import Language
import Logging
import Pipelines

/// `pipeline("ner")`: `ner(texts, aggregation_strategy="none", ignore_labels=["O"])` -> per text, its entities as
/// dicts (`grouped_entities=True` and `ignore_subwords=True` are the deprecated spellings of `simple` and `first`).
struct TokenClassificationBinding: TaskBinding {
    typealias Aggregation = TokenClassificationPipeline.Aggregation
    static let parameters = ["aggregation_strategy", "ignore_labels", "grouped_entities", "ignore_subwords", "batch_size"]
    let pipeline: TokenClassificationPipeline
    private static let logger = Logger(label: "py.warnings")

    func call(_ a: [Value?]) throws -> Value {
        let (texts, batched) = try TokenizerObject.texts(a[0]!)
        guard !texts.isEmpty else { throw PyError.value("At least one input is required.") }
        var options = TokenClassificationPipeline.Options(aggregation: try Self.aggregation(a))
        if let labels = a[2].given { options.ignoreLabels = try TokenizerObject.texts(labels).0 }
        if options.aggregation != .none && options.aggregation != .simple && !pipeline.tokenizer.isFast {
            throw PyError.value("Slow tokenizers cannot handle subwords. Please set the `aggregation_strategy` option to `\"simple\"` or use a fast tokenizer.")
        }
        let batchSize = try a[5]?.asInt("batch_size") ?? 1
        let results = try Self.running(listed: batched) { try pipeline(texts, options: options, batchSize: batchSize, checkInterrupt: Interrupt.check) }
        let lists = try results.map { Value.list(PyList(try $0.map(Self.dict))) }
        return batched ? .list(PyList(lists)) : lists[0]
    }

    /// `aggregation_strategy`, or what the deprecated `grouped_entities` / `ignore_subwords` stand for (with
    /// transformers' warning).
    private static func aggregation(_ a: [Value?]) throws -> Aggregation {
        let grouped = try a[3].given?.isTruthy()
        let ignoreSubwords = try a[4].given?.isTruthy()
        var aggregation = Aggregation.none
        if grouped != nil || ignoreSubwords != nil {
            aggregation = grouped == true ? (ignoreSubwords == true ? .first : .simple) : .none
            for (name, given) in [("grouped_entities", grouped), ("ignore_subwords", ignoreSubwords)] where given != nil {
                if WarningFilters.shows(.userWarning) { logger.warning("UserWarning: `\(name)` is deprecated and will be removed in version v5.0.0, defaulted to `aggregation_strategy=\"\(aggregation.rawValue)\"` instead.") }
            }
        }
        if let strategy = a[1].given {
            let name = try strategy.asString("aggregation_strategy")
            guard let chosen = Aggregation(rawValue: name.lowercased()) else { throw PyError.key(.str(name.uppercased())) }
            aggregation = chosen
        }
        return aggregation
    }

    private static func dict(_ e: TokenEntity) throws -> Value {
        var pairs: [(Value, Value)] = [(.str(e.index == nil ? "entity_group" : "entity"), .str(e.label)),
                                       (.str("score"), .object(NumpyFloat32(e.score)))]
        if let index = e.index { pairs.append((.str("index"), .int(index))) }
        pairs += [(.str("word"), .str(e.word)), (.str("start"), .int(e.start)), (.str("end"), .int(e.end))]
        return .dict(try PyDict(pairs))
    }
}
