import Language
import Logging
import Models
import Pipelines
import PythonText
import Synchronization
import TensorCore

/// `generate`'s keyword arguments over a generation config, with the warnings transformers gives for them.
enum Generate {
    static let logger = Logger(label: "transformers.generation.utils")
    /// The warnings Python shows once per process (`warnings.warn`'s default filter, `logger.warning_once`).
    private static let shownOnce = Mutex<Set<String>>([])

    /// `generate`'s keyword arguments for its settings.
    static let keywords = GenerationConfig.Key.allCases.map(\.rawValue)

    /// The settings among bound arguments, in `keywords` order: keyword name -> value, for those given.
    static func given(_ arguments: ArraySlice<Value?>) -> [String: Value] {
        Dictionary(uniqueKeysWithValues: zip(keywords, arguments).compactMap { key, value in value.map { (key, $0) } })
    }

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

    /// A generated sequence as a pipeline returns it: `{text: ...}` or `{ids: ...}` (`generated_text` /
    /// `generated_token_ids` as a list, `summary_text` / `summary_token_ids` as a tensor).
    static func dict(_ sequence: GeneratedSequence, text: String, ids: String, idsAsTensor: Bool = false) throws -> Value {
        switch sequence {
        case .text(let value): return .dict(try PyDict([(.str(text), .str(value))]))
        case .tokenIDs(let value):
            let list = idsAsTensor ? Value.tensor(Tensor(ints: value.map(Int64.init), shape: [value.count])) : .list(PyList(value.map(Value.int)))
            return .dict(try PyDict([(.str(ids), list)]))
        }
    }

    /// A keyword argument as the JSON value a generation config holds.
    private static func json(_ value: Value, _ key: String) throws -> JSONValue {
        switch value {
        case .none: return .null
        case .bool(let b): return .bool(b)
        case .int(let n): return .int(n)
        case .float(let x): return .double(x)
        case .str(let s): return .string(s)
        case .list, .tuple: return .array(try Iteration.materialize(value).map { try json($0, key) })
        default: throw PyError.type("\(key) must be a number, a bool or a list of them, not \(value.typeName)")
        }
    }
}
