import Language
import Models

/// `model.generation_config`: transformers' `GenerationConfig`, the settings `generate` starts from. It prints as
/// transformers prints it (the settings that differ from the defaults) and each setting is an attribute
/// (`generation_config.max_length`).
final class GenerationConfigObject: PyObject {
    let config: GenerationConfig

    init(_ config: GenerationConfig) { self.config = config }

    var typeName: String { "GenerationConfig" }
    /// GenerationConfig defines `__eq__` and no `__hash__`: unhashable.
    var isHashable: Bool { false }
    var qualifiedTypeName: String? { "transformers.generation.configuration_utils.GenerationConfig" }
    var repr: String { config.pythonRepr }
    var attributeNames: [String] { config.fieldNames }

    func attribute(_ name: String, _ interpreter: Interpreter) throws -> Value? { try config.field(name).map(Value.init(json:)) }
}
