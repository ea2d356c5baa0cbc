import Language
import Pipelines

/// `pipeline("question-answering")`: `qa(question=..., context=..., top_k=1, ...)`, or `qa({"question": ...,
/// "context": ...})` and lists of either -> per example, its answer (a dict) or its `top_k` answers (a list).
struct QuestionAnsweringBinding: TaskBinding {
    static let parameters = ["question", "context", "top_k", "handle_impossible_answer", "max_answer_len", "align_to_words",
                             "max_seq_len", "doc_stride", "max_question_len", "batch_size"]
    static let inputsRequired = false
    let pipeline: QuestionAnsweringPipeline

    func call(_ a: [Value?]) throws -> Value {
        let (examples, batched) = try Self.examples(a[0], question: a[1], context: a[2])
        if examples.isEmpty { return .list(PyList([])) }
        var options = QuestionAnsweringPipeline.Options()
        func int(_ i: Int, _ name: String) throws -> Int? { try a[i].given?.asInt(name) }
        func bool(_ i: Int) throws -> Bool? { try a[i].given?.isTruthy() }
        if let k = try int(3, "top_k") {
            guard k >= 1 else { throw PyError.value("top_k parameter should be >= 1 (got \(k))") }
            options.topK = k
        }
        options.handleImpossibleAnswer = try bool(4) ?? false
        if let n = try int(5, "max_answer_len") {
            guard n >= 1 else { throw PyError.value("max_answer_len parameter should be >= 1 (got \(n)") }
            options.maxAnswerLen = n
        }
        options.alignToWords = try bool(6) ?? true
        (options.maxSeqLen, options.docStride) = (try int(7, "max_seq_len"), try int(8, "doc_stride"))
        let batchSize = try int(10, "batch_size") ?? 1
        let results = try Self.running(listed: batched) {
            try pipeline(examples, options: options, batchSize: batchSize, checkInterrupt: Interrupt.check)
        }
        let values = try results.map { answers in
            let dicts = try answers.map(Self.dict)
            return dicts.count == 1 ? dicts[0] : .list(PyList(dicts))
        }
        return batched ? .list(PyList(values)) : values[0]
    }

    /// The examples, read as transformers' argument handler reads them: `qa(question, context)` positionally,
    /// `question=`/`context=` (a list of questions may share one context), or a dict with both keys and a list of
    /// them. One example gives its answer alone, several a list (`batched`).
    private static func examples(_ inputs: Value?, question: Value?, context: Value?) throws -> ([QuestionAnsweringExample], batched: Bool) {
        let examples: [QuestionAnsweringExample]
        if case .str(let q)? = inputs, case .str(let c)? = question, context == nil {
            examples = [try checked(QuestionAnsweringExample(question: q, context: c))]
        } else if let inputs {
            switch inputs {
            case .dict(let d): examples = [try example(d)]
            case .list(let l):
                examples = try l.items.map { item in
                    guard case .dict(let d) = item else { throw notAnExample(item) }
                    return try example(d)
                }
            case .str(let text): throw notAnExample(.str(String(text.prefix(1))))   // a str is iterated, as any iterable
            default: throw PyError.value("Invalid arguments {}")
            }
        } else if let question, let context {
            switch (question, context) {
            case (.str(let q), .str(let c)): examples = [try checked(QuestionAnsweringExample(question: q, context: c))]
            case (.list(let questions), .str(let c)):
                examples = try questions.items.map { try checked(QuestionAnsweringExample(question: try $0.asString("question"), context: c)) }
            case (.list(let questions), .list(let contexts)):
                guard questions.items.count == contexts.items.count else { throw PyError.value("Questions and contexts don't have the same lengths") }
                examples = try zip(questions.items, contexts.items).map {
                    try checked(QuestionAnsweringExample(question: try $0.asString("question"), context: try $1.asString("context")))
                }
            default: throw PyError.value("Arguments can't be understood")
            }
        } else {
            throw PyError.key(.str("You need to provide a dictionary with keys {question:..., context:...}"))
        }
        return (examples, examples.count > 1)
    }

    private static func notAnExample(_ item: Value) -> PyError {
        let text = if case .str(let s) = item { s } else { item.repr }
        return PyError.value("\(text) argument needs to be of type (SquadExample, dict)")
    }

    private static func example(_ d: PyDict) throws -> QuestionAnsweringExample {
        guard let q = try d.get(.str("question")), let c = try d.get(.str("context")) else {
            throw PyError.key(.str("You need to provide a dictionary with keys {question:..., context:...}"))
        }
        return try checked(QuestionAnsweringExample(question: try q.asString("question"), context: try c.asString("context")))
    }

    /// transformers' argument handler refuses an empty question or context.
    private static func checked(_ example: QuestionAnsweringExample) throws -> QuestionAnsweringExample {
        for (name, text) in [("question", example.question), ("context", example.context)] where text.isEmpty {
            throw PyError.value("`\(name)` cannot be empty")
        }
        return example
    }

    private static func dict(_ a: Answer) throws -> Value {
        .dict(try PyDict([(.str("score"), .float(a.score)), (.str("start"), .int(a.start)), (.str("end"), .int(a.end)),
                          (.str("answer"), .str(a.answer))]))
    }
}
