import Hub
import Models
import Pipelines
import Tokenizers

extension Interpreter {
    /// The short forms `tokenizer` and `model`: the default sentiment checkpoint's tokenizer and classification
    /// model, loaded on first use (with a one-line note on stderr) and kept for the session.
    func lazyBuiltin(_ name: String) throws -> Value? {
        guard name == "tokenizer" || name == "model" else { return nil }
        let checkpointName = Pipeline.Task.textClassification.defaultCheckpoint
        warn("sbpl: loading the \(name) of \(checkpointName) for the short form `\(name)`")
        let checkpoint = try Pipeline.Task.textClassification.locateDefault()
        let value: Value = name == "tokenizer" ? .object(TokenizerObject(try BertTokenizer.load(checkpoint)))
            : .object(ModelObject(try AutoModel.load(checkpoint, task: .sequenceClassification)))
        builtins.define(name, value)
        return value
    }
}
