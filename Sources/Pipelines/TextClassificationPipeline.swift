import Foundation
import Models
import Tokenizers

/// One prediction: `{'label': 'POSITIVE', 'score': 0.9598047137260437}`.
public struct ClassificationResult: Sendable, Equatable {
    public let label: String
    /// The float32 probability, widened exactly to a double (as `score.item()` gives it).
    public let score: Double
}

/// `pipeline("text-classification")` / `"sentiment-analysis"`: each text's labels with their probabilities.
public struct TextClassificationPipeline: PipelineTask {
    public static let info = TaskInfo(name: "text-classification", aliases: ["sentiment-analysis"],
                                      className: "TextClassificationPipeline", modelTask: .sequenceClassification,
                                      defaultCheckpoint: "distilbert/distilbert-base-uncased-finetuned-sst-2-english",
                                      defaultRevision: "714eb0f")

    public let tokenizer: PreTrainedTokenizer
    public let model: LoadedModel

    public init(tokenizer: PreTrainedTokenizer, model: LoadedModel) {
        self.tokenizer = tokenizer
        self.model = model
    }

    /// How many labels to return: transformers' legacy default (the best one, not in a list), a number, all by
    /// score, or all in the config's label order (the deprecated `return_all_scores=True`).
    public enum TopK: Sendable, Equatable {
        case legacy
        case count(Int)
        case all
        case allInLabelOrder
    }

    /// `function_to_apply`: how logits become scores (`"none"`: the logits themselves).
    public enum ScoreFunction: String, Sendable {
        case softmax, sigmoid, identity = "none"
    }

    /// The call's keyword arguments.
    public struct Options: Sendable {
        public var topK: TopK
        /// `truncation=True`: texts longer than the model takes are cut to `model_max_length` (or `maxLength`).
        public var truncation: Bool
        /// `max_length=`, passed to the tokenizer.
        public var maxLength: Int?
        /// nil: sigmoid for a single label, else softmax, as transformers chooses.
        public var function: ScoreFunction?

        public init(topK: TopK = .legacy, truncation: Bool = false, function: ScoreFunction? = nil) {
            (self.topK, self.truncation, self.function) = (topK, truncation, function)
        }
    }

    public func preprocess(_ texts: [String], options: Options) throws -> BatchEncoding {
        try encodeBatch(texts, truncation: options.truncation, maxLength: options.maxLength)
    }

    /// Per text, its labels sorted by score (one for `.legacy`).
    public func postprocess(_ output: ModelOutput, _ features: BatchEncoding, options: Options) throws -> [[ClassificationResult]] {
        guard let logits = output["logits"] else { throw ModelError("the model gave no logits") }
        return try (0..<features.tokens.count).map { try rank(try logits.view(at: [.at($0)]).floats(), options) }
    }

    /// Scores one row of logits (softmax, sigmoid or as they are) in float32, as the pipeline's numpy code.
    private func rank(_ logits: [Float], _ options: Options) throws -> [ClassificationResult] {
        let topK = options.topK
        let scores: [Float]
        switch options.function ?? (logits.count == 1 ? .sigmoid : .softmax) {
        case .identity: scores = logits
        case .sigmoid: scores = Scores.sigmoid(logits)
        case .softmax: scores = Scores.softmax(logits)
        }
        let labels = model.config.id2label
        let all = scores.enumerated().map { ClassificationResult(label: labels[$0.offset] ?? "LABEL_\($0.offset)", score: Double($0.element)) }
        switch topK {
        case .legacy:
            let best = scores.max()!
            return [all[scores.firstIndex(of: best)!]]
        case .count(let k):
            return Array(all.sorted { $0.score > $1.score }.prefix(Swift.max(k, 0)))
        case .all:
            return all.sorted { $0.score > $1.score }
        case .allInLabelOrder:
            return all
        }
    }
}
