import Language
import Models
import TensorCore

extension ModelObject {
    /// `model.generate(input_ids, attention_mask=None, streamer=None, **generation_kwargs)`: the prompts followed by
    /// what the model generates, an int64 tensor `[batch * num_return_sequences, length]`.
    static func generate(_ model: LoadedModel, _ call: Call) throws -> Value {
        guard let generating = model.generating else {
            throw PyError.type("The current model class (\(model.className)) is not compatible with `.generate()`, as it doesn't have a language model head.")
        }
        let own = ["inputs", "attention_mask", "streamer", "input_ids"]
        let unused = call.arguments.keywords.map(\.name).filter { !own.contains($0) && !Generate.keywords.contains($0) }
        guard unused.isEmpty else {
            throw PyError.value("The following `model_kwargs` are not used by the model: [\(unused.map { "'\($0)'" }.joined(separator: ", "))] (note: typos in the generate arguments will also show up in this list)")
        }
        let a = try call.arguments.bind("generate", own + Generate.keywords)
        guard let idsValue = a[0].given ?? a[3].given else { throw PyError.value("generate() needs input_ids (or inputs)") }
        let ids = try promptRows(idsValue, "input_ids")
        let mask = try a[1].given.map { try promptRows($0, "attention_mask") }
        let given = Generate.given(a.dropFirst(own.count))
        let config = try Generate.config(model.generationConfig, given)
        let streamer = try a[2].given.map(TextStreamerObject.from)
        if streamer != nil, ids.count != 1 { throw PyError.value("TextStreamer only supports batch size 1") }
        let write = call.interpreter.write
        streamer?.put(ids[0], write)
        if streamer != nil, config.numBeams > 1 {
            throw PyError.value("`streamer` cannot be used with beam search (yet!). Make sure that `num_beams` is set to 1.")
        }
        var generator = Generator(model: generating, config: config)
        generator.maxLengthGiven = given["max_length"] != nil
        generator.warn = Generate.report
        let rows = try generator.generate(ids, mask: mask, onStep: { streamer?.put($0, write) }, checkInterrupt: call.interpreter.checkInterrupt)
        streamer?.end(write)
        return .tensor(Tensor(ints: rows.flatMap { $0.map(Int64.init) }, shape: [rows.count, rows.first?.count ?? 0]))
    }

    /// A `[batch, length]` (or `[length]`) int64 tensor or nested list as rows of ints.
    private static func promptRows(_ value: Value, _ name: String) throws -> [[Int]] {
        let tensor: Tensor
        if case .tensor(let t) = value { tensor = t } else { tensor = try TorchModule.tensor(from: value, dtype: .int64) }
        guard tensor.dtype == .int64, tensor.rank == 1 || tensor.rank == 2 else {
            throw PyError.value("\(name) must be an int64 tensor of shape [batch, length], got \(tensor.dtype.torchName) of shape \(TensorShape(tensor.shape))")
        }
        let flat = tensor.contiguous().int64s().map(Int.init)
        let length = tensor.shape.last ?? 0
        return length == 0 ? [[]] : stride(from: 0, to: flat.count, by: length).map { Array(flat[$0..<$0 + length]) }
    }
}
