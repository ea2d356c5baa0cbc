import Language
import Logging
import Models
import Pipelines
import PythonText
import Synchronization
import Tokenizers

/// `pipeline("text-generation")`: `generator(texts, max_length=..., max_new_tokens=..., num_return_sequences=...,
/// do_sample=..., ...)` -> per text, a list of `{'generated_text': ...}`, one per returned sequence.
struct TextGenerationBinding: PipelineBinding {
    static let info = TextGenerationPipeline.info
    private static let ownParameters = ["return_full_text", "return_tensors", "return_text", "clean_up_tokenization_spaces", "prefix",
                                        "streamer"]
    static let parameters = ownParameters + GenerationConfig.keys
    let pipeline: TextGenerationPipeline

    init(tokenizer: PreTrainedTokenizer, model: LoadedModel) {
        pipeline = TextGenerationPipeline(tokenizer: tokenizer, model: model)
    }

    func call(_ a: [Value?]) throws -> Value { try call(a, write: { _ in }) }

    func call(_ a: [Value?], interpreter: Interpreter) throws -> Value { try call(a, write: interpreter.write) }

    private func call(_ a: [Value?], write: @escaping (String) -> Void) throws -> Value {
        let (texts, batched) = try TokenizerObject.texts(a[0]!)
        var options = TextGenerationPipeline.Options()
        if let full = a[1].given { options.returnFullText = try full.isTruthy() }
        if let tensors = a[2].given { options.returnTensors = try tensors.isTruthy() }
        if let clean = a[4].given { options.cleanUpTokenizationSpaces = try clean.isTruthy() }
        if let prefix = a[5].given { options.prefix = try prefix.asString("prefix") }
        let given = Dictionary(uniqueKeysWithValues: zip(GenerationConfig.keys, a.dropFirst(1 + Self.ownParameters.count)).compactMap { key, value in
            value.map { (key, $0) }
        })
        options.maxLength = try given["max_length"].map { try $0.asInt("max_length") }
        let config = try Generate.config(pipeline.generationConfig, given)
        let streamer = try a[6].given.map(TextStreamerObject.from)
        if streamer != nil, config.numReturnSequences > 1 { throw PyError.value("TextStreamer only supports batch size 1") }
        let results = try pipeline(texts, options: options, config: config, warn: Generate.report,
                                   onStart: { streamer?.put($0, write) }, onStep: { streamer?.put($0, write) },
                                   onEnd: { streamer?.end(write) }, checkInterrupt: Interrupt.check)
        let lists = try results.map { sequences in
            Value.list(PyList(try sequences.map { sequence in
                switch sequence {
                case .text(let text): return .dict(try PyDict([(.str("generated_text"), .str(text))]))
                case .tokenIDs(let ids): return .dict(try PyDict([(.str("generated_token_ids"), .list(PyList(ids.map(Value.int))))]))
                }
            }))
        }
        return batched ? .list(PyList(lists)) : lists[0]
    }
}

/// `generate`'s keyword arguments over a generation config, with the warnings transformers gives for them.
enum Generate {
    static let logger = Logger(label: "transformers.generation.utils")
    /// The warnings Python shows once per process (`warnings.warn`'s default filter, `logger.warning_once`).
    private static let shownOnce = Mutex<Set<String>>([])

    /// `base` with each of `given` (keyword name -> value) set.
    static func config(_ base: GenerationConfig, _ given: [String: Value]) throws -> GenerationConfig {
        var config = base
        for (key, value) in given { try config.set(key, json(value, key)) }
        return config
    }

    /// Logs a warning of `generate` as transformers words it.
    @Sendable static func report(_ warning: GenerationWarning) {
        switch warning {
        case .noAttentionMaskNorPadToken:
            logger.warning("The attention mask and the pad token id were not set. As a consequence, you may observe unexpected behavior. Please pass your input's `attention_mask` to obtain reliable results.")
        case .padTokenSetToEOS:
            logger.warning("Setting `pad_token_id` to `eos_token_id`:None for open-end generation.")
        case .attentionMaskNotInferable:
            once("The attention mask is not set and cannot be inferred from input because pad token is same as eos token. As a consequence, you may observe unexpected behavior. Please pass your input's `attention_mask` to obtain reliable results.")
        case .defaultMaxLength:
            once("UserWarning: Using the model-agnostic default `max_length` (=20) to control the generation length. We recommend setting `max_new_tokens` to control the maximum length of the generation.")
        case .bothLengths(let newTokens, let maxLength):
            logger.warning("Both `max_new_tokens` (=\(newTokens)) and `max_length`(=\(maxLength)) seem to have been set. `max_new_tokens` will take precedence. Please refer to the documentation for more information. (https://huggingface.co/docs/transformers/main/en/main_classes/text_generation)")
        }
    }

    private static func once(_ message: String) {
        if shownOnce.withLock({ $0.insert(message).inserted }) { logger.warning("\(message)") }
    }

    /// A keyword argument as the JSON value a generation config holds.
    private static func json(_ value: Value, _ key: String) throws -> JSONValue {
        switch value {
        case .none: return .null
        case .bool(let b): return .bool(b)
        case .int(let n): return .int(n)
        case .float(let x): return .double(x)
        case .list, .tuple: return .array(try Iteration.materialize(value).map { try json($0, key) })
        default: throw PyError.type("\(key) must be a number, a bool or a list of them, not \(value.typeName)")
        }
    }
}
