import Foundation
import Models
import Pipelines
import PythonText
import TensorCore
import Tokenizers

/// `None` or absent as nil, else the value's truth.
func optionalBool(_ v: Value?) throws -> Bool? {
    guard let v else { return nil }
    if case .none = v { return nil }
    return try v.isTruthy()
}

/// A tokenizer in the value store: callable as in the chapter, with transformers' methods and attributes.
final class TokenizerObject: PyObject {
    let tokenizer: BertTokenizer

    init(_ tokenizer: BertTokenizer) { self.tokenizer = tokenizer }

    var typeName: String { tokenizer.className }
    var attributeNames: [String] {
        ["tokenize", "encode", "decode", "batch_decode", "convert_tokens_to_ids", "convert_ids_to_tokens", "vocab_size",
         "model_max_length", "model_input_names", "name_or_path", "all_special_tokens", "all_special_ids",
         "special_tokens_map", "unk_token", "sep_token", "pad_token", "cls_token", "mask_token", "unk_token_id",
         "sep_token_id", "pad_token_id", "cls_token_id", "mask_token_id", "is_fast", "padding_side", "save_pretrained"]
    }

    var repr: String {
        let t = tokenizer
        let special = "{" + t.specialTokens.map.map { "'\($0.0)': '\($0.1)'" }.joined(separator: ", ") + "}"
        let maxLength = t.modelMaxLength.map(String.init) ?? BertTokenizer.veryLargeIntegerText
        let added = t.specialTokens.map.map(\.1).compactMap { token in t.vocabulary.id(token).map { ($0, token) } }.sorted { $0.0 < $1.0 }
        return "\(typeName)(name_or_path='\(t.name)', vocab_size=\(t.vocabulary.count), model_max_length=\(maxLength), is_fast=\(t.isFast ? "True" : "False"), padding_side='right', truncation_side='right', special_tokens=\(special), clean_up_tokenization_spaces=\(t.cleanUpTokenizationSpaces ? "True" : "False")),  added_tokens_decoder={\n"
            + added.map { "\t\($0.0): AddedToken(\"\($0.1)\", rstrip=False, lstrip=False, single_word=False, normalized=False, special=True),\n" }.joined()
            + "}"
    }

    func call(_ arguments: Arguments, _ interpreter: Interpreter) throws -> Value? {
        let a = try arguments.bind("__call__", ["text", "text_pair", "add_special_tokens", "padding", "truncation", "max_length",
                                                "return_tensors", "return_token_type_ids", "return_attention_mask"], required: 1)
        let (texts, batched) = try Self.texts(a[0]!)
        let pairs = try a[1].flatMap { v -> [String]? in
            if case .none = v { return nil }
            let (p, pairBatched) = try Self.texts(v)
            guard pairBatched == batched else { throw PyError.value("text and text_pair must both be strings or both be lists") }
            return p
        }
        var options = EncodingOptions()
        options.addSpecialTokens = try a[2]?.isTruthy() ?? true
        options.padding = try Self.padding(a[3])
        options.truncation = try Self.truncation(a[4])
        options.maxLength = try Subscripts.optionalInt(a[5])
        let tensors = try Self.returnTensors(a[6])
        options.returnTensors = tensors != nil
        options.returnTokenTypeIDs = try optionalBool(a[7])
        options.returnAttentionMask = try optionalBool(a[8])
        return try Self.value(try tokenizer.encode(texts, pairs: pairs, batched: batched, options: options), numpy: tensors == "np")
    }

    /// A BatchEncoding as a value: a dict whose keys are also attributes; its tensors as numpy arrays if `numpy`.
    static func value(_ encoding: BatchEncoding, numpy: Bool = false) throws -> Value {
        let dict = PyDict(typeName: "BatchEncoding")
        for key in encoding.keys {
            switch encoding[key]! {
            case .ids(let ids): try dict.set(.str(key), .list(PyList(ids.map(Value.int))))
            case .batch(let rows): try dict.set(.str(key), .list(PyList(rows.map { .list(PyList($0.map(Value.int))) })))
            case .tensor(let t): try dict.set(.str(key), numpy ? .object(NDArrayObject(t)) : .tensor(t))
            }
        }
        return .dict(dict)
    }

