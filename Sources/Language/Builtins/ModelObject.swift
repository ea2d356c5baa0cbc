import Foundation
import Models
import PythonText
import TensorCore

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
                .dict(try PyDict(model.moduleTree.stateDict.map { (.str($0.name), .tensor($0.tensor.detached())) }))
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
            case .object(let encoding as EncodingObject):
                for (key, value) in encoding.mappingItems { fields[key] = value }
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
            throw PyError(.indexError, "too many indices for tensor of dimension 1 (input_ids must be a batch, [batch, seq]: torch.tensor([ids]), not torch.tensor(ids))")
        }
        let takesTokenTypes = model.architecture.takesTokenTypes
        if fields["token_type_ids"] != nil && !takesTokenTypes {
            throw PyError.type("\(typeName).forward() got an unexpected keyword argument 'token_type_ids'")
        }
        let inputs = ModelInputs(inputIDs: ids, attentionMask: try tensor("attention_mask"),
                                 tokenTypeIDs: takesTokenTypes ? try tensor("token_type_ids") : nil)
        if inputs.attentionMask == nil && inputs.hasPaddingAtEdges(padTokenID: model.config.field("pad_token_id")?.int) {
            interpreter.warnOnce("We strongly recommend passing in an `attention_mask` since your input_ids may be padded. See https://huggingface.co/docs/transformers/troubleshooting#incorrect-output-when-padding-tokens-arent-masked.")
        }
        return .object(OutputObject(try model(inputs, checkInterrupt: Interrupt.check)))
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
        var json: JSONObject = ["model_type": .string(modelType)]
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
    static func json(_ value: Value) throws -> JSONValue {
        switch value {
        case .none: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .float(let x): return .double(x)
        case .str(let s): return .string(s)
        case .list(let l): return .array(try l.items.map(json))
        case .tuple(let t): return .array(try t.map(json))
        case .dict(let d): return .object(JSONObject(try d.items.map { ($0.0.str, try json($0.1)) }))
        default: throw PyError.type("Object of type \(value.typeName) is not JSON serializable")
        }
    }

    /// A JSON value as a Python value (objects keep their key order, as `json.loads` gives them).
    static func value(_ json: JSONValue) throws -> Value {
        switch json {
        case .null: return .none
        case .bool(let b): return .bool(b)
        case .int(let n): return .int(n)
        case .double(let x): return .float(x)
        case .string(let s): return .str(s)
        case .array(let a): return .list(PyList(try a.map(value)))
        case .object(let o): return .dict(try PyDict(o.map { (.str($0.key), try value($0.value)) }))
        }
    }
}
