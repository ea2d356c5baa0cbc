import Language
import Logging
import Models
import Pipelines
import Tokenizers

/// A pipeline task as Python calls it: its `PipelineTask`, the keyword arguments of `classifier(...)` and how its
/// results become Python values. One type per task, listed once in `PipelineRegistry.all`.
protocol PipelineBinding: SendableMetatype {
    static var info: TaskInfo { get }
    /// The call's parameters after the inputs, which `pipeline(task, ...)` also takes as defaults for every call.
    static var parameters: [String] { get }
    /// Whether the inputs must be given (question answering takes `question=` and `context=` instead).
    static var inputsRequired: Bool { get }
    init(tokenizer: PreTrainedTokenizer, model: LoadedModel)
    /// `pipe(inputs, **kwargs)`, the arguments bound to `["inputs"] + parameters`.
    func call(_ arguments: [Value?]) throws -> Value
}

extension PipelineBinding {
    static var inputsRequired: Bool { true }

    /// `pipe(...)`: the call's arguments over the pipeline's defaults, bound to the task's parameters.
    func call(_ arguments: Arguments, defaults: [(name: String, value: Value)]) throws -> Value {
        var merged = arguments
        merged.keywords += defaults.filter { d in !arguments.keywords.contains { $0.name == d.name } }
        return try call(try merged.bind("__call__", ["inputs"] + Self.parameters, required: Self.inputsRequired ? 1 : 0))
    }
}

/// The pipeline tasks sbpl has, one line each.
enum PipelineRegistry {
    static let all: [any PipelineBinding.Type] = [
        TextClassificationBinding.self,
        FeatureExtractionBinding.self,
        FillMaskBinding.self,
        TokenClassificationBinding.self,
        QuestionAnsweringBinding.self,
        ZeroShotClassificationBinding.self,
    ]

    /// The task `name` names; a task transformers has and sbpl does not is a NotImplementedError, any other name
    /// transformers' KeyError.
    static func binding(for name: String) throws -> any PipelineBinding.Type {
        if let binding = all.first(where: { $0.info.answers(to: name) }) { return binding }
        guard TransformersTasks.knows(name) else { throw PyError.key(.str(TransformersTasks.unknownTaskMessage(name))) }
        let names = all.flatMap { [$0.info.name] + $0.info.aliases }.sorted().joined(separator: ", ")
        throw PyError(.notImplementedError, "sbpl does not support the '\(name)' pipeline yet (it has \(names))")
    }
}

/// `pipeline("text-classification")`: `classifier(texts, top_k=..., batch_size=...)` -> dicts of label and score.
struct TextClassificationBinding: PipelineBinding {
    static let info = TextClassificationPipeline.info
    let pipeline: TextClassificationPipeline

    init(tokenizer: PreTrainedTokenizer, model: LoadedModel) { pipeline = TextClassificationPipeline(tokenizer: tokenizer, model: model) }

    static let parameters = ["top_k", "batch_size", "truncation", "function_to_apply"]

    func call(_ a: [Value?]) throws -> Value {
        let (texts, batched) = try TokenizerObject.texts(a[0]!)
        var options = TextClassificationPipeline.Options()
        if let k = a[1] { if case .none = k { options.topK = .all } else { options.topK = .count(try k.asInt("top_k")) } }
        options.truncation = try a[3]?.isTruthy() ?? false
        if let name = a[4], name.typeName != "NoneType" {
            let text = try name.asString("function_to_apply")
            guard let function = TextClassificationPipeline.ScoreFunction(rawValue: text.lowercased()) else {
                throw PyError.value("Unrecognized `function_to_apply` argument: \(text)")
            }
            options.function = function
        }
        let topK = options.topK
        let results = try pipeline(texts, options: options, batchSize: try a[2]?.asInt("batch_size") ?? 1, checkInterrupt: Interrupt.check)
        let dicts = try results.map { try $0.map { r in Value.dict(try PyDict([(.str("label"), .str(r.label)), (.str("score"), .float(r.score))])) } }
        if topK == .legacy { return .list(PyList(dicts.map { $0[0] })) }
        return batched ? .list(PyList(dicts.map { .list(PyList($0)) })) : .list(PyList(dicts[0]))
    }
}

/// `pipeline("feature-extraction")`: `extractor(texts, return_tensors=False)` -> nested lists (or tensors).
struct FeatureExtractionBinding: PipelineBinding {
    static let info = FeatureExtractionPipeline.info
    let pipeline: FeatureExtractionPipeline

    init(tokenizer: PreTrainedTokenizer, model: LoadedModel) { pipeline = FeatureExtractionPipeline(tokenizer: tokenizer, model: model) }

    static let parameters = ["return_tensors"]

    func call(_ a: [Value?]) throws -> Value {
        let (texts, batched) = try TokenizerObject.texts(a[0]!)
        let states = try pipeline(texts, options: (), checkInterrupt: Interrupt.check)
        let values = try a[1]?.isTruthy() == true ? states.map(Value.tensor) : states.map(TensorMethods.toList)
        return batched ? .list(PyList(values)) : values[0]
    }
}