    static func texts(_ v: Value) throws -> ([String], batched: Bool) {
        if case .str(let s) = v { return ([s], false) }
        if case .list = v, let items = try? Iteration.materialize(v).map({ try $0.asString("text") }) { return (items, true) }
        if case .tuple = v, let items = try? Iteration.materialize(v).map({ try $0.asString("text") }) { return (items, true) }
        throw PyError.value("text input must be of type `str` (single example), `List[str]` (batch or single pretokenized example) or `List[List[str]]` (batch of pretokenized examples).")
    }

    private static func padding(_ v: Value?) throws -> Padding {
        switch v {
        case nil, .none?, .bool(false)?: return .doNotPad
        case .bool(true)?: return .longest
        case .str(let s)?:
            guard let p = Padding(rawValue: s) else {
                throw PyError.value("'\(s)' is not a valid PaddingStrategy, please select one of ['longest', 'max_length', 'do_not_pad']")
            }
            return p
        case let other?: throw PyError.type("padding must be a bool or a string, not \(other.typeName)")
        }
    }

    private static func truncation(_ v: Value?) throws -> Truncation? {
        switch v {
        case nil, .none?: return nil
        case .bool(let b)?: return b ? .longestFirst : .doNotTruncate
        case .str(let s)?:
            guard let t = Truncation(rawValue: s) else {
                throw PyError.value("'\(s)' is not a valid TruncationStrategy, please select one of ['only_first', 'only_second', 'longest_first', 'do_not_truncate']")
            }
            return t
        case let other?: throw PyError.type("truncation must be a bool or a string, not \(other.typeName)")
        }
    }

    /// `return_tensors`: nil for lists, "pt" for tensors, "np" for numpy arrays.
    private static func returnTensors(_ v: Value?) throws -> String? {
        switch v {
        case nil, .none?: return nil
        case .str(let s)? where s == "pt" || s == "np": return s
        case .str("tf")?: throw PyError("ImportError", "Unable to convert output to TensorFlow tensors format, TensorFlow is not installed.")
        case .str(let s)?: throw PyError.value("return_tensors='\(s)' is not supported: sbpl returns PyTorch tensors ('pt') or numpy arrays ('np')")
        case let other?: throw PyError.type("return_tensors must be a string, not \(other.typeName)")
        }
    }

