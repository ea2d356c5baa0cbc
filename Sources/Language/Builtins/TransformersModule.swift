import Foundation
import Hub
import Models
import Pipelines
import TensorCore
import Tokenizers

/// `transformers`: `pipeline`, `AutoTokenizer`, `AutoConfig`, `AutoModel`, `AutoModelForSequenceClassification`.
enum TransformersModule {
    static func make() -> Module {
        Module("transformers", [
            "pipeline": .object(BuiltinFunction("pipeline") { args in try makePipeline(args) }),
            "AutoTokenizer": .object(AutoClass("AutoTokenizer") { .object(TokenizerObject(try BertTokenizer.load($0))) }),
            "AutoConfig": .object(AutoClass("AutoConfig") { .object(ConfigObject(try ModelConfig.load($0), ofModel: false)) }),
            "AutoModel": .object(AutoClass("AutoModel") { .object(ModelObject(try AutoModel.load($0))) }),
            "AutoModelForSequenceClassification": .object(AutoClass("AutoModelForSequenceClassification") {
                .object(ModelObject(try AutoModel.load($0, task: .sequenceClassification)))
            }),
        ])
    }

    /// Finds a checkpoint by name (a folder, or the hub cache), honouring `revision=`.
    static func locate(_ name: String, revision: String?) throws -> Checkpoint {
        try Checkpoint.locate(name, revision: revision ?? "main")
    }

    private static func makePipeline(_ args: Arguments) throws -> Value {
        var known = Arguments(args.positional, keywords: args.keywords.filter { ["task", "model", "tokenizer", "revision"].contains($0.name) })
        if let unknown = args.keywords.first(where: { !["task", "model", "tokenizer", "revision", "device", "framework"].contains($0.name) }) {
            throw PyError.type("pipeline() got an unexpected keyword argument '\(unknown.name)'")
        }
        known.keywords = known.keywords.filter { $0.name != "device" }
        let a = try known.bind("pipeline", ["task", "model", "tokenizer", "revision"])
        let taskName = try a[0]?.asString("task") ?? "text-classification"
        guard let task = Pipeline.Task(name: taskName) else { throw PyError("KeyError", Pipeline.unknownTask(taskName).message) }
        let revision = try a[3].map { try $0.asString("revision") }
        let modelTask: ModelTask = task == .textClassification ? .sequenceClassification : .base
        var model: LoadedModel
        var checkpoint: Checkpoint?
        switch a[1] {
        case .object(let m as ModelObject)?: model = m.model
        case .str(let name)?:
            checkpoint = try locate(name, revision: revision)
            model = try AutoModel.load(checkpoint!, task: modelTask)
        case nil, .none?:
            let name = task.defaultCheckpoint
            FileHandle.standardError.write(Data("No model was supplied, defaulted to \(name) and revision \(task.defaultRevision) (https://huggingface.co/\(name)).\nUsing a pipeline without specifying a model name and revision in production is not recommended.\n".utf8))
            checkpoint = try revision.map { try locate(name, revision: $0) } ?? task.locateDefault()
            model = try AutoModel.load(checkpoint!, task: modelTask)
        case let other?: throw PyError.type("model must be a checkpoint name or a model, not \(other.typeName)")
        }
        let tokenizer: BertTokenizer
        switch a[2] {
        case .object(let t as TokenizerObject)?: tokenizer = t.tokenizer
        case .str(let name)?: tokenizer = try BertTokenizer.load(try locate(name, revision: revision))
        case nil, .none?: tokenizer = try BertTokenizer.load(try checkpoint ?? locate(model.checkpoint, revision: revision))
        case let other?: throw PyError.type("tokenizer must be a checkpoint name or a tokenizer, not \(other.typeName)")
        }
        return .object(PipelineObject(task: task, tokenizer: tokenizer, model: model))
    }
}

/// `AutoTokenizer`, `AutoModel`, ...: classes with `from_pretrained(checkpoint, revision=None)`.
final class AutoClass: PyObject {
    let name: String
    let load: (Checkpoint) throws -> Value

    init(_ name: String, load: @escaping (Checkpoint) throws -> Value) {
        self.name = name
        self.load = load
    }

    var typeName: String { "type" }
    var repr: String { "<class 'transformers.models.auto.\(name)'>" }
    var attributeNames: [String] { ["from_pretrained"] }

    func attribute(_ attribute: String, _ interpreter: Interpreter) throws -> Value? {
        guard attribute == "from_pretrained" else { return nil }
        return Attributes.method("from_pretrained") { [self] args in
            let known = Arguments(args.positional, keywords: args.keywords.filter { $0.name != "local_files_only" && $0.name != "torch_dtype" })
            let a = try known.bind("from_pretrained", ["pretrained_model_name_or_path", "revision"], required: 1)
            let checkpoint = try TransformersModule.locate(try a[0]!.asString("pretrained_model_name_or_path"), revision: try a[1].map { try $0.asString("revision") })
            return try load(checkpoint)
        }
    }

    func call(_ arguments: Arguments, _ interpreter: Interpreter) throws -> Value? {
        throw PyError("EnvironmentError", "\(name) is designed to be instantiated using the `\(name).from_pretrained(pretrained_model_name_or_path)` method.")
    }
}
