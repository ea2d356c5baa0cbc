import Models
import Tokenizers

/// One generated sequence: its text (`generated_text`), or its token ids with `return_tensors=True`.
public enum GeneratedSequence: Sendable, Equatable {
    case text(String)
    case tokenIDs([Int])
}

/// `pipeline("text-generation")`: each prompt continued by a causal language model, as transformers'
/// `TextGenerationPipeline` runs `generate` and decodes what it made.
public struct TextGenerationPipeline: Sendable {
    public static let info = TaskInfo(name: "text-generation", aliases: [], className: "TextGenerationPipeline", modelTask: .causalLM,
                                      defaultCheckpoint: "openai-community/gpt2", defaultRevision: "607a30d")

    public let tokenizer: PreTrainedTokenizer
    public let model: LoadedModel
    /// The pipeline's copy of the model's generation settings, with the config's `task_specific_params` for the
    /// task (GPT-2's `do_sample` and `max_length` of 50) and the tokenizer's padding token when the model sets none;
    /// each call's keyword arguments override it.
    public let generationConfig: GenerationConfig
    /// The prefix `task_specific_params` gives, put before every prompt unless a call gives its own.
    public let prefix: String

    public init(tokenizer: PreTrainedTokenizer, model: LoadedModel) throws {
        self.tokenizer = tokenizer
        self.model = model
        (generationConfig, prefix) = try model.generationConfig(forTask: Self.info.name, tokenizer: tokenizer)
    }

    /// The call's keyword arguments besides the generation settings.
    public struct Options: Sendable {
        /// The prompt and its continuation (`return_full_text=True`), or the continuation alone.
        public var returnFullText = true
        /// The token ids instead of text (`return_tensors=True`).
        public var returnTensors = false
        public var cleanUpTokenizationSpaces = true
        /// Text put before each prompt for the model, not returned.
        public var prefix = ""
        /// `max_length=` as given: it also caps the prompt, which the tokenizer truncates to it (and warns).
        public var maxLength: Int?
        /// Whether `min_length=` was given: a prefix then lengthens it too.
        public var minLengthGiven = false

        public init() {}
    }

    /// For each prompt, `num_return_sequences` sequences; a streamer sees each prompt's ids (`onStart`), each new
    /// token of each sequence (`onStep`) and the end of each prompt's generation (`onEnd`); `warn` gets the
    /// warnings of each `generate`.
    public func callAsFunction(_ prompts: [String], options: Options, config: GenerationConfig,
                               warn: @escaping (GenerationWarning) -> Void = { _ in }, onStart: ([Int]) throws -> Void = { _ in },
                               onStep: ([Int]) throws -> Void = { _ in }, onEnd: () throws -> Void = {},
                               checkInterrupt: () throws -> Void = {}) throws -> [[GeneratedSequence]] {
        guard case .causal(let causalLM)? = model.generating else {
            throw PipelineError("The model '\(model.className)' is not supported for text-generation.")
        }
        var generator = Generator(model: .causal(causalLM), config: lengthened(config, options))
        generator.maxLengthGiven = options.maxLength != nil
        generator.warn = warn
        return try prompts.map { prompt in
            var encoding = EncodingOptions()
            encoding.maxLength = options.maxLength
            var ids = try tokenizer.encode([options.prefix + prompt], batched: false, options: encoding)["input_ids"]?.rows().first ?? []
            if ids.isEmpty {  // an empty prompt starts from the beginning token
                guard let bos = config.bosTokenID else { throw PipelineError("an empty prompt needs a bos_token_id to start from") }
                ids = [bos]
            }
            try onStart(ids)
            let sequences = try generator.generate([ids], mask: [ids.map { _ in 1 }], onStep: onStep, checkInterrupt: checkInterrupt)
            try onEnd()
            return sequences.map { decoded($0, promptIDs: ids, prompt: prompt, options: options) }
        }
    }

    /// `config` with the prefix's tokens added to `max_length` (unless `max_new_tokens` is set) and to a given
    /// `min_length` (unless `min_new_tokens` is), as transformers' `_forward` does.
    private func lengthened(_ config: GenerationConfig, _ options: Options) -> GenerationConfig {
        guard !options.prefix.isEmpty else { return config }
        let prefixLength = tokenizer.ids(options.prefix).count
        var out = config
        if config.maxNewTokens == nil { out.maxLength = (options.maxLength ?? config.maxLength).saturatingAdd(prefixLength) }
        if config.minNewTokens == nil && options.minLengthGiven { out.minLength = config.minLength.saturatingAdd(prefixLength) }
        return out
    }

    /// A sequence as transformers' `postprocess` returns it: the text after the decoded prompt, after `prompt` too
    /// with `return_full_text`. `promptIDs` are the ids the generation started from (the prefix's included).
    public func decoded(_ sequence: [Int], promptIDs: [Int], prompt: String, options: Options) -> GeneratedSequence {
        if options.returnTensors { return .tokenIDs(sequence) }
        let clean = options.cleanUpTokenizationSpaces
        // lengths in code points, as Python's len() counts them
        let text = tokenizer.decode(sequence, skipSpecialTokens: true, cleanUpTokenizationSpaces: clean).unicodeScalars
        let promptLength = tokenizer.decode(promptIDs, skipSpecialTokens: true, cleanUpTokenizationSpaces: clean).unicodeScalars.count
        let continuation = String(String.UnicodeScalarView(text.dropFirst(promptLength)))
        return .text(options.returnFullText ? prompt + continuation : continuation)
    }
}

extension LoadedModel {
    /// A generating pipeline's settings for `task`: the model's generation config with the config's
    /// `task_specific_params` for the task over it (GPT-2's `do_sample` and `max_length`, distilbart-cnn's beams and
    /// lengths) and the tokenizer's padding token when the model sets none, as transformers' `Pipeline.__init__`
    /// makes them; and the task's `prefix`, if it gives one.
    func generationConfig(forTask task: String, tokenizer: PreTrainedTokenizer) throws -> (GenerationConfig, prefix: String) {
        var config = generationConfig
        let parameters = self.config.field("task_specific_params")?.object?[task]?.object ?? [:]
        for (key, value) in parameters where key != "prefix" { try config.set(key, value) }
        if config.padTokenID == nil, let pad = tokenizer.padID { config.padTokenID = pad }
        return (config, parameters["prefix"]?.string ?? "")
    }
}