/// `pipeline("fill-mask")`: `unmasker(texts, top_k=5, targets=None)` -> per mask, dicts of score, token, token_str
/// and sequence; a list of them per text with one mask, a list of lists with several.
struct FillMaskBinding: PipelineBinding {
    static let info = FillMaskPipeline.info
    static let parameters = ["top_k", "targets", "batch_size"]
    let pipeline: FillMaskPipeline

    init(tokenizer: PreTrainedTokenizer, model: LoadedModel) { pipeline = FillMaskPipeline(tokenizer: tokenizer, model: model) }

    func call(_ a: [Value?]) throws -> Value {
        let (texts, batched) = try TokenizerObject.texts(a[0]!)
        var options = FillMaskPipeline.Options()
        if let k = a[1], k.typeName != "NoneType" { options.topK = try k.asInt("top_k") }
        if let targets = a[2], targets.typeName != "NoneType" {
            options.targets = try pipeline.targetIDs(try TokenizerObject.texts(targets).0)
        }
        let results = try pipeline(texts, options: options, batchSize: try a[3]?.asInt("batch_size") ?? 1, checkInterrupt: Interrupt.check)
        let values = try results.map { masks in
            let lists = try masks.map { try Value.list(PyList($0.map(Self.dict))) }
            return lists.count == 1 ? lists[0] : .list(PyList(lists))
        }
        return batched ? .list(PyList(values)) : values[0]
    }

    private static func dict(_ r: FillMaskResult) throws -> Value {
        .dict(try PyDict([(.str("score"), .float(r.score)), (.str("token"), .int(r.token)), (.str("token_str"), .str(r.tokenStr)),
                          (.str("sequence"), .str(r.sequence))]))
    }
}

/// `pipeline("ner")`: `ner(texts, aggregation_strategy="none", ignore_labels=["O"])` -> per text, its entities as
/// dicts (`grouped_entities=True` and `ignore_subwords=True` are the deprecated spellings of `simple` and `first`).
struct TokenClassificationBinding: PipelineBinding {
    typealias Aggregation = TokenClassificationPipeline.Aggregation
    static let info = TokenClassificationPipeline.info
    static let parameters = ["aggregation_strategy", "ignore_labels", "grouped_entities", "ignore_subwords", "batch_size"]
    let pipeline: TokenClassificationPipeline
    private static let logger = Logger(label: "py.warnings")

    init(tokenizer: PreTrainedTokenizer, model: LoadedModel) { pipeline = TokenClassificationPipeline(tokenizer: tokenizer, model: model) }

    func call(_ a: [Value?]) throws -> Value {
        let (texts, batched) = try TokenizerObject.texts(a[0]!)
        var options = TokenClassificationPipeline.Options(aggregation: try Self.aggregation(a))
        if let labels = a[2], labels.typeName != "NoneType" { options.ignoreLabels = try TokenizerObject.texts(labels).0 }
        if options.aggregation != .none && options.aggregation != .simple && !pipeline.tokenizer.isFast {
            throw PyError.value("Slow tokenizers cannot handle subwords. Please set the `aggregation_strategy` option to `\"simple\"` or use a fast tokenizer.")
        }
        let results = try pipeline(texts, options: options, batchSize: try a[5]?.asInt("batch_size") ?? 1, checkInterrupt: Interrupt.check)
        let lists = try results.map { Value.list(PyList(try $0.map(Self.dict))) }
        return batched ? .list(PyList(lists)) : lists[0]
    }

    /// `aggregation_strategy`, or what the deprecated `grouped_entities` / `ignore_subwords` stand for (with
    /// transformers' warning).
    private static func aggregation(_ a: [Value?]) throws -> Aggregation {
        let grouped = try a[3].flatMap { $0.typeName == "NoneType" ? nil : try $0.isTruthy() }
        let ignoreSubwords = try a[4].flatMap { $0.typeName == "NoneType" ? nil : try $0.isTruthy() }
        var aggregation = Aggregation.none
        if grouped != nil || ignoreSubwords != nil {
            aggregation = grouped == true ? (ignoreSubwords == true ? .first : .simple) : .none
            for (name, given) in [("grouped_entities", grouped), ("ignore_subwords", ignoreSubwords)] where given != nil {
                logger.warning("UserWarning: `\(name)` is deprecated and will be removed in version v5.0.0, defaulted to `aggregation_strategy=\"\(aggregation.rawValue)\"` instead.")
            }
        }
        if let strategy = a[1], strategy.typeName != "NoneType" {
            let name = try strategy.asString("aggregation_strategy")
            guard let chosen = Aggregation(rawValue: name.lowercased()) else { throw PyError.key(.str(name.uppercased())) }
            aggregation = chosen
        }
        return aggregation
    }

