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
        // a script that loaded its own tokenizer (or model) under another name and then wrote `tokenizer` made a
        // mistake: Python's NameError, naming what it has, rather than silently the sentiment checkpoint's
        if !interpreter.isInteractive, let own = interpreter.globals.values.first(where: { isKind(name, $0.value) })?.key {
            throw PyError(.nameError, "name '\(name)' is not defined (this script's \(name) is '\(own)'; sbpl's short form `\(name)` loads a default checkpoint only in the shell or in a script that has no \(name) of its own)")
        }
        let task = TextClassificationPipeline.info
        interpreter.warn("sbpl: loading the \(name) of \(task.defaultCheckpoint) for the short form `\(name)`")
        let checkpoint = try task.locateDefault(isInterrupted: Interrupt.consume)
        return name == "tokenizer" ? .object(TokenizerObject(try PreTrainedTokenizer.load(checkpoint)))
            : .object(ModelObject(try AutoModel.load(checkpoint, task: .sequenceClassification).announced()))
    }

    /// Whether `value` is what the short form `name` stands for: a tokenizer, or a model.
    private static func isKind(_ name: String, _ value: Value) -> Bool {
        guard case .object(let object) = value else { return false }
        return name == "tokenizer" ? object is TokenizerObject : object is ModelObject
    }
}
