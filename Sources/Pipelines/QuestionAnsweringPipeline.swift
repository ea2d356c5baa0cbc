import Models
import PythonText
import Tokenizers

/// A question about a context.
public struct QuestionAnsweringExample: Sendable, Equatable {
    public let question: String
    public let context: String

    public init(question: String, context: String) { (self.question, self.context) = (question, context) }
}

/// One answer: `{'score': 0.98, 'start': 33, 'end': 45, 'answer': 'Hugging Face'}`.
public struct Answer: Sendable, Equatable {
    /// The float32 span probability, widened exactly to a double.
    public let score: Double
    /// Where the answer lies in the context, in code points.
    public let start: Int, end: Int
    public let answer: String
}

/// `pipeline("question-answering")`: the spans of each context most likely to answer its question, as
/// transformers' extractive question answering scores them (start probability times end probability).
public struct QuestionAnsweringPipeline: PipelineTask {
    public static let info = TaskInfo(name: "question-answering", aliases: [], className: "QuestionAnsweringPipeline",
                                      modelTask: .questionAnswering,
                                      defaultCheckpoint: "distilbert/distilbert-base-cased-distilled-squad", defaultRevision: "564e9b5",
                                      isChunkPipeline: true)

    public let tokenizer: PreTrainedTokenizer
    public let model: LoadedModel

    public init(tokenizer: PreTrainedTokenizer, model: LoadedModel) {
        self.tokenizer = tokenizer
        self.model = model
    }

    /// The call's keyword arguments, with transformers' defaults.
    public struct Options: Sendable {
        public var topK = 1
        /// Whether the empty answer competes, with the score of the classifier token.
        public var handleImpossibleAnswer = false
        /// The longest answer, in tokens.
        public var maxAnswerLen = 15
        /// Whether answers grow to whole words of the context.
        public var alignToWords = true
        /// The longest question + context, in tokens (nil: `min(model_max_length, 384)`).
        public var maxSeqLen: Int?
        /// How far the windows over a long context overlap (nil: half of `max_seq_len`, at most 128).
        public var docStride: Int?

        public init() {}
    }

    /// The encoded pairs (one row per window of a long context) and their examples.
    public struct Features: PipelineFeatures {
        public let encoding: BatchEncoding
        let examples: [QuestionAnsweringExample]
        /// The example of each row.
        let example: [Int]
    }

    public func preprocess(_ examples: [QuestionAnsweringExample], options: Options) throws -> Features {
        let maxSeqLen = options.maxSeqLen ?? min(tokenizer.modelMaxLength ?? 384, 384)
        let stride = options.docStride ?? min(maxSeqLen / 2, 128)
        guard stride <= maxSeqLen else { throw ModelError("`doc_stride` (\(stride)) is larger than `max_seq_len` (\(maxSeqLen))") }
        // a long context becomes windows of max_seq_len tokens that overlap by doc_stride, each with the question
        var encodingOptions = EncodingOptions()
        encodingOptions.returnTensors = true
        encodingOptions.padding = .longest
        encodingOptions.truncation = .onlySecond
        encodingOptions.maxLength = maxSeqLen
        encodingOptions.stride = stride
        encodingOptions.returnOverflowingTokens = true
        encodingOptions.returnTokenTypeIDs = model.architecture.takesTokenTypes
        let encoding = try tokenizer.encode(examples.map(\.question), pairs: examples.map(\.context), options: encodingOptions)
        guard let samples = try encoding["overflow_to_sample_mapping"]?.asTensor().int64s() else {
            throw ModelError("the tokenizer gave no overflow_to_sample_mapping")
        }
        return Features(encoding: encoding, examples: examples, example: samples.map(Int.init))
    }

    /// Per example, its best answers, best first.
    public func postprocess(_ output: ModelOutput, _ features: Features, options: Options) throws -> [[Answer]] {
        guard let startLogits = output["start_logits"], let endLogits = output["end_logits"] else {
            throw ModelError("the model gave no start_logits and end_logits")
        }
        let (ids, mask) = (try features.encoding.ids(), try features.encoding["attention_mask"]?.rows())
        let classifier = tokenizer.specialTokens[.classifier].flatMap(tokenizer.vocabulary.id)
        return try features.examples.indices.map { example in
            var answers = [Answer](), null = Float(1_000_000)
            for row in features.example.indices where features.example[row] == example {
                let sequence = features.encoding.sequenceIDs[row]
                // the context's tokens and the classifier token may answer; the question's and padding may not
                let allowed = ids[row].indices.map { i in
                    (sequence[i] == 1 || ids[row][i] == classifier) && (mask?[row][i] ?? 1) == 1
                }
                var start = Self.probabilities(try startLogits.view(at: [.at(row)]).floats(), allowed)
                var end = Self.probabilities(try endLogits.view(at: [.at(row)]).floats(), allowed)
                null = min(null, start[0] * end[0])
                (start[0], end[0]) = (0, 0)
                answers += spans(start, end, options).filter { allowed[$0.start] && allowed[$0.end] }.map {
                    answer($0.start, $0.end, score: $0.score, row: row, in: features, alignToWords: options.alignToWords)
                }
            }
            if options.handleImpossibleAnswer { answers.append(Answer(score: Double(null), start: 0, end: 0, answer: "")) }
            return Array(answers.enumerated().sorted { ($0.element.score, -$0.offset) > ($1.element.score, -$1.offset) }
                .map(\.element).prefix(options.topK))
        }
    }

    /// A softmax over the tokens that may answer, the others at -10000 first (float32, as the pipeline's numpy).
    private static func probabilities(_ logits: [Float], _ allowed: [Bool]) -> [Float] {
        Scores.softmax(zip(logits, allowed).map { $1 ? $0 : -10000 })
    }

    /// The `top_k` spans `start <= end < start + max_answer_len` by `start[s] * end[e]`, best first (`decode_spans`).
    private func spans(_ start: [Float], _ end: [Float], _ options: Options) -> [(start: Int, end: Int, score: Float)] {
        var candidates = [(start: Int, end: Int, score: Float)]()
        for s in start.indices {
            for e in s..<min(end.count, s + max(options.maxAnswerLen, 0)) { candidates.append((s, e, start[s] * end[e])) }
        }
        let best = Scores.top(options.topK, of: candidates.map(\.score))
        return best.map { candidates[$0] }
    }

    /// The context's text between the tokens `s` and `e`, grown to whole words if asked (`get_indices`).
    private func answer(_ s: Int, _ e: Int, score: Float, row: Int, in features: Features, alignToWords: Bool) -> Answer {
        let offsets = features.encoding.offsets[row], words = features.encoding.wordIDs[row], sequence = features.encoding.sequenceIDs[row]
        var range = offsets[s].lowerBound..<max(offsets[s].lowerBound, offsets[e].upperBound)
        if alignToWords, let first = words[s], let last = words[e] {
            let chars = { (word: Int) in offsets.indices.filter { words[$0] == word && sequence[$0] == 1 }.map { offsets[$0] } }
            if let from = chars(first).first?.lowerBound, let to = chars(last).last?.upperBound, from <= to { range = from..<to }
        }
        let context = Array(features.examples[features.example[row]].context.unicodeScalars)
        let text = String(String.UnicodeScalarView(context[range.clamped(to: context.indices)]))
        return Answer(score: Double(score), start: range.lowerBound, end: range.upperBound, answer: text)
    }
}
