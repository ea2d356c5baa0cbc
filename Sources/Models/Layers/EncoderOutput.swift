import TensorCore

/// An encoder's output that a decoder attends to (BART, T5), with its mask, and each decoder layer's keys and values
/// of it once computed (kept while generating, when every step attends to the same output).
final class EncoderOutput: @unchecked Sendable {
    let hidden: Tensor, mask: Tensor
    var keysAndValues: [Int: (Tensor, Tensor)] = [:]

    init(_ hidden: Tensor, mask: Tensor) { (self.hidden, self.mask) = (hidden, mask) }

    /// The encoder's output with its rows repeated as `rows` says (one per beam or returned sequence).
    func selecting(_ rows: [Int]) throws -> EncoderOutput { EncoderOutput(try hidden.indexSelect(rows), mask: try mask.indexSelect(rows)) }
}

extension KeyValueCache {
    /// An encoder-decoder pass's `past_key_values`: each decoder layer's (self key, self value, cross key, cross
    /// value), as transformers 4.46 returns them, recorded as made by `function` (the operation that split the heads
    /// off: a copy in BART, a transpose in T5) from the model's `weight`.
    func encoderDecoderPast(_ encoded: EncoderOutput, recorded function: GradFunction, from weight: Tensor) throws -> ModelOutput.Field {
        .layers(try filled().enumerated().map { layer, own in
            let cross = encoded.keysAndValues[layer].map { [$0.0, $0.1] } ?? []
            return (own + cross).map { $0.recorded(function, from: weight) }
        })
    }
}
