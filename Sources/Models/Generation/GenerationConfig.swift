import Foundation
import Hub
import PythonText

/// transformers' `GenerationConfig`: how `generate` decodes, from the checkpoint's `generation_config.json` (or
/// its `config.json` when it has none), each setting overridable by `generate(...)`'s keyword arguments.
public struct GenerationConfig: Sendable {
    /// The longest output, prompt included (`max_length`), unless `maxNewTokens` is set.
    public var maxLength = 20
    public var maxNewTokens: Int?
    /// The shortest output, prompt included: the end token is not chosen before it.
    public var minLength = 0
    public var minNewTokens: Int?
    public var doSample = false
    public var temperature = 1.0
    public var topK = 50
    public var topP = 1.0
    public var repetitionPenalty = 1.0
    public var noRepeatNgramSize = 0
    public var numReturnSequences = 1
    /// Beam search's width (greedy or sampling at 1), its length penalty (scores divided by length to this power)
    /// and when it stops: once `num_beams` sequences ended (`true`), when no beam can beat them (`false`), or never
    /// before `max_length` (`"never"`).
    public var numBeams = 1
    public var lengthPenalty = 1.0
    public var earlyStopping = EarlyStopping.heuristic
    /// Tokens forced first (`forced_bos_token_id`) and last (`forced_eos_token_id`, at `max_length`).
    public var forcedBOSTokenID: Int?
    public var forcedEOSTokenID: Int?
    /// The token an encoder-decoder's decoder starts from.
    public var decoderStartTokenID: Int?
    public var bosTokenID: Int?
    /// The tokens that end a sequence (`eos_token_id`, an id or a list).
    public var eosTokenIDs: [Int] = []
    public var padTokenID: Int?
    /// Token sequences never generated (`bad_words_ids`; Marian's checkpoints ban their pad token so).
    public var badWordsIDs: [[Int]]?
    /// Whether the processed scores are log-softmaxed again (`renormalize_logits`, which opus-mt checkpoints set).
    public var renormalizeLogits = false

    /// The settings as read (generation_config.json's, or the generation fields of config.json), which
    /// `print(model.generation_config)` shows where they differ from the defaults.
    public private(set) var fields = JSONObject()

    public init() {}

    /// The settings `json` (generation_config.json or config.json) gives, over the defaults.
    public init(_ json: JSONObject) throws {
        for (key, value) in json { try set(key, value) }
        fields = json
    }

    /// The checkpoint's generation settings: generation_config.json, else the generation fields of its config
    /// (`GenerationConfig.from_model_config` keeps the names GenerationConfig has, null ones left out).
    public static func load(_ checkpoint: Checkpoint?, modelConfig: ModelConfig) throws -> GenerationConfig {
        if let url = try checkpoint?.optionalFile("generation_config.json") {
            return try GenerationConfig(JSONFile.jsonObject(at: url))
        }
        return try GenerationConfig(JSONObject(modelConfig.json.filter { defaults[$0.key] != nil && !$0.value.isNull }.map { ($0.key, $0.value) }))
    }

    /// The settings `set` understands, named as `generate`'s keyword arguments.
    public enum Key: String, CaseIterable, Sendable {
        case maxLength = "max_length", maxNewTokens = "max_new_tokens", minLength = "min_length", minNewTokens = "min_new_tokens",
             doSample = "do_sample", temperature, topK = "top_k", topP = "top_p", repetitionPenalty = "repetition_penalty",
             noRepeatNgramSize = "no_repeat_ngram_size", numReturnSequences = "num_return_sequences",
             bosTokenID = "bos_token_id", eosTokenID = "eos_token_id", padTokenID = "pad_token_id", numBeams = "num_beams",
             lengthPenalty = "length_penalty", earlyStopping = "early_stopping", forcedBOSTokenID = "forced_bos_token_id",
             forcedEOSTokenID = "forced_eos_token_id", decoderStartTokenID = "decoder_start_token_id",
             badWordsIDs = "bad_words_ids", renormalizeLogits = "renormalize_logits"
    }

    /// `early_stopping`: `True`, `False` or `"never"`.
    public enum EarlyStopping: Sendable, Equatable { case stopOnceEnough, heuristic, never }

