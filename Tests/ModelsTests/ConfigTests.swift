import Foundation
import Models
import PythonText
import XCTest

/// config.json fields read with Python's types: `true`, `1` and `1.0` are a bool, an int and a float.
final class ConfigTests: XCTestCase {
    private func config(_ fields: String) throws -> ModelConfig {
        try ModelConfig(json: object("{\"model_type\": \"distilbert\", \(fields)}"), path: "config.json")
    }

    private func object(_ text: String) throws -> JSONObject {
        let object = try JSONValue(parsing: text).object
        return try XCTUnwrap(object, text)
    }

    func testNumbersKeepTheirPythonTypes() throws {
        let c = try DistilBertConfig(config(#""n_layers": 1, "dropout": 0, "attention_dropout": 1.0, "pad_token_id": null"#))
        XCTAssertEqual(c.nLayers, 1)
        XCTAssertEqual(c.dropout, 0)
        XCTAssertEqual(c.attentionDropout, 1)
        XCTAssertNil(c.padTokenID)
        XCTAssertEqual(try config(#""num_labels": 3"#).id2label, [0: "LABEL_0", 1: "LABEL_1", 2: "LABEL_2"])
    }

    func testInvalidFieldsAreNamed() throws {
        let cases = [
            (#""n_layers": true"#, "config.json: field 'n_layers' must be a positive integer, got true"),
            (#""dim": 2.5"#, "config.json: field 'dim' must be a positive integer, got 2.5"),
            (#""dropout": 1.5"#, "config.json: field 'dropout' must be a probability between 0 and 1, got 1.5"),
            (#""pad_token_id": -1"#, "config.json: field 'pad_token_id' must be a non-negative integer or null, got -1"),
        ]
        for (fields, message) in cases {
            XCTAssertThrowsError(try DistilBertConfig(config(fields)), fields) { XCTAssertEqual("\($0)", message, fields) }
        }
        XCTAssertThrowsError(try config(#""num_labels": "two""#)) {
            XCTAssertEqual("\($0)", "config.json: field 'num_labels' must be a non-negative integer, got \"two\"")
        }
    }

    /// `BertModel(config)`: weights drawn as transformers' `_init_weights` draws them.
    func testModelsBuiltFromAConfigAreInitialisedAsTransformersDoes() throws {
        let json = try object(#"{"model_type": "bert", "hidden_size": 64, "num_hidden_layers": 1, "num_attention_heads": 4, "intermediate_size": 96, "initializer_range": 0.05, "pad_token_id": 3}"#)
        let model = try AutoModel.initialize("BertModel", config: ModelConfig(json: json, path: "BertConfig()"))
        let state = Dictionary(uniqueKeysWithValues: model.moduleTree.stateDict.map { ($0.name, $0.tensor.floats()) })
        XCTAssertEqual(state.count, 5 + 16 + 2)
        let query = state["encoder.layer.0.attention.self.query.weight"]! + state["encoder.layer.0.intermediate.dense.weight"]!
        let mean = query.reduce(0, +) / Float(query.count)
        let std = (query.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(query.count)).squareRoot()
        XCTAssertEqual(mean, 0, accuracy: 0.003)
        XCTAssertEqual(std, 0.05, accuracy: 0.002)
        for (name, values) in state where name.hasSuffix("bias") { XCTAssertEqual(Set(values), [0], name) }
        for (name, values) in state where name.hasSuffix("LayerNorm.weight") { XCTAssertEqual(Set(values), [1], name) }
        XCTAssertEqual(Set(state["embeddings.word_embeddings.weight"]![(3 * 64)..<(4 * 64)]), [0])  // padding_idx row
        XCTAssertThrowsError(try AutoModel.initialize("DistilBertModel", config: ModelConfig(json: json, path: "c"))) {
            XCTAssertEqual("\($0)", "DistilBertModel cannot be built from a BertConfig")
        }
    }
}
