import Models
import Tokenizers

/// One entity: a token (`aggregation_strategy="none"`: `{'entity': 'B-PER', 'score': ..., 'index': 4, 'word': ...,
/// 'start': 11, 'end': 18}`) or a group of them (`{'entity_group': 'PER', 'score': ..., 'word': ..., 'start': ...,
/// 'end': ...}`).
public struct TokenEntity: Sendable, Equatable {
    /// The label (`B-PER`), or the group's (`PER`).
    public let label: String
    /// The float32 score, which transformers gives as a numpy float32.
    public let score: Float
    /// The token's index in the encoding; nil for a group.
    public let index: Int?
    public let word: String
    /// Where it lies in the text, in code points.
    public let start: Int, end: Int
}

/// `pipeline("ner")` / `"token-classification"`: a label per token, or entities grouped from them.
public struct TokenClassificationPipeline: PipelineTask {
    public static let info = TaskInfo(name: "token-classification", aliases: ["ner"], className: "TokenClassificationPipeline",
                                      modelTask: .tokenClassification,
                                      defaultCheckpoint: "dbmdz/bert-large-cased-finetuned-conll03-english", defaultRevision: "4c53496",
                                      isChunkPipeline: true)

    public let tokenizer: PreTrainedTokenizer
    public let model: LoadedModel

    public init(tokenizer: PreTrainedTokenizer, model: LoadedModel) {
        self.tokenizer = tokenizer
        self.model = model
    }

    /// `aggregation_strategy`: how tokens become entities.
    public enum Aggregation: String, Sendable, CaseIterable {
        /// Every token with its best label.
        case none
        /// Adjacent tokens with the same entity grouped, their scores averaged.
        case simple
        /// Each word takes the label of its first token, its highest-scoring token, or its averaged scores, then
        /// words are grouped as `simple` groups tokens.
        case first, max, average
    }

    /// The call's keyword arguments.
    public struct Options: Sendable {
        public var aggregation: Aggregation
        /// Labels left out of the results.
        public var ignoreLabels: [String]

        public init(aggregation: Aggregation = .none, ignoreLabels: [String] = ["O"]) {
            (self.aggregation, self.ignoreLabels) = (aggregation, ignoreLabels)
        }
    }

    /// The encoding and the texts, whose characters the entities' words and offsets refer to.
    public struct Features: PipelineFeatures {
        public let encoding: BatchEncoding
        let texts: [String]
    }

    public func preprocess(_ texts: [String], options: Options) throws -> Features {
        Features(encoding: try encodeBatch(texts, truncation: tokenizer.modelMaxLength != nil), texts: texts)
    }

    /// Per text, its entities in order.
    public func postprocess(_ output: ModelOutput, _ features: Features, options: Options) throws -> [[TokenEntity]] {
        guard let logits = output["logits"] else { throw ModelError("the model gave no logits") }
        let ids = try features.encoding.ids()
        return try features.texts.indices.map { row in
            let text = Array(features.texts[row].unicodeScalars)
            let tokens = try ids[row].indices.compactMap { i -> Token? in
                guard features.encoding.sequenceIDs[row][i] != nil else { return nil }  // special and padding tokens
                let scores = Scores.softmax(try logits.view(at: [.at(row), .at(i)]).floats())
                return token(i, id: ids[row][i], scores: scores, offsets: features.encoding.offsets[row][i], text: text)
            }
            return entities(tokens, options.aggregation).filter { !options.ignoreLabels.contains($0.label) }
        }
    }

    /// A token with its scores over the labels (`gather_pre_entities`).
    struct Token {
        let index: Int
        let word: String
        let scores: [Float]
        let offsets: Range<Int>
        /// Whether it continues the word before it.
        let isSubword: Bool
    }

    private func token(_ index: Int, id: Int, scores: [Float], offsets: Range<Int>, text: [Unicode.Scalar]) -> Token {
        let reference = String(String.UnicodeScalarView(text[offsets.clamped(to: text.indices)]))
        let word = tokenizer.token(forID: id) ?? tokenizer.specialTokens[.unknown] ?? ""
        if id == tokenizer.unknownID { return Token(index: index, word: reference, scores: scores, offsets: offsets, isSubword: false) }
        // a piece whose token is longer than its text carries the continuing prefix (`##`)
        return Token(index: index, word: word, scores: scores, offsets: offsets,
                     isSubword: word.unicodeScalars.count != reference.unicodeScalars.count)
    }

    /// The entities of a text's tokens (`aggregate`).
    func entities(_ tokens: [Token], _ aggregation: Aggregation) -> [TokenEntity] {
        switch aggregation {
        case .none:
            return tokens.map { t in
                let best = Scores.argmax(t.scores)
                return TokenEntity(label: label(best), score: t.scores[best], index: t.index, word: t.word,
                                   start: t.offsets.lowerBound, end: t.offsets.upperBound)
            }
        case .simple: return grouped(entities(tokens, .none))
        case .first, .max, .average: return grouped(words(tokens).map { word($0, aggregation) })
        }
    }

    /// Tokens gathered into words: a subword joins the word before it.
    private func words(_ tokens: [Token]) -> [[Token]] {
        var words = [[Token]]()
        for t in tokens {
            if t.isSubword, !words.isEmpty { words[words.count - 1].append(t) } else { words.append([t]) }
        }
        return words
    }

    /// One word's entity (`aggregate_word`).
    private func word(_ tokens: [Token], _ aggregation: Aggregation) -> TokenEntity {
        let scores: [Float]
        switch aggregation {
        case .max: scores = tokens.max { $0.scores.max()! < $1.scores.max()! }.map(\.scores) ?? tokens[0].scores
        case .average: scores = tokens[0].scores.indices.map { l in tokens.reduce(0) { $0 + $1.scores[l] } / Float(tokens.count) }
        default: scores = tokens[0].scores
        }
        let best = Scores.argmax(scores)
        return TokenEntity(label: label(best), score: scores[best], index: nil,
                           word: tokenizer.convertTokensToString(tokens.map(\.word)),
                           start: tokens[0].offsets.lowerBound, end: tokens[tokens.count - 1].offsets.upperBound)
    }

    /// Adjacent entities of the same tag grouped, a `B-` starting a new group (`group_entities`).
    private func grouped(_ entities: [TokenEntity]) -> [TokenEntity] {
        var groups = [[TokenEntity]]()
        for e in entities {
            let (begins, tag) = Self.tag(e.label)
            if let last = groups.last?.last, !begins, tag == Self.tag(last.label).tag {
                groups[groups.count - 1].append(e)
            } else {
                groups.append([e])
            }
        }
        return groups.map { g in
            TokenEntity(label: String(g[0].label.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false).last!), score: g.reduce(0) { $0 + $1.score } / Float(g.count), index: nil,
                        word: tokenizer.convertTokensToString(g.map(\.word)), start: g[0].start, end: g[g.count - 1].end)
        }
    }

    /// `B-PER` -> (begins, `PER`); `I-PER` and a bare `PER` continue.
    private static func tag(_ label: String) -> (begins: Bool, tag: String) {
        if label.hasPrefix("B-") { return (true, String(label.dropFirst(2))) }
        if label.hasPrefix("I-") { return (false, String(label.dropFirst(2))) }
        return (false, label)
    }

    private func label(_ index: Int) -> String { model.config.id2label[index] ?? "LABEL_\(index)" }
}
