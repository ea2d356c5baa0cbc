import Language
import Logging
import Models
import Pipelines
import Tokenizers

/// `pipeline("text-generation")`: `generator(texts, max_length=..., max_new_tokens=..., num_return_sequences=...,
/// do_sample=..., ...)` -> per text, a list of `{'generated_text': ...}`, one per returned sequence.
struct TextGenerationBinding: PipelineBinding {
    static let info = TextGenerationPipeline.info
    private static let ownParameters = ["return_full_text", "return_tensors", "return_text", "clean_up_tokenization_spaces", "prefix",
                                        "streamer"]
    static let parameters = ownParameters + Generate.keywords
    let pipeline: TextGenerationPipeline

    init(task _: String, tokenizer: PreTrainedTokenizer, model: LoadedModel) throws {
        pipeline = try TextGenerationPipeline(tokenizer: tokenizer, model: model)
    }

    func call(_ a: [Value?]) throws -> Value { try call(a, write: { _ in }, live: false, checkInterrupt: Interrupt.check) }

    func call(_ a: [Value?], interpreter: Interpreter) throws -> Value {
        try call(a, write: interpreter.write, live: interpreter.streamsGeneration, checkInterrupt: interpreter.checkInterrupt)
    }

    /// The call; with `live` (the shell, the kernel) one prompt's new text is shown as it comes when no streamer
    /// is given, and Ctrl-C stops the generation with what it has made as the result.
    private func call(_ a: [Value?], write: @escaping (String) -> Void, live: Bool, checkInterrupt: () throws -> Void) throws -> Value {
        let (texts, batched) = try TokenizerObject.texts(a[0]!)
        guard !texts.isEmpty else { throw PyError.index("list index out of range") }  // transformers reads the first input
        var options = TextGenerationPipeline.Options()
        options.prefix = pipeline.prefix
        if let full = a[1].given { options.returnFullText = try full.isTruthy() }
        if let tensors = a[2].given {
            if a[1].given != nil { throw PyError.value("`return_full_text` is mutually exclusive with `return_tensors`") }
            options.returnTensors = try tensors.isTruthy()
        }
        if let clean = a[4].given { options.cleanUpTokenizationSpaces = try clean.isTruthy() }
        if let prefix = a[5].given { options.prefix = try prefix.asString("prefix") }
        let given = Generate.given(a.dropFirst(1 + Self.ownParameters.count))
        options.maxLength = try given["max_length"].map { try $0.asInt("max_length") }
        options.minLengthGiven = given["min_length"] != nil
        let config = try Generate.config(pipeline.generationConfig, given)
        let explicit = try a[6].given.map(TextStreamerObject.from)
        if explicit != nil, config.numReturnSequences > 1 { throw PyError.value("TextStreamer only supports batch size 1") }
        let streamsLive = live && explicit == nil && !batched && config.numBeams == 1 && config.numReturnSequences == 1
        let streamer = streamsLive ? TextStreamerObject(TextStreamer(tokenizer: pipeline.tokenizer, skipPrompt: true, skipSpecialTokens: true)) : explicit
        var sequence = [Int](), promptIDs = [Int]()
        let results: [[GeneratedSequence]]
        do {
            results = try Self.running(listed: batched) {
                try pipeline(texts, options: options, config: config, warn: Generate.report,
                             onStart: { promptIDs = $0; sequence = $0; streamer?.put($0, write) },
                             onStep: { sequence += $0; streamer?.put($0, write) },
                             onEnd: { streamer?.end(write) }, checkInterrupt: checkInterrupt)
            }
        } catch let error as PyError where error.kind == .keyboardInterrupt && streamsLive && !promptIDs.isEmpty {
            streamer?.end(write)
            Generate.logger.warning("KeyboardInterrupt: generation stopped after \(sequence.count - promptIDs.count) new tokens, kept as the result")
            results = [[pipeline.decoded(sequence, promptIDs: promptIDs, prompt: texts[0], options: options)]]
        }
        let lists = try results.map { sequences in
            Value.list(PyList(try sequences.map { try Generate.dict($0, text: "generated_text", ids: "generated_token_ids") }))
        }
        return batched ? .list(PyList(lists)) : lists[0]
    }
}
