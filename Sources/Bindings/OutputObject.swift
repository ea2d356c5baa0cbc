import Language
import Models

/// A model's output (`SequenceClassifierOutput`, ...): an ordered mapping of its set fields, each also an attribute
/// (`outputs.logits`, `outputs["logits"]`, `outputs[0]`), None fields printed but not iterated, as transformers'
/// `ModelOutput`.
final class OutputObject: MappingObject {
    let output: ModelOutput

    init(_ output: ModelOutput) { self.output = output }

    var typeName: String { output.typeName }
    /// A ModelOutput is an OrderedDict: unhashable.
    var isHashable: Bool { false }
    var repr: String { output.description }
    var qualifiedTypeName: String? { "transformers.modeling_outputs.\(output.typeName)" }

    var mappingKeys: [String] { output.keys }
    func mappingValue(_ key: String) -> Value? { output.field(key)?.value }
    func positionalItem(_ index: Int) throws -> Value? {
        guard let field = output.at(index) else { throw PyError.index("tuple index out of range") }
        return field.value
    }
    /// `outputs[:2]`: a slice of `to_tuple()`.
    var sliceableItems: [Value]? { mappingItems.map(\.value) }

    private static let members = MemberTable<OutputObject>("ModelOutput", [
        .method("keys", "", "a view of the set fields' names, in order") { o, _ in .object(DictView("keys", o.mappingKeys.map(Value.str), ordered: true)) },
        .method("values", "", "a view of the set fields, in order") { o, _ in .object(DictView("values", o.mappingItems.map(\.value), ordered: true)) },
        .method("items", "", "a view of the (name, field) pairs, in order") { o, _ in
            .object(DictView("items", o.mappingItems.map { .tuple([.str($0.key), $0.value]) }, ordered: true))
        },
        .method("to_tuple", "", "the set fields, in order, as a tuple") { o, _ in .tuple(o.mappingItems.map(\.value)) },
        .method("get", "key, default=None, /", "a set field by name, else default") { o, call in
            guard case .str(let name) = call[0]! else { return call[1] ?? .none }
            return o.mappingValue(name) ?? call[1] ?? .none
        },
    ])

    var attributeNames: [String] { output.fields.map(\.name) + Self.members.names }

    func attribute(_ name: String, _ interpreter: Interpreter) throws -> Value? {
        if output.hasField(name) { return output.field(name)?.value ?? Value.none }
        return try Self.members.value(of: name, for: self, interpreter)
    }

    var help: String? {
        "\(typeName): model outputs with fields \(output.fields.map(\.name).joined(separator: ", ")); read them as out.logits, out['logits'] or out[0]."
    }
}

extension ModelOutput.Field {
    /// The field as Python sees it: a tensor, or a tuple of tensors.
    var value: Value {
        switch self {
        case .tensor(let t): .tensor(t)
        case .tensors(let ts): .tuple(ts.map { $0.map(Value.tensor) ?? .none })
        case .layers(let layers): .tuple(layers.map { .tuple($0.map(Value.tensor)) })
        }
    }
}
