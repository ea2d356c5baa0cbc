import Foundation
import Hub
import Models
import TensorCore
import TestSupport
import Tokenizers
import XCTest

/// Forward passes against what PyTorch + transformers computed (scripts/fixtures/model_goldens.py).
final class ModelParityTests: XCTestCase {
    nonisolated(unsafe) static let expected = try! JSONSerialization.jsonObject(
        with: Data(contentsOf: Fixtures.url("Fixtures/expected.json"))) as! [String: [String: Any]]

    private func golden(_ model: String, _ field: String) -> Tensor { Fixtures.floatTensor(Self.expected[model]![field]!) }

    private func tinyInputs(types: Bool = false) -> ModelInputs {
        let raw = Self.expected["tiny_inputs"]!
        func ints(_ key: String) -> Tensor {
            let rows = raw[key] as! [[Int]]
            return Tensor(ints: rows.flatMap { $0.map(Int64.init) }, shape: [rows.count, rows[0].count])
        }
        return ModelInputs(inputIDs: ints("input_ids"), attentionMask: ints("attention_mask"),
                           tokenTypeIDs: types ? ints("token_type_ids") : nil)
    }

    private func load(_ name: String, _ task: ModelTask) throws -> LoadedModel {
        try AutoModel.load(Checkpoint.locate(Fixtures.url("Fixtures/\(name)").path), task: task)
    }

    func testTinyDistilBertClassifierMatchesPyTorch() throws {
        let model = try load("tiny-distilbert-sst2", .sequenceClassification)
        XCTAssertEqual(model.className, "DistilBertForSequenceClassification")
        assertClose(try model(tinyInputs())["logits"]!, golden("tiny-distilbert-sst2", "logits"), tolerance: 1e-5)
        let base = try load("tiny-distilbert-sst2", .base)
        XCTAssertEqual(base.className, "DistilBertModel")
        assertClose(try base(tinyInputs())["last_hidden_state"]!, golden("tiny-distilbert-sst2", "last_hidden_state"), tolerance: 1e-5)
    }

    func testFloat16BertClassifierWithTokenTypesMatchesPyTorch() throws {
        let model = try load("tiny-bert-cls-f16", .sequenceClassification)
        XCTAssertEqual(model.className, "BertForSequenceClassification")
        XCTAssertEqual(model.config.id2label, [0: "a", 1: "b", 2: "c"])
        assertClose(try model(tinyInputs(types: true))["logits"]!, golden("tiny-bert-cls-f16", "logits"), tolerance: 1e-5)
    }

    func testShardedBertModelWithPoolerMatchesPyTorch() throws {
        let output = try load("tiny-bert-sharded", .base)(tinyInputs())
        XCTAssertEqual(output.typeName, "BaseModelOutputWithPoolingAndCrossAttentions")
        assertClose(output["last_hidden_state"]!, golden("tiny-bert-sharded", "last_hidden_state"), tolerance: 1e-5)
        assertClose(output["pooler_output"]!, golden("tiny-bert-sharded", "pooler_output"), tolerance: 1e-5)
    }

    func testMiniLMRealWeightsMatchPyTorch() throws {
        let checkpoint = try Checkpoint.locate(try Fixtures.miniLM().path)
        let tokenizer = try BertTokenizer.load(checkpoint)
        var options = EncodingOptions()
        (options.padding, options.truncation, options.returnTensors) = (.longest, .longestFirst, true)
        let encoding = try tokenizer.encode(Self.expected["minilm"]!["sentences"] as! [String], options: options)
        let inputs = ModelInputs(inputIDs: try encoding["input_ids"]!.asTensor(), attentionMask: try encoding["attention_mask"]!.asTensor(),
                                 tokenTypeIDs: try encoding["token_type_ids"]!.asTensor())
        let output = try AutoModel.load(checkpoint)(inputs)
        assertClose(output["last_hidden_state"]!, golden("minilm", "last_hidden_state"), tolerance: 1e-4)
        assertClose(output["pooler_output"]!, golden("minilm", "pooler_output"), tolerance: 1e-4)
    }

    func testMiniLMInDistilBertLayoutMatchesPyTorch() throws {
        let dir = try Fixtures.temporaryDirectory()
        try MiniLMAsDistilBert.write(to: dir)
        let checkpoint = try Checkpoint.locate(dir.path)
        var options = EncodingOptions()
        (options.padding, options.truncation, options.returnTensors) = (.longest, .longestFirst, true)
        let encoding = try BertTokenizer.load(checkpoint).encode(Self.expected["minilm_as_distilbert"]!["sentences"] as! [String], options: options)
        let inputs = ModelInputs(inputIDs: try encoding["input_ids"]!.asTensor(), attentionMask: try encoding["attention_mask"]!.asTensor())
        let logits = try AutoModel.load(checkpoint, task: .sequenceClassification)(inputs)["logits"]!
        XCTAssertEqual(logits.shape, [2, 2])
        assertClose(logits, golden("minilm_as_distilbert", "logits"), tolerance: 1e-4)
        let hidden = try AutoModel.load(checkpoint)(inputs)["last_hidden_state"]!
        XCTAssertEqual(hidden.shape, [2, 16, 384])
        assertClose(hidden, golden("minilm_as_distilbert", "last_hidden_state"), tolerance: 1e-4)
    }
}
