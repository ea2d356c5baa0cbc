import Language
import TensorCore
import Tokenizers

/// What transformers' data collators share here: the class, a dataclass repr of their settings, `tokenizer`, and a
/// call on a list of examples (dicts or encodings) that makes one batch. Each collator is a file declaring its
/// settings and `collate`, and one line in `all`.
protocol DataCollator: CallableObject, MemberTableObject {
    /// The transformers class name.
    static var name: String { get }
    var tokenizer: TokenizerObject { get }
    /// The settings after `tokenizer`, in the order transformers' dataclass prints them, as Python reprs.
    var settings: [(name: String, repr: String)] { get }
    /// The batch of `examples` (at least one).
    func collate(_ examples: [CollatorExample], _ interpreter: Interpreter) throws -> Value
}

extension DataCollator {
    var typeName: String { Self.name }
    var qualifiedTypeName: String? { "transformers.data.data_collator.\(Self.name)" }
    var repr: String {
        "\(Self.name)(" + (["tokenizer=\(tokenizer.repr)"] + settings.map { "\($0.name)=\($0.repr)" }).joined(separator: ", ") + ")"
    }

    func call(_ arguments: Arguments, _ interpreter: Interpreter) throws -> Value? {
        let examples = try CollatorExample.all(try arguments.bind(Self.name, ["features"], required: 1)[0]!, collator: Self.name)
        guard !examples.isEmpty else { throw PyError.index("list index out of range") }
        return try collate(examples, interpreter)
    }

    /// The `tokenizer` argument, which must be a tokenizer.
    static func tokenizer(_ value: Value) throws -> TokenizerObject {
        guard case .object(let tokenizer as TokenizerObject) = value else {
            throw PyError.type("\(name) takes a tokenizer, not \(value.typeName)")
        }
        return tokenizer
    }

    /// `return_tensors`, of which sbpl makes torch tensors ('pt').
    static func checkTensors(_ value: Value?) throws { try DataCollators.checkTensors(value, name) }
}

/// The collators transformers exports, by name: each a class made from its arguments (`default_data_collator` is a
/// function, added by the module).
enum DataCollators {
    static let all: [(name: String, make: @Sendable (Arguments) throws -> any DataCollator)] = [
        (PaddingCollator.name, { try PaddingCollator($0) }),
        (TokenClassificationCollator.name, { try TokenClassificationCollator($0) }),
        (Seq2SeqCollator.name, { try Seq2SeqCollator($0) }),
        (LanguageModelingCollator.name, { try LanguageModelingCollator($0) }),
    ]

    /// A collator's `return_tensors`, of which sbpl makes torch tensors ('pt').
    static func checkTensors(_ value: Value?, _ collator: String) throws {
        if let kind = value, kind.repr != "'pt'" {
            throw PyError.notImplemented("\(collator)(return_tensors=\(kind.repr)): sbpl's batches are torch tensors ('pt')")
        }
    }

    /// The classes, as transformers' module members.
    static var types: [String: Value] {
        Dictionary(uniqueKeysWithValues: all.map { entry in
            (entry.name, .object(TypeObject(entry.name, qualified: "transformers.data.data_collator.\(entry.name)") { .object(try entry.make($0)) }))
        })
    }
}
