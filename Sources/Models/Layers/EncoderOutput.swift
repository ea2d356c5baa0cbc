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