    func attribute(_ name: String, _ interpreter: Interpreter) throws -> Value? {
        let t = tokenizer
        let special = t.specialTokens
        let tokens = ["unk_token": special.unknown, "sep_token": special.separator, "pad_token": special.padding,
                      "cls_token": special.classifier, "mask_token": special.mask]
        if let token = tokens[name] { return .str(token) }
        if name.hasSuffix("_token_id"), let token = tokens[String(name.dropLast(3))] { return .int(t.id(forToken: token)) }
        switch name {
        case "vocab_size": return .int(t.vocabulary.count)
        case "model_max_length": return t.modelMaxLength.map(Value.int) ?? .float(1e30)
        case "model_input_names": return .list(PyList(t.family.modelInputNames.map(Value.str)))
        case "name_or_path": return .str(t.name)
        case "is_fast": return .bool(tokenizer.isFast)
        case "save_pretrained":
            return Attributes.method(name) { [self] args in
                let directory = try args.bind(name, ["save_directory"], required: 1)[0]!.asString("save_directory")
                let files = try tokenizer.save(to: URL(fileURLWithPath: directory))
                return .tuple(files.map { .str((directory as NSString).appendingPathComponent($0.lastPathComponent)) })
            }
        case "padding_side": return .str("right")
        case "all_special_tokens": return .list(PyList(special.map.map { .str($0.1) }))
        case "all_special_ids": return .list(PyList(special.map.map { .int(t.id(forToken: $0.1)) }))
        case "special_tokens_map": return .dict(try PyDict(special.map.map { (.str($0.0), .str($0.1)) }))
        case "tokenize":
            return Attributes.method(name) { args in
                let text = try args.bind(name, ["text"], required: 1)[0]!.asString("text")
                return .list(PyList(t.tokenize(text).map(Value.str)))
            }
        case "encode":
            return Attributes.method(name) { [self] args in
                guard case .dict(let d) = try call(args, interpreter)!, let ids = d.string("input_ids") else { return .none }
                return ids
            }
        case "convert_tokens_to_ids":
            return Attributes.method(name) { args in
                let tokens = try args.bind(name, ["tokens"], required: 1)[0]!
                if case .str(let s) = tokens { return .int(t.id(forToken: s)) }
                return .list(PyList(try Iteration.materialize(tokens).map { .int(t.id(forToken: try $0.asString("token"))) }))
            }
        case "convert_ids_to_tokens":
            return Attributes.method(name) { args in
                let a = try args.bind(name, ["ids", "skip_special_tokens"], required: 1)
                let skip = try a[1]?.isTruthy() ?? false
                if let id = try? a[0]!.asInt("id") { return t.token(forID: id).map(Value.str) ?? .none }
                let ids = try Self.ids(a[0]!).filter { !skip || !t.specialIDs.contains($0) }
                return .list(PyList(ids.map { t.token(forID: $0).map(Value.str) ?? .none }))
            }
        case "decode":
            return Attributes.method(name) { args in
                let a = try args.bind(name, ["token_ids", "skip_special_tokens", "clean_up_tokenization_spaces"], required: 1)
                let cleanUp = try optionalBool(a[2])
                return .str(t.decode(try Self.ids(a[0]!), skipSpecialTokens: try a[1]?.isTruthy() ?? false, cleanUpTokenizationSpaces: cleanUp))
            }
        case "batch_decode":
            return Attributes.method(name) { args in
                let a = try args.bind(name, ["sequences", "skip_special_tokens", "clean_up_tokenization_spaces"], required: 1)
                let cleanUp = try optionalBool(a[2])
                let rows: [Value] = try {
                    if case .tensor(let x) = a[0]! { return try Iteration.materialize(.tensor(x)) }
                    return try Iteration.materialize(a[0]!)
                }()
                return .list(PyList(try rows.map { .str(t.decode(try Self.ids($0), skipSpecialTokens: try a[1]?.isTruthy() ?? false, cleanUpTokenizationSpaces: cleanUp)) }))
            }
        default: return nil
        }
    }

    /// Token ids from a list of ints or an int tensor.
    static func ids(_ v: Value) throws -> [Int] {
        if case .tensor(let x) = v {
            guard x.rank <= 1 else { throw PyError.type("decode() takes one sequence of ids; use batch_decode for a batch") }
            return x.int64s().map { Int($0) }
        }
        return try Iteration.materialize(v).map { try $0.asInt("token id") }
    }
}

/// A model in the value store: `model(**inputs)`, `model.config`.
final class ModelObject: PyObject {
    let model: LoadedModel

    init(_ model: LoadedModel) { self.model = model }

    var typeName: String { model.className }
    var repr: String { model.moduleTree.description }
    var attributeNames: [String] {
        ["config", "eval", "to", "name_or_path", "save_pretrained", "num_parameters", "parameters", "named_parameters", "state_dict"]
    }

    func attribute(_ name: String, _ interpreter: Interpreter) throws -> Value? {
        switch name {
        case "config": return .object(ConfigObject(model.config, ofModel: true))
        case "name_or_path": return .str(model.checkpoint)
        case "num_parameters":
            return Attributes.method(name) { [self] _ in .int(model.moduleTree.stateDict.reduce(0) { $0 + $1.tensor.count }) }
        case "parameters":
            return Attributes.method(name) { [self] _ in .list(PyList(model.moduleTree.stateDict.map { .tensor($0.tensor) })) }
        case "named_parameters":
            return Attributes.method(name) { [self] _ in
                .list(PyList(model.moduleTree.stateDict.map { .tuple([.str($0.name), .tensor($0.tensor)]) }))
            }
        case "state_dict":
            return Attributes.method(name) { [self] _ in
                .dict(try PyDict(model.moduleTree.stateDict.map { (.str($0.name), .tensor($0.tensor)) }))
            }
        case "save_pretrained":
            return Attributes.method(name) { [self] args in
                let a = try args.bind(name, ["save_directory"], required: 1)
                _ = try model.save(to: URL(fileURLWithPath: try a[0]!.asString("save_directory")))
                return .none
            }
        case "eval", "to", "cpu": return Attributes.method(name) { [self] _ in .object(self) }
        default: return nil
        }
    }