    private static func dict(_ e: TokenEntity) throws -> Value {
        var pairs: [(Value, Value)] = [(.str(e.index == nil ? "entity_group" : "entity"), .str(e.label)),
                                       (.str("score"), .object(NumpyFloat32(e.score)))]
        if let index = e.index { pairs.append((.str("index"), .int(index))) }
        pairs += [(.str("word"), .str(e.word)), (.str("start"), .int(e.start)), (.str("end"), .int(e.end))]
        return .dict(try PyDict(pairs))
    }
}

/// `pipeline("question-answering")`: `qa(question=..., context=..., top_k=1, ...)`, or `qa({"question": ...,
/// "context": ...})` and lists of either -> per example, its answer (a dict) or its `top_k` answers (a list).
struct QuestionAnsweringBinding: PipelineBinding {
    static let info = QuestionAnsweringPipeline.info
    static let parameters = ["question", "context", "top_k", "handle_impossible_answer", "max_answer_len", "align_to_words",
                             "max_seq_len", "doc_stride", "max_question_len", "batch_size"]
    static let inputsRequired = false
    let pipeline: QuestionAnsweringPipeline

    init(tokenizer: PreTrainedTokenizer, model: LoadedModel) { pipeline = QuestionAnsweringPipeline(tokenizer: tokenizer, model: model) }

    func call(_ a: [Value?]) throws -> Value {
        let (examples, batched) = try Self.examples(a[0], question: a[1], context: a[2])
        var options = QuestionAnsweringPipeline.Options()
        func int(_ i: Int, _ name: String) throws -> Int? { try a[i].flatMap { $0.typeName == "NoneType" ? nil : try $0.asInt(name) } }
        func bool(_ i: Int) throws -> Bool? { try a[i].flatMap { $0.typeName == "NoneType" ? nil : try $0.isTruthy() } }
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
        let results = try pipeline(examples, options: options, batchSize: try int(10, "batch_size") ?? 1, checkInterrupt: Interrupt.check)
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
            if questions.count == 1 { return (contexts.map { QuestionAnsweringExample(question: questions[0], context: $0) }, contexts.count > 1) }
            guard questions.count == contexts.count else {
                throw PyError.value("Questions and contexts don't have the same lengths")
            }
            return (zip(questions, contexts).map(QuestionAnsweringExample.init), batched)
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
        return QuestionAnsweringExample(question: try q.asString("question"), context: try c.asString("context"))
    }

    private static func dict(_ a: Answer) throws -> Value {
        .dict(try PyDict([(.str("score"), .float(a.score)), (.str("start"), .int(a.start)), (.str("end"), .int(a.end)),
                          (.str("answer"), .str(a.answer))]))
    }
}

/// `pipeline("zero-shot-classification")`: `classifier(texts, candidate_labels, hypothesis_template="This example is
/// {}.", multi_label=False)` -> per text, a dict of the sequence, its labels best first and their scores.
struct ZeroShotClassificationBinding: PipelineBinding {
    static let info = ZeroShotClassificationPipeline.info
    static let parameters = ["candidate_labels", "hypothesis_template", "multi_label", "multi_class", "batch_size"]
    let pipeline: ZeroShotClassificationPipeline
    private static let logger = Logger(label: "transformers.pipelines.zero_shot_classification")

    init(tokenizer: PreTrainedTokenizer, model: LoadedModel) { pipeline = ZeroShotClassificationPipeline(tokenizer: tokenizer, model: model) }

    func call(_ a: [Value?]) throws -> Value {
        let (texts, batched) = try TokenizerObject.texts(a[0]!)
        guard let given = a[1], given.typeName != "NoneType" else {
            throw PyError.type("ZeroShotClassificationArgumentHandler.__call__() missing 1 required positional argument: 'labels'")
        }
        // a string is a comma-separated list of labels
        let labels = try given.typeName == "str"
            ? given.asString("candidate_labels").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            : TokenizerObject.texts(given).0
        var options = ZeroShotClassificationPipeline.Options(candidateLabels: labels)
        if let template = a[2], template.typeName != "NoneType" { options.hypothesisTemplate = try template.asString("hypothesis_template") }
        if let multiClass = a[4], multiClass.typeName != "NoneType" {
            Self.logger.warning("The `multi_class` argument has been deprecated and renamed to `multi_label`. `multi_class` will be removed in a future version of Transformers.")
            options.multiLabel = try multiClass.isTruthy()
        }
        if let multiLabel = a[3], multiLabel.typeName != "NoneType" { options.multiLabel = try multiLabel.isTruthy() }
        let results = try pipeline(texts, options: options, batchSize: try a[5]?.asInt("batch_size") ?? 1, checkInterrupt: Interrupt.check)
        let dicts = try results.map { r in
            Value.dict(try PyDict([(.str("sequence"), .str(r.sequence)), (.str("labels"), .list(PyList(r.labels.map(Value.str)))),
                                   (.str("scores"), .list(PyList(r.scores.map(Value.float))))]))
        }
        return batched ? .list(PyList(dicts)) : dicts[0]
    }
}
