import Logging
import Models
import Tokenizers

/// `pipeline("summarization")`: each text rewritten shorter by an encoder-decoder (`generate` with the model's
/// summarization settings: beams, lengths, banned repeats), as transformers' `SummarizationPipeline` does.
public struct SummarizationPipeline: Sendable {
    public static let info = TaskInfo(name: "summarization", aliases: [], className: "SummarizationPipeline", modelTask: .seq2seqLM,
                                      defaultCheckpoint: "sshleifer/distilbart-cnn-12-6", defaultRevision: "a4f8f3e")

    public let tokenizer: PreTrainedTokenizer
    public let model: LoadedModel
    /// The model's generation settings with its `task_specific_params["summarization"]`; calls override them.
    public let generationConfig: GenerationConfig
    /// Put before each text (T5's `summarize: `), from the task's parameters.
    public let prefix: String
    private let logger = Logger(label: "transformers.pipelines.text2text_generation")

    public init(tokenizer: PreTrainedTokenizer, model: LoadedModel) throws {
        self.tokenizer = tokenizer
        self.model = model
        (generationConfig, prefix) = try model.generationConfig(for: Self.info, tokenizer: tokenizer)
    }

    /// For each text, `num_return_sequences` summaries: their text (`skip_special_tokens`, cleaned up if asked),
    /// or their token ids with `returnTensors`.
    public func callAsFunction(_ texts: [String], config: GenerationConfig, maxLengthGiven: Bool = false, returnTensors: Bool = false, cleanUp: Bool = false,
                               warn: @escaping (GenerationWarning) -> Void = { _ in },
                               checkInterrupt: () throws -> Void = {}) throws -> [[GeneratedSequence]] {
        guard case .seq2seq(let seq2seq)? = model.generating else {
            throw PipelineError("The model '\(model.className)' is not supported for summarization.")
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

    /// The text's ids with the special tokens, not truncated (transformers' default for the task).
    private func encoded(_ text: String) throws -> [Int] {
        try tokenizer.encode([text], batched: false)["input_ids"]?.rows().first ?? []
    }

    /// transformers' `check_inputs`: warnings when the lengths asked for do not suit a summary.
    private func checkLengths(input: Int, config: GenerationConfig) {
        if config.maxLength < config.minLength {
            logger.warning("Your min_length=\(config.minLength) must be inferior than your max_length=\(config.maxLength).")
        }
        if input < config.maxLength {
            logger.warning("Your max_length is set to \(config.maxLength), but your input_length is only \(input). Since this is a summarization task, where outputs shorter than the input are typically wanted, you might consider decreasing max_length manually, e.g. summarizer('...', max_length=\(input / 2))")
        }
    }
}