    /// Sets `key` from a JSON value (a keyword argument of `generate`, a field of generation_config.json); names
    /// that are not a `Key` are left alone.
    public mutating func set(_ name: String, _ value: JSONValue) throws {
        guard let key = Key(rawValue: name) else { return }
        func int() throws -> Int {
            guard let n = value.int else { throw ModelError("\(name) must be an integer, got \(PythonJSON.dumps(value))") }
            return n
        }
        func number() throws -> Double {
            guard let x = value.number else { throw ModelError("\(name) must be a number, got \(PythonJSON.dumps(value))") }
            return x
        }
        func optionalInt() throws -> Int? { value.isNull ? nil : try int() }
        switch key {
        case .maxLength: maxLength = try int()
        case .maxNewTokens: maxNewTokens = try optionalInt()
        case .minLength: minLength = try int()
        case .minNewTokens: minNewTokens = try optionalInt()
        case .doSample: doSample = value.bool ?? (value.number.map { $0 != 0 } ?? false)
        case .temperature: temperature = try number()
        case .topK: topK = try int()
        case .topP: topP = try number()
        case .repetitionPenalty: repetitionPenalty = try number()
        case .noRepeatNgramSize: noRepeatNgramSize = try int()
        case .numReturnSequences: numReturnSequences = try int()
        case .numBeams: numBeams = try int()
        case .lengthPenalty: lengthPenalty = try number()
        case .earlyStopping:
            earlyStopping = value.string == "never" ? .never : (value.bool ?? (value.number.map { $0 != 0 } ?? false)) ? .stopOnceEnough : .heuristic
        case .forcedBOSTokenID: forcedBOSTokenID = try optionalInt()
        case .forcedEOSTokenID: forcedEOSTokenID = try optionalInt()
        case .decoderStartTokenID: decoderStartTokenID = try optionalInt()
        case .bosTokenID: bosTokenID = try optionalInt()
        case .padTokenID: padTokenID = try optionalInt()
        case .eosTokenID:
            if let ids = value.array { eosTokenIDs = try ids.map { try GenerationConfig.id($0, name) } } else { eosTokenIDs = try optionalInt().map { [$0] } ?? [] }
        case .badWordsIDs: badWordsIDs = value.isNull ? nil : try Self.badWords(value)
        case .renormalizeLogits: renormalizeLogits = value.bool ?? (value.number.map { $0 != 0 } ?? false)
        }
    }

    /// `bad_words_ids` checked as `NoBadWordsLogitsProcessor` checks it: a non-empty list of lists of non-negative ids.
    private static func badWords(_ value: JSONValue) throws -> [[Int]] {
        let shown = shownAsList(value)
        guard let words = value.array, !words.isEmpty else { throw ModelError("`bad_words_ids` has to be a non-empty list, but is \(shown).") }
        return try words.map { word in
            guard let ids = word.array else { throw ModelError("`bad_words_ids` has to be a list of lists, but is \(shown).") }
            return try ids.map { id in
                guard let n = id.int, n >= 0 else {
                    throw ModelError("Each list in `bad_words_ids` has to be a list of positive integers, but is \(shown).")
                }
                return n
            }
        }
    }

    /// A list as Python shows it in a message, on one line: `[[3, -1]]`.
    private static func shownAsList(_ value: JSONValue) -> String {
        guard let items = value.array else { return PythonJSON.dumps(value) }
        return "[" + items.map(shownAsList).joined(separator: ", ") + "]"
    }

    private static func id(_ value: JSONValue, _ key: String) throws -> Int {
        guard let n = value.int else { throw ModelError("\(key) must hold integers, got \(PythonJSON.dumps(value))") }
        return n
    }

    /// The checks `generate` makes before it starts, with transformers' messages.
    func validate() throws {
        guard maxNewTokens.map({ $0 > 0 }) ?? true else {
            throw ModelError("`max_new_tokens` must be greater than 0, but is \(maxNewTokens ?? 0).")
        }
        guard numReturnSequences >= 1 else { throw ModelError("num_return_sequences has to be a positive integer, got \(numReturnSequences)") }
        guard numBeams >= 1 else { throw ModelError("`num_beams` has to be a positive integer, but is \(numBeams)") }
        if numBeams > 1 {
            guard numReturnSequences <= numBeams else { throw ModelError("`num_return_sequences` has to be smaller or equal to `num_beams`.") }
        } else if !doSample && numReturnSequences > 1 {
            throw ModelError("Greedy methods without beam search do not support `num_return_sequences` different than 1 (got \(numReturnSequences)).")
        }
        if doSample {
            guard temperature > 0 else { throw ModelError("`temperature` (=\(temperature)) has to be a strictly positive float, otherwise your next token scores will be invalid. If you're looking for greedy decoding strategies, set `do_sample=False`.") }
            // top_p and top_k apply only below 1 and above 0, where transformers checks them
            guard topP >= 0 else { throw ModelError("`top_p` has to be a float > 0 and < 1, but is \(topP)") }
            guard topK >= 0 else { throw ModelError("`top_k` has to be a strictly positive integer, but is \(topK)") }
        }
        guard repetitionPenalty > 0 else { throw ModelError("`penalty` has to be a strictly positive float, but is \(repetitionPenalty)") }
    }
}