    func call(_ arguments: Arguments, _ interpreter: Interpreter) throws -> Value? {
        var fields = [String: Value]()
        for value in arguments.positional {
            switch value {
            case .dict(let d) where d.typeName == "BatchEncoding":
                for (k, v) in d.items { if case .str(let key) = k { fields[key] = v } }
            case .tensor where fields["input_ids"] == nil: fields["input_ids"] = value
            default: throw PyError.type("\(typeName).forward() takes input_ids (a tensor) or a BatchEncoding, not \(value.typeName)")
            }
        }
        for (name, value) in arguments.keywords {
            guard ["input_ids", "attention_mask", "token_type_ids", "return_dict"].contains(name) else {
                throw PyError.type("\(typeName).forward() got an unexpected keyword argument '\(name)'")
            }
            fields[name] = value
        }
        func tensor(_ key: String) throws -> Tensor? {
            guard let v = fields[key] else { return nil }
            if case .tensor(let t) = v { return t }
            if case .list = v {  // the short form `model(tokenizer("..."))`: lists, one sequence or a batch
                let t = try TorchModule.tensor(from: v, dtype: .int64)
                return t.rank == 1 ? try t.unsqueezed(0) : t
            }
            throw PyError.type("\(key) must be a tensor, not \(v.typeName)")
        }
        guard let ids = try tensor("input_ids") else { throw PyError.value("You have to specify either input_ids or inputs_embeds") }
        if ids.rank == 1 {  // the chapter's "This line will fail": models take batches
            throw PyError("IndexError", "too many indices for tensor of dimension 1 (input_ids must be a batch, [batch, seq]: torch.tensor([ids]), not torch.tensor(ids))")
        }
        let inputs = ModelInputs(inputIDs: ids, attentionMask: try tensor("attention_mask"),
                                 tokenTypeIDs: model.className.hasPrefix("Bert") ? try tensor("token_type_ids") : nil)
        if fields["token_type_ids"] != nil && !model.className.hasPrefix("Bert") {
            throw PyError.type("DistilBertModel.forward() got an unexpected keyword argument 'token_type_ids'")
        }
        if inputs.attentionMask == nil && inputs.hasPaddingAtEdges(padTokenID: model.config.field("pad_token_id")) {
            interpreter.warnOnce("We strongly recommend passing in an `attention_mask` since your input_ids may be padded. See https://huggingface.co/docs/transformers/troubleshooting#incorrect-output-when-padding-tokens-arent-masked.")
        }
        return .output(try model(inputs, checkInterrupt: Interrupt.check))
    }
}

/// `model.config`: config.json's fields as attributes, `id2label` with integer keys.
final class ConfigObject: PyObject {
    let config: ModelConfig
    /// Whether a loaded model owns it (transformers then shows `_attn_implementation_autoset`).
    let ofModel: Bool

    init(_ config: ModelConfig, ofModel: Bool) {
        self.config = config
        self.ofModel = ofModel
    }

    /// `BertConfig(hidden_size=..., ...)`: the class's defaults with the keywords given.
    convenience init(_ modelType: String, _ className: String, _ arguments: Arguments) throws {
        guard arguments.positional.isEmpty else { throw PyError.type("\(className)() takes keyword arguments only") }
        var json: [String: Any] = ["model_type": modelType]
        for (name, value) in arguments.keywords { json[name] = try Self.json(value) }
        self.init(try ModelConfig(json: json, path: "\(className)()"), ofModel: false)
    }

    var typeName: String { config.className }
    var repr: String { config.pythonRepr(withModel: ofModel) }

    var attributeNames: [String] { config.fieldNames + ["num_labels"] }

    func attribute(_ name: String, _ interpreter: Interpreter) throws -> Value? {
        switch name {
        case "id2label": return .dict(try PyDict(config.id2label.sorted { $0.key < $1.key }.map { (.int($0.key), .str($0.value)) }))
        case "label2id": return .dict(try PyDict(config.label2id.sorted { $0.value < $1.value }.map { (.str($0.key), .int($0.value)) }))
        case "num_labels": return .int(config.numLabels)
        case "_name_or_path", "name_or_path": return .str(config.nameOrPath)
        default: return try config.field(name).map(Self.value)
        }
    }

