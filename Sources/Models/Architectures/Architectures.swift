/// The registry: every architecture sbpl has, one line each. The Auto classes choose from it by `model_type`,
/// the `transformers` module lists its classes, and errors name what it holds.
public enum Architectures {
    public static let all: [Architecture] = [
        .bert,
        .distilBert,
        .roberta,
        .gpt2,
        .bart,
        .t5,
        .marian,
    ]

    /// The architecture whose `model_type` is `modelType`.
    public static func forModelType(_ modelType: String) -> Architecture? { all.first { $0.modelType == modelType } }

    /// The model class called `name` and its architecture.
    public static func modelClass(named name: String) -> (architecture: Architecture, modelClass: ModelClass)? {
        for architecture in all {
            if let modelClass = architecture.modelClasses.first(where: { $0.name == name }) { return (architecture, modelClass) }
        }
        return nil
    }

    /// Every model class name, in registry order (`BertModel, BertForSequenceClassification, ...`).
    public static var modelClassNames: [String] { all.flatMap { $0.modelClasses.map(\.name) } }

    /// The model class names for an error message: `A, B, C and D`.
    static var modelClassList: String { listed(modelClassNames) }

    /// The model types for an error message: `bert and distilbert`.
    static var modelTypeList: String { listed(all.map(\.modelType)) }

    private static func listed(_ names: [String]) -> String {
        names.count < 2 ? names.joined() : names.dropLast().joined(separator: ", ") + " and " + names[names.count - 1]
    }
}
