import Models
import TensorCore
import Tokenizers

/// `pipeline("feature-extraction")`: each text's `last_hidden_state`, `[1, tokens, dim]`.
public struct FeatureExtractionPipeline: PipelineTask {
    public static let info = TaskInfo(name: "feature-extraction", aliases: [], className: "FeatureExtractionPipeline",
                                      modelTask: .base, defaultCheckpoint: "distilbert/distilbert-base-cased",
                                      defaultRevision: "6ea8117")

    public let tokenizer: PreTrainedTokenizer
    public let model: LoadedModel

    public init(tokenizer: PreTrainedTokenizer, model: LoadedModel) {
        self.tokenizer = tokenizer
        self.model = model
    }

    public func preprocess(_ texts: [String], options: Void) throws -> BatchEncoding { try encodeBatch(texts) }

    public func postprocess(_ output: ModelOutput, _ features: BatchEncoding, options: Void) throws -> [Tensor] {
        guard let hidden = output["last_hidden_state"] else { throw ModelError("the model gave no last_hidden_state") }
        return try (0..<features.tokens.count).map { try hidden.view(at: [.slice(start: $0, stop: $0 + 1, step: nil)]) }
    }
}
