import Foundation
import Logging
import Models
import Tokenizers

/// A text's candidate labels, most likely first: `{'sequence': ..., 'labels': [...], 'scores': [...]}`.
public struct ZeroShotResult: Sendable, Equatable {
    public let sequence: String
    public let labels: [String]
    /// The float32 probabilities, widened exactly to doubles.
    public let scores: [Double]
}

/// `pipeline("zero-shot-classification")`: each candidate label becomes a hypothesis (`This example is {}.`) that
/// an NLI model weighs against the text; the label's score is its entailment's.
public struct ZeroShotClassificationPipeline: PipelineTask {
    public static let info = TaskInfo(name: "zero-shot-classification", aliases: [], className: "ZeroShotClassificationPipeline",
                                      modelTask: .sequenceClassification, defaultCheckpoint: "facebook/bart-large-mnli",
                                      defaultRevision: "d7645e1",
                                      isChunkPipeline: true)

    public let tokenizer: PreTrainedTokenizer
    public let model: LoadedModel
    private let logger = Logger(label: "transformers.pipelines.zero_shot_classification")

    public init(tokenizer: PreTrainedTokenizer, model: LoadedModel) {
        self.tokenizer = tokenizer
        self.model = model
    }

    /// The call's keyword arguments.
    public struct Options: Sendable {
        public var candidateLabels: [String]
        /// Where the label goes: `{}`.
        public var hypothesisTemplate = "This example is {}."
        /// Labels scored independently (entailment against contradiction) rather than against each other.
        public var multiLabel = false

        public init(candidateLabels: [String]) { self.candidateLabels = candidateLabels }
    }

    /// The encoded (text, hypothesis) pairs, a row per label per text, and the texts.
    public struct Features: PipelineFeatures {
        public let encoding: BatchEncoding
        let texts: [String]
    }

    /// The label whose name starts with `entail` in `label2id` (-1, the last, when there is none, as transformers).
    public var entailmentID: Int {
        model.config.label2id.filter { $0.key.lowercased().hasPrefix("entail") }.map(\.value).min() ?? -1
    }

    public func preprocess(_ texts: [String], options: Options) throws -> Features {
        let labels = options.candidateLabels
        guard !labels.isEmpty, !texts.isEmpty else { throw ModelError("You must include at least one label and at least one sequence.") }
        guard options.hypothesisTemplate.contains("{}") else {
            throw ModelError("The provided hypothesis_template \"\(options.hypothesisTemplate)\" was not able to be formatted with the target labels. Make sure the passed template includes formatting syntax such as {} where the label should go.")
        }
        if entailmentID == -1 {
            logger.warning("Failed to determine 'entailment' label id from the label2id mapping in the model config. Setting to -1. Define a descriptive label2id mapping in the model config to ensure correct outputs.")
        }
        let premises = texts.flatMap { text in labels.map { _ in text } }
        let hypotheses = texts.flatMap { _ in labels.map { options.hypothesisTemplate.replacingOccurrences(of: "{}", with: $0) } }
        var encodingOptions = EncodingOptions()
        encodingOptions.returnTensors = true
        encodingOptions.padding = .longest
        encodingOptions.truncation = .onlyFirst
        do {
            return Features(encoding: try tokenizer.encode(premises, pairs: hypotheses, options: encodingOptions), texts: texts)
        } catch let error as TokenizerError where error == .sequenceTooShort {
            encodingOptions.truncation = .doNotTruncate   // the hypothesis alone is too long to cut the text: keep both whole
            return Features(encoding: try tokenizer.encode(premises, pairs: hypotheses, options: encodingOptions), texts: texts)
        }
    }

    public func postprocess(_ output: ModelOutput, _ features: Features, options: Options) throws -> [ZeroShotResult] {
        guard let logits = output["logits"] else { throw ModelError("the model gave no logits") }
        let labels = options.candidateLabels
        let classes = logits.shape.last ?? 0
        func column(_ i: Int) -> Int { i < 0 ? i + classes : i }
        let entailment = column(entailmentID), contradiction = column(entailmentID == 0 ? -1 : 0)
        return try features.texts.indices.map { t in
            let rows = try labels.indices.map { try logits.view(at: [.at(t * labels.count + $0)]).floats() }
            let scores: [Float]
            if options.multiLabel || labels.count == 1 {
                scores = rows.map { Self.normalizedExp([$0[contradiction], $0[entailment]])[1] }
            } else {
                scores = Self.normalizedExp(rows.map { $0[entailment] })
            }
            let order = Scores.top(labels.count, of: scores)
            return ZeroShotResult(sequence: features.texts[t], labels: order.map { labels[$0] }, scores: order.map { Double(scores[$0]) })
        }
    }

    /// `exp(x) / exp(x).sum()` in float32, without the max shift, as the pipeline's numpy.
    private static func normalizedExp(_ x: [Float]) -> [Float] {
        let e = x.map { expf($0) }
        let total = e.reduce(0, +)
        return e.map { $0 / total }
    }
}
