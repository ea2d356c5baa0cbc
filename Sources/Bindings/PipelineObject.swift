import Language
import Models
import Pipelines
import Tokenizers

/// `pipeline(...)` in the value store: its task's binding, with the tokenizer and model behind it.
final class PipelineObject: MemberTableObject, CallableObject {
    let binding: any PipelineBinding
    /// The task name as given (`sentiment-analysis` stays so, as transformers keeps it).
    let task: String
    let tokenizer: PreTrainedTokenizer
    let model: LoadedModel

    /// The task's keyword arguments given to `pipeline(...)`, used by every call that does not give its own.
    let defaults: [(name: String, value: Value)]

    init(_ type: any PipelineBinding.Type, task: String, tokenizer: PreTrainedTokenizer, model: LoadedModel,
         defaults: [(name: String, value: Value)] = []) throws {
        binding = try type.init(task: task, tokenizer: tokenizer, model: model)
        self.defaults = defaults
        self.task = task
        self.tokenizer = tokenizer
        self.model = model
    }

    var info: TaskInfo { type(of: binding).info }
    var typeName: String { info.className }
    /// `transformers.pipelines.text_classification.TextClassificationPipeline`.
    private var qualifiedName: String { "transformers.pipelines.\(info.module).\(typeName)" }
    var qualifiedTypeName: String? { qualifiedName }
    var repr: String { "<\(qualifiedName) object at \(objectAddress(self))>" }

    static let members = MemberTable<PipelineObject>("Pipeline", [
        .attribute("model", "the model the pipeline runs") { .object(ModelObject($0.model)) },
        .attribute("tokenizer", "the tokenizer the pipeline runs") { .object(TokenizerObject($0.tokenizer)) },
        .attribute("task", "the task's name, as given to pipeline()") { .str($0.task) },
    ])

    func call(_ arguments: Arguments, _ interpreter: Interpreter) throws -> Value? { try binding.call(arguments, defaults: defaults, interpreter: interpreter) }
}
