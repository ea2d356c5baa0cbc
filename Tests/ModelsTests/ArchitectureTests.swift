import Foundation
import Hub
import Models
import PythonText
import TestSupport
import Testing

/// The `Architectures` registry: what each architecture declares and what reads it.
struct ArchitectureTests {
    @Test(arguments: Architectures.all.map(\.modelType))
    func everyArchitectureHasAClassPerTaskAndItsDefaults(modelType: String) throws {
        let architecture = try #require(Architectures.forModelType(modelType))
        for task in ModelTask.allCases { #expect(architecture.modelClass(for: task) != nil, "\(task)") }
        #expect(architecture.configDefaults["model_type"] == .string(modelType))
        let config = try ModelConfig(json: JSONObject([("model_type", .string(modelType))]), path: "c")
        #expect(config.className == architecture.configClass)
        for (name, field) in architecture.attributeMap { #expect(config.field(name) == architecture.configDefaults[field], "\(name)") }
    }

    @Test func classNamesAreUniqueAcrossTheRegistry() {
        let names = Architectures.all.flatMap { $0.classModules.map(\.className) }
        #expect(Set(names).count == names.count)
    }

    @Test func distilBertAnswersToBertsFieldNames() throws {
        let json = try #require(try JSONValue(parsing: #"{"model_type": "distilbert", "hidden_size": 32, "n_heads": 4}"#).object)
        let config = try ModelConfig(json: json, path: "c")
        #expect(config.json["dim"] == .int(32))
        #expect(config.json["hidden_size"] == nil)
        #expect(config.field("hidden_size") == .int(32))
        #expect(config.field("num_attention_heads") == .int(4))
        #expect(config.field("num_hidden_layers") == .int(6))
        #expect(config.fieldNames.contains("hidden_size"))
        #expect(config.pythonRepr(withModel: false).contains(#""dim": 32,"#))
    }

    @Test func errorsListTheRegistrysClasses() throws {
        let checkpoint = try Checkpoint.locate(Fixtures.url("Fixtures/tiny-bert-sharded").path)
        #expect(throws: ModelError("sbpl has no model class RobertaModel; it has BertModel, BertForSequenceClassification, DistilBertModel and DistilBertForSequenceClassification")) {
            try AutoModel.load(checkpoint, as: "RobertaModel")
        }
        let json = try #require(try JSONValue(parsing: #"{"model_type": "roberta", "architectures": ["RobertaModel"]}"#).object)
        let directory = try Fixtures.temporaryDirectory()
        try Data(PythonJSON.dumps(JSONValue.object(json)).utf8).write(to: directory.appendingPathComponent("config.json"))
        #expect(throws: ModelError("model type 'roberta' (RobertaModel) is not supported by sbpl; it has BertModel, BertForSequenceClassification, DistilBertModel and DistilBertForSequenceClassification")) {
            try AutoModel.load(Checkpoint.locate(directory.path))
        }
    }
}
