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

    /// The examples, from `question=`/`context=` (strings or lists of equal length) or dicts with both keys.
    private static func examples(_ inputs: Value?, question: Value?, context: Value?) throws -> ([QuestionAnsweringExample], batched: Bool) {
        if let question, let context {
            let (questions, batched) = try TokenizerObject.texts(question)
            let contexts = try TokenizerObject.texts(context).0
            if questions.count == 1 {
                return (try contexts.map { try checked(QuestionAnsweringExample(question: questions[0], context: $0)) }, contexts.count > 1)
            }
            guard questions.count == contexts.count else {
                throw PyError.value("Questions and contexts don't have the same lengths")
            }
            return (try zip(questions, contexts).map { try checked(QuestionAnsweringExample(question: $0, context: $1)) }, batched)
        }
        switch inputs {
        case .dict(let d)?: return ([try example(d)], false)
        case .list(let l)?:
            return (try l.items.map { item in
                guard case .dict(let d) = item else { throw PyError.type("question-answering takes dicts with 'question' and 'context', not \(item.typeName)") }
                return try example(d)
            }, true)
        default: throw PyError.key(.str("You need to provide a dictionary with keys {question:..., context:...}"))
        }
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
