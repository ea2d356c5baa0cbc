import Logging
import Models
import Tokenizers

/// One proposal for a mask: `{'score': 0.19, 'token': 2535, 'token_str': 'role', 'sequence': '...'}`.
public struct FillMaskResult: Sendable, Equatable {
    /// The float32 probability, widened exactly to a double.
    public let score: Double
    public let token: Int
    /// The token decoded alone.
    public let tokenStr: String
    /// The input with the mask replaced by the token, decoded.
    public let sequence: String
}

/// `pipeline("fill-mask")`: for each mask token of each text, the most likely tokens in its place.
public struct FillMaskPipeline: PipelineTask {
    public static let info = TaskInfo(name: "fill-mask", aliases: [], className: "FillMaskPipeline", modelTask: .maskedLM,
                                      defaultCheckpoint: "distilbert/distilroberta-base", defaultRevision: "fb53ab8")

    public let tokenizer: PreTrainedTokenizer
    public let model: LoadedModel
    /// transformers' pipelines logger, for its warnings about targets.
    private let logger = Logger(label: "transformers.pipelines.fill_mask")

    public init(tokenizer: PreTrainedTokenizer, model: LoadedModel) {
        self.tokenizer = tokenizer
        self.model = model
    }

    /// The call's keyword arguments.
    public struct Options: Sendable {
        /// How many proposals per mask (capped at the number of targets).
        public var topK = 5
        /// `targets=`: the token ids to choose from (`targetIDs(_:)`); nil for the whole vocabulary.
        public var targets: [Int]?

        public init(topK: Int = 5, targets: [Int]? = nil) { (self.topK, self.targets) = (topK, targets) }
    }

    /// The mask token's id, or transformers' error when the tokenizer has none.
    public func maskID() throws -> Int {
        guard let id = tokenizer.specialTokens[.mask].flatMap(tokenizer.vocabulary.id) else {
            throw PipelineError("The tokenizer does not define a `mask_token`.")
        }
        return id
    }

    /// The ids of `targets`, as transformers finds them: a token of the vocabulary as is, else the first token of
    /// its encoding (with a warning), else left out (with a warning); each id once.
    public func targetIDs(_ targets: [String]) throws -> [Int] {
        var ids = Set<Int>()
        for target in targets {
            if let id = tokenizer.vocabulary.id(target) { ids.insert(id); continue }
            guard let first = tokenizer.ids(target).first else {
                logger.warning("The specified target token `\(target)` does not exist in the model vocabulary. We cannot replace it with anything meaningful, ignoring it")
                continue
            }
            logger.warning("The specified target token `\(target)` does not exist in the model vocabulary. Replacing with `\(tokenizer.token(forID: first) ?? "")`.")
            ids.insert(first)
        }
        guard !ids.isEmpty else { throw ModelError("At least one target must be provided when passed.") }
        return ids.sorted()
    }

    public func preprocess(_ texts: [String], options: Options) throws -> BatchEncoding {
        let encoding = try encodeBatch(texts)
        let mask = try maskID()
        for row in try encoding.ids() where !row.contains(mask) {
            throw PipelineError("No mask_token (\(tokenizer.specialTokens[.mask] ?? "None")) found on the input")
        }
        return encoding
    }

    /// Per text, per mask token in it, the proposals best first.
    public func postprocess(_ output: ModelOutput, _ features: BatchEncoding, options: Options) throws -> [[[FillMaskResult]]] {
        guard let logits = output["logits"] else { throw ModelError("the model gave no logits") }
        let mask = try maskID()
        return try features.ids().enumerated().map { i, ids in
            let masks = ids.indices.filter { ids[$0] == mask }
            return try masks.map { position in
                let probabilities = Scores.softmax(try logits.view(at: [.at(i), .at(position)]).floats())
                let candidates = options.targets ?? Array(probabilities.indices)
                let best = Scores.top(min(options.topK, candidates.count), of: candidates.map { probabilities[$0] })
                return best.map { proposal(candidates[$0], score: probabilities[candidates[$0]], at: position, in: ids, singleMask: masks.count == 1) }
            }
        }
    }

    /// `token` in place of the mask at `position`: the sequence decoded without padding (and without the special
    /// tokens when the text has one mask; with several, the other masks stay visible).
    private func proposal(_ token: Int, score: Float, at position: Int, in ids: [Int], singleMask: Bool) -> FillMaskResult {
        var filled = ids
        filled[position] = token
        let sequence = tokenizer.decode(filled.filter { $0 != tokenizer.padID }, skipSpecialTokens: singleMask)
        return FillMaskResult(score: Double(score), token: token, tokenStr: tokenizer.decode([token]), sequence: sequence)
    }
}
