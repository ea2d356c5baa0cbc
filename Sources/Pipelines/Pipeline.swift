import Foundation
import Hub
import Models
import TensorCore
import Tokenizers

/// `pipeline(task, model=..., tokenizer=...)`: a tokenizer and a model behind one call, as transformers has it.
public enum Pipeline {
    /// The tasks sbpl has, with their aliases.
    public enum Task: String, Sendable {
        case textClassification = "text-classification"
        case featureExtraction = "feature-extraction"

        /// `"sentiment-analysis"` is an alias of text classification.
        public init?(name: String) {
            self.init(rawValue: name == "sentiment-analysis" ? "text-classification" : name)
        }

        /// The revision transformers pins for the default checkpoint.
        public var defaultRevision: String { self == .textClassification ? "714eb0f" : "6ea8117" }

        /// The default checkpoint: at the pinned revision if a cache filled by transformers has it, else `main`
        /// (from the cache or the hub).
        public func locateDefault() throws -> Checkpoint {
            if let pinned = try? Checkpoint.locate(defaultCheckpoint, revision: defaultRevision, fetching: .offline) {
                return pinned
            }
            return try Checkpoint.locate(defaultCheckpoint)
        }

        /// The checkpoint transformers uses when no model is given.
        public var defaultCheckpoint: String {
            switch self {
            case .textClassification: return "distilbert/distilbert-base-uncased-finetuned-sst-2-english"
            case .featureExtraction: return "distilbert/distilbert-base-cased"
            }
        }
    }

    /// The error for a task name sbpl does not have.
    public static func unknownTask(_ name: String) -> ModelError {
        ModelError("Unknown task \(name), available tasks are ['feature-extraction', 'sentiment-analysis', 'text-classification']")
    }
}

/// One prediction: `{'label': 'POSITIVE', 'score': 0.9598047137260437}`.
public struct ClassificationResult: Sendable, Equatable {
    public let label: String
    /// The float32 probability, widened exactly to a double (as `score.item()` gives it).
    public let score: Double
}

/// `pipeline("text-classification")` / `"sentiment-analysis"`.
public struct TextClassificationPipeline: Sendable {
    public let tokenizer: PreTrainedTokenizer
    public let model: LoadedModel

    public init(tokenizer: PreTrainedTokenizer, model: LoadedModel) {
        self.tokenizer = tokenizer
        self.model = model
    }

    /// How many labels to return: transformers' legacy default (the best one, not in a list), a number, or all.
    public enum TopK: Sendable, Equatable {
        case legacy
        case count(Int)
        case all
    }

    /// Scores each text; `batchSize` texts are padded together per forward pass (1 by default, as transformers).
    /// Returns, per text, its labels sorted by score (one for `.legacy`).
    public func callAsFunction(_ texts: [String], topK: TopK = .legacy, batchSize: Int = 1,
                               checkInterrupt: () throws -> Void = {}) throws -> [[ClassificationResult]] {
        guard batchSize > 0 else { throw ModelError("batch_size must be a positive integer, got \(batchSize)") }
        var results = [[ClassificationResult]]()
        for start in stride(from: 0, to: texts.count, by: batchSize) {
            let batch = Array(texts[start..<Swift.min(start + batchSize, texts.count)])
            var options = EncodingOptions()
            options.returnTensors = true
            options.padding = batch.count > 1 ? .longest : .doNotPad
            let logits = try model(try modelInputs(tokenizer.encode(batch, options: options)), checkInterrupt: checkInterrupt)["logits"]!
            for row in 0..<batch.count {
                results.append(try rank(try logits.view(at: [.at(row)]).floats(), topK: topK))
            }
        }
        return results
    }

    /// Scores one row of logits with softmax (sigmoid for a single label) in float32, as the pipeline's numpy code.
    private func rank(_ logits: [Float], topK: TopK) throws -> [ClassificationResult] {
        let scores: [Float]
        if logits.count == 1 {
            scores = logits.map { 1 / (1 + expf(-$0)) }
        } else {
            let m = logits.max()!
            let e = logits.map { expf($0 - m) }
            let total = e.reduce(0, +)
            scores = e.map { $0 / total }
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
        }
    }
}

/// `pipeline("feature-extraction")`: each text's `last_hidden_state`, `[1, tokens, dim]`.
public struct FeatureExtractionPipeline: Sendable {
    public let tokenizer: PreTrainedTokenizer
    public let model: LoadedModel

    public init(tokenizer: PreTrainedTokenizer, model: LoadedModel) {
        self.tokenizer = tokenizer
        self.model = model
    }

    public func callAsFunction(_ texts: [String], checkInterrupt: () throws -> Void = {}) throws -> [Tensor] {
        var options = EncodingOptions()
        options.returnTensors = true
        return try texts.map { text in
            try model(try modelInputs(tokenizer.encode([text], options: options)), checkInterrupt: checkInterrupt)["last_hidden_state"]!
        }
    }
}

/// A BatchEncoding's fields as model inputs.
public func modelInputs(_ encoding: BatchEncoding) throws -> ModelInputs {
    guard let ids = encoding["input_ids"] else { throw ModelError("the encoding has no input_ids") }
    return ModelInputs(inputIDs: try ids.asTensor(), attentionMask: try encoding["attention_mask"]?.asTensor(),
                       tokenTypeIDs: try encoding["token_type_ids"]?.asTensor())
}