    /// A Python value as a JSON value, as `json.dumps` would write it (dict keys become strings).
    static func json(_ value: Value) throws -> Any {
        switch value {
        case .none: return NSNull()
        case .bool(let b): return NSNumber(value: b)
        case .int(let i): return NSNumber(value: i)
        case .float(let x): return NSNumber(value: x)
        case .str(let s): return s
        case .list(let l): return try l.items.map(json)
        case .tuple(let t): return try t.map(json)
        case .dict(let d):
            return try Dictionary(d.items.map { ($0.0.str, try json($0.1)) }, uniquingKeysWith: { $1 })
        default: throw PyError.type("Object of type \(value.typeName) is not JSON serializable")
        }
    }

    /// A JSON value as a Python value.
    static func value(_ json: Any) throws -> Value {
        switch json {
        case let s as String: return .str(s)
        case let a as [Any]: return .list(PyList(try a.map(value)))
        case let d as [String: Any]: return .dict(try PyDict(d.keys.sorted().map { (.str($0), try value(d[$0]!)) }))
        default:
            switch JSONNumber(json) {
            case .bool(let b)?: return .bool(b)
            case .int(let n)?: return .int(n)
            case .float(let x)?: return .float(x)
            case nil: return .none
            }
        }
    }
}

/// `pipeline(...)` in the value store.
final class PipelineObject: PyObject {
    let task: Pipeline.Task
    let tokenizer: BertTokenizer
    let model: LoadedModel

    init(task: Pipeline.Task, tokenizer: BertTokenizer, model: LoadedModel) {
        self.task = task
        self.tokenizer = tokenizer
        self.model = model
    }

    var typeName: String { task == .textClassification ? "TextClassificationPipeline" : "FeatureExtractionPipeline" }
    var repr: String { "<transformers.pipelines.\(typeName) object>" }
    var attributeNames: [String] { ["model", "tokenizer", "task"] }

    func attribute(_ name: String, _ interpreter: Interpreter) throws -> Value? {
        switch name {
        case "model": return .object(ModelObject(model))
        case "tokenizer": return .object(TokenizerObject(tokenizer))
        case "task": return .str(task.rawValue)
        default: return nil
        }
    }

    func call(_ arguments: Arguments, _ interpreter: Interpreter) throws -> Value? {
        task == .textClassification ? try classify(arguments) : try extract(arguments)
    }

    private func classify(_ arguments: Arguments) throws -> Value {
        let a = try arguments.bind("__call__", ["inputs", "top_k", "batch_size"], required: 1)
        let (texts, batched) = try TokenizerObject.texts(a[0]!)
        var topK = TextClassificationPipeline.TopK.legacy
        if let k = a[1] { if case .none = k { topK = .all } else { topK = .count(try k.asInt("top_k")) } }
        let pipeline = TextClassificationPipeline(tokenizer: tokenizer, model: model)
        let results = try pipeline(texts, topK: topK, batchSize: try a[2]?.asInt("batch_size") ?? 1, checkInterrupt: Interrupt.check)
        let dicts = try results.map { try $0.map { r in Value.dict(try PyDict([(.str("label"), .str(r.label)), (.str("score"), .float(r.score))])) } }
        if topK == .legacy { return .list(PyList(dicts.map { $0[0] })) }
        return batched ? .list(PyList(dicts.map { .list(PyList($0)) })) : .list(PyList(dicts[0]))
    }

    private func extract(_ arguments: Arguments) throws -> Value {
        let a = try arguments.bind("__call__", ["inputs", "return_tensors"], required: 1)
        let (texts, batched) = try TokenizerObject.texts(a[0]!)
        let states = try FeatureExtractionPipeline(tokenizer: tokenizer, model: model)(texts, checkInterrupt: Interrupt.check)
        let values = try a[1]?.isTruthy() == true ? states.map(Value.tensor) : states.map(TensorMethods.toList)
        return batched ? .list(PyList(values)) : values[0]
    }
}
