import Foundation
import Hub
import Models
import PythonText
import TensorCore
import TestSupport
import Testing

/// The `Architectures` registry: what each architecture declares and what reads it.
struct ArchitectureTests {
    /// The heads transformers has for each architecture that sbpl builds.
    static let tasks: [String: [ModelTask]] = [
        "bert": [.base, .sequenceClassification, .maskedLM, .tokenClassification, .questionAnswering],
        "distilbert": [.base, .sequenceClassification, .maskedLM, .tokenClassification, .questionAnswering],
        "roberta": [.base, .sequenceClassification, .maskedLM],
        "gpt2": [.base, .causalLM],
        "bart": [.base, .sequenceClassification, .seq2seqLM],
        "t5": [.base, .seq2seqLM],
        "marian": [.base, .seq2seqLM],
    ]

    @Test(arguments: Architectures.all.map(\.modelType))
    func everyArchitectureHasItsClassesAndDefaults(modelType: String) throws {
        let architecture = try #require(Architectures.forModelType(modelType))
        #expect(architecture.modelClasses.map(\.task) == Self.tasks[modelType])
        #expect(architecture.configDefaults["model_type"] == .string(modelType))
        let config = try ModelConfig(json: ["model_type": .string(modelType)], path: "c")
        #expect(config.className == architecture.configClass)
        for (name, field) in architecture.attributeMap { #expect(config.field(name) == architecture.configDefaults[field], "\(name)") }
    }

    /// Every class of the registry, built from a tiny config, saved and loaded back: the loader's keys are the
    /// module tree's (a renamed property or checkpoint key fails here), and the reloaded model computes the same. A
    /// model built from a config starts in training mode and a loaded one in eval mode, as in torch, so the fresh one
    /// is put in eval mode first.
    @Test(arguments: Architectures.modelClassNames)
    func freshModelsSaveAndLoadBack(className: String) throws {
        let (architecture, _) = try #require(Architectures.modelClass(named: className))
        let json = try #require(try JSONValue(parsing: #"{"vocab_size": 99, "hidden_size": 16, "num_attention_heads": 2, "num_hidden_layers": 1, "max_position_embeddings": 16}"#).object)
        let config = try ModelConfig(json: json.merging(["model_type": .string(architecture.modelType)]), path: "c")
        let model = try AutoModel.initialize(className, config: config)
        #expect(model.mode.isTraining(at: ""))
        model.mode.setTraining(false, at: "")
        let directory = try Fixtures.temporaryDirectory()
        _ = try model.save(to: directory)
        let reloaded = try AutoModel.load(Checkpoint.locate(directory.path), as: className)
        #expect(reloaded.moduleTree.description == model.moduleTree.description)
        #expect(reloaded.moduleTree.stateDict.map(\.name) == model.moduleTree.stateDict.map(\.name))
        var inputs = ModelInputs(inputIDs: Tensor(ints: [2, 45, 67, 3], shape: [1, 4]))
        inputs.decoderInputIDs = Tensor(ints: [0, 45], shape: [1, 2])  // T5 takes no default decoder input
        let (before, after) = (try model(inputs), try reloaded(inputs))
        #expect(before.keys == after.keys)
        for key in before.keys { #expect(before[key]?.floats() == after[key]?.floats(), "\(key)") }
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
        #expect(throws: ModelError("sbpl has no model class XLNetModel; it has BertModel, BertForSequenceClassification, BertForMaskedLM, BertForTokenClassification, BertForQuestionAnswering, DistilBertModel, DistilBertForSequenceClassification, DistilBertForMaskedLM, DistilBertForTokenClassification, DistilBertForQuestionAnswering, RobertaModel, RobertaForSequenceClassification, RobertaForMaskedLM, GPT2Model, GPT2LMHeadModel, BartModel, BartForSequenceClassification, BartForConditionalGeneration, T5Model, T5ForConditionalGeneration, MarianModel and MarianMTModel")) {
            try AutoModel.load(checkpoint, as: "XLNetModel")
        }
        let json = try #require(try JSONValue(parsing: #"{"model_type": "xlnet", "architectures": ["XLNetModel"]}"#).object)
        let directory = try Fixtures.temporaryDirectory()
        try Data(PythonJSON.dumps(JSONValue.object(json)).utf8).write(to: directory.appendingPathComponent("config.json"))
        #expect(throws: ModelError("model type 'xlnet' (XLNetModel) is not supported by sbpl; it has bert, distilbert, roberta, gpt2, bart, t5 and marian")) {
            try AutoModel.load(Checkpoint.locate(directory.path))
        }
        #expect(throws: ModelError("sbpl has no AutoModelForMaskedLM class for 'gpt2' checkpoints yet (it has GPT2Model, GPT2LMHeadModel)")) {
            try AutoModel.load(Checkpoint.locate(Fixtures.url("Fixtures/tasks/tiny-gpt2").path), task: .maskedLM)
        }
    }

    /// A checkpoint without the head asked for (a base model, or one trained for another head) gets a new head,
    /// drawn as transformers draws it, and says which tensors are new, in transformers' order.
    @Test func checkpointWithoutTheHeadGetsANewOne() throws {
        let mlm = try AutoModel.load(Checkpoint.locate(Fixtures.url("Fixtures/tasks/tiny-bert-mlm").path), task: .tokenClassification)
        #expect(mlm.newlyInitialized == ["classifier.bias", "classifier.weight"])
        let base = try AutoModel.load(Checkpoint.locate(Fixtures.url("Fixtures/tiny-bert-sharded").path), task: .questionAnswering)
        #expect(base.newlyInitialized == ["qa_outputs.bias", "qa_outputs.weight"])
        let trained = try AutoModel.load(Checkpoint.locate(Fixtures.url("Fixtures/tiny-distilbert-sst2").path), task: .sequenceClassification)
        #expect(trained.newlyInitialized.isEmpty)
    }
}
