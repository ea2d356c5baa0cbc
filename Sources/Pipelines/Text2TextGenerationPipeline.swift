import Logging
import Models
import Tokenizers

/// transformers' `Text2TextGenerationPipeline` family: each text rewritten by an encoder-decoder (`generate` with the
/// model's settings for the task: beams, lengths, banned repeats), after the task's prefix (T5's `summarize: `,
/// `translate English to French: `). `pipeline("summarization")` and `pipeline("translation_en_to_fr")` are two
/// kinds of it, which differ in their defaults, their result keys and the lengths they warn about.
public struct Text2TextGenerationPipeline: Sendable {
    /// One text-to-text task.
    public enum Kind: Sendable {
        case summarization, translation

        public var info: TaskInfo {
            switch self {
            case .summarization:
                TaskInfo(name: "summarization", aliases: [], className: "SummarizationPipeline", modelTask: .seq2seqLM,
                         defaultCheckpoint: "sshleifer/distilbart-cnn-12-6", defaultRevision: "a4f8f3e")
            case .translation:
                TaskInfo(name: "translation", aliases: [], className: "TranslationPipeline", modelTask: .seq2seqLM,
                         languagePairDefaults: ["en_to_fr", "en_to_de", "en_to_ro"].map { ($0, "google-t5/t5-base", "a9723ea") })
            }
        }

        /// transformers' `return_name`: the results' keys are `NAME_text` and `NAME_token_ids`.
        public var returnName: String {
            switch self {
            case .summarization: "summary"
            case .translation: "translation"
            }
        }
    }

    public let kind: Kind
    public let tokenizer: PreTrainedTokenizer
    public let model: LoadedModel
    /// The model's generation settings with its `task_specific_params[task]`; calls override them.
    public let generationConfig: GenerationConfig
    /// Put before each text, from the task's parameters.
    public let prefix: String
    private let logger = Logger(label: "transformers.pipelines.text2text_generation")

    /// The pipeline for `task` as named (`summarization`, `translation_en_to_fr`: the key of the model's
    /// `task_specific_params` it reads).
    public init(_ kind: Kind, task: String, tokenizer: PreTrainedTokenizer, model: LoadedModel) throws {
        self.kind = kind
        self.tokenizer = tokenizer
        self.model = model
        (generationConfig, prefix) = try model.generationConfig(forTask: task, tokenizer: tokenizer)
    }

    /// For each text, `num_return_sequences` outputs: their text (`skip_special_tokens`, cleaned up if asked), or
    /// their token ids with `returnTensors`.
    public func callAsFunction(_ texts: [String], config: GenerationConfig, maxLengthGiven: Bool = false, returnTensors: Bool = false, cleanUp: Bool = false,
                               warn: @escaping (GenerationWarning) -> Void = { _ in },
                               checkInterrupt: () throws -> Void = {}) throws -> [[GeneratedSequence]] {
        guard case .seq2seq(let seq2seq)? = model.generating else {
            throw PipelineError("The model '\(model.className)' is not supported for \(kind.info.name).")
        }
        var generator = Generator(model: .seq2seq(seq2seq), config: config)
        generator.warn = warn
        generator.maxLengthGiven = maxLengthGiven
        return try texts.map { text in
            let ids = try encoded(prefix + text)
            checkLengths(input: ids.count, config: config)
            return try generator.generate([ids], checkInterrupt: checkInterrupt).map { sequence in
                returnTensors ? .tokenIDs(sequence) : .text(tokenizer.decode(sequence, skipSpecialTokens: true, cleanUpTokenizationSpaces: cleanUp))
            }
        }
    }

    /// The text's ids with the special tokens, not truncated (transformers' default for these tasks).
    private func encoded(_ text: String) throws -> [Int] {
        try tokenizer.encode([text], batched: false)["input_ids"]?.rows().first ?? []
    }

    /// transformers' `check_inputs`: warnings when the lengths asked for do not suit the task.
    private func checkLengths(input: Int, config: GenerationConfig) {
        switch kind {
        case .summarization:
            if config.maxLength < config.minLength {
                logger.warning("Your min_length=\(config.minLength) must be inferior than your max_length=\(config.maxLength).")
            }
            if input < config.maxLength {
                logger.warning("Your max_length is set to \(config.maxLength), but your input_length is only \(input). Since this is a summarization task, where outputs shorter than the input are typically wanted, you might consider decreasing max_length manually, e.g. summarizer('...', max_length=\(input / 2))")
            }
        case .translation:
            if Double(input) > 0.9 * Double(config.maxLength) {
                logger.warning("Your input_length: \(input) is bigger than 0.9 * max_length: \(config.maxLength). You might consider increasing your max_length manually, e.g. translator('...', max_length=400)")
            }
        }
    }
}
