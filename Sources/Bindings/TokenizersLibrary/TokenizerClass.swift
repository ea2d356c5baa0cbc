import Foundation
import Language
import Tokenizers

/// `tokenizers.Tokenizer`: `Tokenizer(model)` builds one to train, `Tokenizer.from_file(path)` reads a
/// `tokenizer.json`.
final class TokenizerClass: CallableObject {
    var typeName: String { "type" }
    var repr: String { "<class 'tokenizers.Tokenizer'>" }

    func attribute(_ name: String, _ interpreter: Interpreter) throws -> Value? {
        guard name == "from_file" else { return nil }
        return .object(BuiltinFunction("from_file") { args in
            let path = try args.bind("from_file", ["path"], required: 1)[0]!.asString("argument 'path':")
            return .object(BackendTokenizerObject(try TokenizerJSON(url: URL(fileURLWithPath: path)).tokenizer(), isOwn: true))
        })
    }

    var attributeNames: [String] { ["from_file"] }

    /// `Tokenizer(model)`: a tokenizer with no other stage yet.
    func call(_ arguments: Arguments, _ interpreter: Interpreter) throws -> Value? {
        let given = try arguments.bind("Tokenizer.__new__", ["model"], required: 1)[0]!
        guard case .object(let model as TokenizerModelObject) = given else {
            throw PyError.type("argument 'model': '\(given.typeName)' object cannot be converted to 'Model'")
        }
        let tokenizer = Tokenizer(normalizer: nil, preTokenizer: nil, model: model.model, postProcessor: nil, decoder: nil, addedTokens: [])
        return .object(BackendTokenizerObject(tokenizer, isOwn: true, model: model))
    }
}
