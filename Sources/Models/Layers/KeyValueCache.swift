import TensorCore

/// A decoder's `past_key_values`: the keys and values each attention layer computed for the tokens so far, so that
/// each new token costs one position rather than the whole prefix. Each layer's are `[batch, heads, capacity,
/// head_dim]` buffers filled up to `length`.
public final class KeyValueCache: @unchecked Sendable {
    /// The positions filled so far.
    public private(set) var length = 0
    public let capacity: Int
    /// Each layer's buffers, made in the type of the first keys and values written (the model's).
    private var keys: [Tensor?], values: [Tensor?]
    private let bufferShape: [Int]
    /// The layers LayerDrop skipped in training mode (BART's, Marian's): they hold nothing.
    private var skipped = Set<Int>()

    /// An empty cache for `layers` layers of `heads` heads, for up to `capacity` positions.
    public init(layers: Int, batch: Int, heads: Int, headDim: Int, capacity: Int) throws {
        try Tensor.checkAllocation([2, layers, batch, heads, capacity, headDim], dtype: .float32)
        self.capacity = capacity
        bufferShape = [batch, heads, capacity, headDim]
        keys = Array(repeating: nil, count: layers)
        values = keys
    }

    /// Layer `layer`'s key and value buffers, made in `dtype` on first use.
    private func buffers(_ layer: Int, _ dtype: DType) -> (keys: Tensor, values: Tensor) {
        if keys[layer] == nil {
            keys[layer] = Tensor(zeros: bufferShape, dtype: dtype)
            values[layer] = Tensor(zeros: bufferShape, dtype: dtype)
        }
        return (keys[layer]!, values[layer]!)
    }

    /// Writes layer `layer`'s keys and values of the new positions (`[batch, heads, n, head_dim]`) after the cached
    /// ones, and returns all of them so far: views of the buffers, or, when autograd records the new ones, what
    /// transformers' `DynamicCache` returns (the new tensors themselves at first, then the cached ones
    /// concatenated with them), so gradients reach the layers that made them.
    func appending(layer: Int, keys newKeys: Tensor, values newValues: Tensor) throws -> (keys: Tensor, values: Tensor) {
        let n = newKeys.shape[2]
        guard !skipped.contains(layer) else {
            throw ModelError("LayerDrop skipped decoder layer \(layer) in an earlier step, so the key/value cache has nothing for it (transformers fails here too); generate in eval mode, or with decoder_layerdrop=0")
        }
        guard length + n <= capacity else {
            throw ModelError("the key/value cache holds \(capacity) positions; \(length + n) were asked for")
        }
        let (keys, values) = buffers(layer, newKeys.dtype)
        try Self.write(newKeys, into: keys, at: length)
        try Self.write(newValues, into: values, at: length)
        if GradMode.isEnabled && (newKeys.requiresGrad || newValues.requiresGrad) {
            guard length > 0 else { return (newKeys, newValues) }
            let cached: [TensorIndex] = [.all, .all, .slice(start: 0, stop: length, step: nil), .all]
            return (try Tensor.concatenated([try keys.view(at: cached), newKeys], dim: 2),
                    try Tensor.concatenated([try values.view(at: cached), newValues], dim: 2))
        }
        let filled: [TensorIndex] = [.all, .all, .slice(start: 0, stop: length + n, step: nil), .all]
        return (try keys.view(at: filled), try values.view(at: filled))
    }

    /// Keeps the rows `rows` in that order (beam search following its best beams), as `index_select` on each
    /// buffer would, copying only the filled positions.
    func reorder(_ rows: [Int]) throws {
        guard rows != Array(rows.indices) else { return }
        for buffer in (keys + values).compactMap({ $0 }) {
            let (heads, capacity, headDim) = (buffer.shape[1], buffer.shape[2], buffer.shape[3])
            let rowSize = heads * capacity * headDim, filled = length * headDim
            buffer.withFloatPointer { base in
                let before = (0..<buffer.shape[0]).map { row in
                    (0..<heads).map { h in Array(UnsafeBufferPointer(start: base + row * rowSize + h * capacity * headDim, count: filled)) }
                }
                for (row, source) in rows.enumerated() {
                    for h in 0..<heads {
                        before[source][h].withUnsafeBufferPointer { (base + row * rowSize + h * capacity * headDim).update(from: $0.baseAddress!, count: filled) }
                    }
                }
            }
        }
    }

    /// Layer `layer`, which LayerDrop skips in this first step, holds nothing; skipped in a later step, its cached
    /// positions would fall out of step with the others', which is an error (transformers fails too).
    func skip(layer: Int) throws {
        guard length == 0 else {
            throw ModelError("LayerDrop skipped decoder layer \(layer) after the first step, so its key/value cache would fall out of step (transformers fails here too); generate in eval mode, or with decoder_layerdrop=0")
        }
        skipped.insert(layer)
    }

    /// The keys and values so far of each layer that holds them, with the layer's index, as `past_key_values`
    /// holds them (a layer LayerDrop skipped has no entry).
    func filled() throws -> [(layer: Int, keysAndValues: [Tensor])] {
        let positions: [TensorIndex] = [.all, .all, .slice(start: 0, stop: length, step: nil), .all]
        let dtype = keys.lazy.compactMap { $0 }.first?.dtype ?? .float32
        return try keys.indices.filter { !skipped.contains($0) }.map { layer in
            guard let keys = keys[layer], let values = values[layer] else {  // nothing written yet: empty, nothing made
                let empty = Tensor(zeros: [bufferShape[0], bufferShape[1], 0, bufferShape[3]], dtype: dtype)
                return (layer, [empty, empty])
            }
            return (layer, [try keys.view(at: positions).detached(), try values.view(at: positions).detached()])
        }
    }

    /// Marks `n` more positions filled, once every layer has appended them.
    func advance(by n: Int) { length += n }

    /// Copies `source` (`[batch, heads, n, head_dim]`, any layout) into `buffer` from position `start`.
    private static func write(_ source: Tensor, into buffer: Tensor, at start: Int) throws {
        guard source.dtype == buffer.dtype else {
            throw ModelError("the key/value cache holds \(buffer.dtype.torchName) keys and values; \(source.dtype.torchName) ones were given")
        }
        let x = source.contiguous()
        let (batch, heads, n, headDim) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let capacity = buffer.shape[2]
        x.withFloatPointer { src in
            buffer.withFloatPointer { dst in
                for b in 0..<batch {
                    for h in 0..<heads {
                        let from = src + ((b * heads + h) * n) * headDim
                        let to = dst + ((b * heads + h) * capacity + start) * headDim
                        to.update(from: from, count: n * headDim)
                    }
                }
            }
        }
    }
}

extension KeyValueCache {
    /// An encoder-decoder pass's `past_key_values`: each decoder layer's (self key, self value, cross key, cross
    /// value), as transformers 4.46 returns them, recorded as made by `function` (the operation that split the heads
    /// off: a copy in BART, a transpose in T5) from the model's `weight`.
    func encoderDecoderPast(_ encoded: EncoderOutput, recorded function: GradFunction, from weight: Tensor) throws -> ModelOutput.Field {
        .layers(try filled().map { layer, own in
            let cross = encoded.keysAndValues[layer].map { [$0.0, $0.1] } ?? []
            return (own + cross).map { $0.recorded(function, from: weight) }
        })
    }
}
