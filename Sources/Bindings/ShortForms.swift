import Hub
import Language
import Models
import Pipelines
import Tokenizers

/// The short forms `tokenizer` and `model`: the default sentiment checkpoint's tokenizer and classification
/// model, loaded on first use (with a one-line note on stderr) and kept for the session.
enum ShortForms {
    static func install(into interpreter: Interpreter) {
        for name in ["tokenizer", "model"] { interpreter.lazyBuiltins[name] = { try load(name, $0) } }
    }

    private static func load(_ name: String, _ interpreter: Interpreter) throws -> Value {
        let checkpointName = Pipeline.Task.textClassification.defaultCheckpoint
        interpreter.warn("sbpl: loading the \(name) of \(checkpointName) for the short form `\(name)`")
        let checkpoint = try Pipeline.Task.textClassification.locateDefault()
        return name == "tokenizer" ? .object(TokenizerObject(try BertTokenizer.load(checkpoint)))
            : .object(ModelObject(try AutoModel.load(checkpoint, task: .sequenceClassification)))
    }
}
