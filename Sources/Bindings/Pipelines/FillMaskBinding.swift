import Language
import Pipelines

/// `pipeline("fill-mask")`: `unmasker(texts, top_k=5, targets=None)` -> per mask, dicts of score, token, token_str
/// and sequence; a list of them per text with one mask, a list of lists with several.
struct FillMaskBinding: TaskBinding {
    static let parameters = ["top_k", "targets", "batch_size"]
    let pipeline: FillMaskPipeline

    func call(_ a: [Value?]) throws -> Value {
        let (texts, batched) = try TokenizerObject.texts(a[0]!)
        var options = FillMaskPipeline.Options()
        if let k = a[1].given { options.topK = try k.asInt("top_k") }
        if let targets = a[2].given {
            options.targets = try pipeline.targetIDs(try TokenizerObject.texts(targets).0)
        }
        let batchSize = try a[3]?.asInt("batch_size") ?? 1
        let results = try Self.running(listed: batched) { try pipeline(texts, options: options, batchSize: batchSize, checkInterrupt: Interrupt.check) }
        let values = try results.map { masks in
            let lists = try masks.map { try Value.list(PyList($0.map(Self.dict))) }
            return lists.count == 1 ? lists[0] : .list(PyList(lists))
        }
        // transformers unwraps a list of one text, as it does one text
        return batched && values.count != 1 ? .list(PyList(values)) : values[0]
    }

    private static func dict(_ r: FillMaskResult) throws -> Value {
        .dict(try PyDict([(.str("score"), .float(r.score)), (.str("token"), .int(r.token)), (.str("token_str"), .str(r.tokenStr)),
                          (.str("sequence"), .str(r.sequence))]))
    }
}
