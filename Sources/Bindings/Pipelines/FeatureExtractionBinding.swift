import Language
import Pipelines

/// `pipeline("feature-extraction")`: `extractor(texts, return_tensors=False)` -> nested lists (or tensors).
struct FeatureExtractionBinding: TaskBinding {
    let pipeline: FeatureExtractionPipeline

    static let parameters = ["return_tensors"]

    func call(_ a: [Value?]) throws -> Value {
        let (texts, batched) = try TokenizerObject.texts(a[0]!)
        let states = try Self.running(listed: batched) { try pipeline(texts, options: (), checkInterrupt: Interrupt.check) }
        let values = try a[1]?.isTruthy() == true ? states.map(Value.tensor) : states.map(TensorMethods.toList)
        return batched ? .list(PyList(values)) : values[0]
    }
}
