import Language
import Models
import Pipelines
import Tokenizers

/// `pipeline(...)` in the value store: its task's binding, with the tokenizer and model behind it.
final class PipelineObject: MemberTableObject {
    let binding: any PipelineBinding
    let tokenizer: PreTrainedTokenizer
    let model: LoadedModel

    init(_ type: any PipelineBinding.Type, tokenizer: PreTrainedTokenizer, model: LoadedModel) {
        binding = type.init(tokenizer: tokenizer, model: model)
        self.tokenizer = tokenizer
        self.model = model
    }

    var info: TaskInfo { type(of: binding).info }
    var typeName: String { info.className }
    var repr: String { "<transformers.pipelines.\(typeName) object>" }

    static let members = MemberTable<PipelineObject>("Pipeline", [
        .attribute("model", "the model the pipeline runs") { .object(ModelObject($0.model)) },
        .attribute("tokenizer", "the tokenizer the pipeline runs") { .object(TokenizerObject($0.tokenizer)) },
        .attribute("task", "the task's name") { .str($0.info.name) },
    ])

    func call(_ arguments: Arguments, _ interpreter: Interpreter) throws -> Value? { try binding.call(arguments) }
}
