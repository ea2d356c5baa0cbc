import Foundation
import Models
import PythonText
import Testing

/// config.json fields read with Python's types: `true`, `1` and `1.0` are a bool, an int and a float.
struct ConfigTests {
    private func object(_ text: String) throws -> JSONObject {
        try #require(try JSONValue(parsing: text).object, "\(text)")
    }

    private func config(_ fields: String) throws -> ModelConfig {
        try ModelConfig(json: object("{\"model_type\": \"distilbert\", \(fields)}"), path: "config.json")
    }

    @Test func numbersKeepTheirPythonTypes() throws {
        let c = try DistilBertConfig(config(#""n_layers": 1, "dropout": 0, "attention_dropout": 1.0, "pad_token_id": null"#))
        #expect(c.nLayers == 1)
        #expect(c.dropout == 0)
        #expect(c.attentionDropout == 1)
        #expect(c.padTokenID == nil)
        #expect(try config(#""num_labels": 3"#).id2label == [0: "LABEL_0", 1: "LABEL_1", 2: "LABEL_2"])
    }

    @Test(arguments: [
        (#""n_layers": true"#, "config.json: field 'n_layers' must be a positive integer, got true"),
        (#""dim": 2.5"#, "config.json: field 'dim' must be a positive integer, got 2.5"),
        (#""dropout": 1.5"#, "config.json: field 'dropout' must be a probability between 0 and 1, got 1.5"),
        (#""pad_token_id": -1"#, "config.json: field 'pad_token_id' must be a non-negative integer or null, got -1"),
        (#""activation": 1"#, "config.json: field 'activation' must name an activation, got 1"),
        (#""activation": "mish""#, "config.json: field 'activation' names activation 'mish'; sbpl has gelu, relu, gelu_new, silu, swish"),
    ])
    func invalidFieldsAreNamed(fields: String, message: String) throws {
        let config = try config(fields)
        #expect { try DistilBertConfig(config) } throws: { "\($0)" == message }
    }

    @Test func invalidLabelCountIsNamed() {
        #expect { try config(#""num_labels": "two""#) } throws: {
            "\($0)" == "config.json: field 'num_labels' must be a non-negative integer, got \"two\""
        }
    }

    /// `BertModel(config)`: weights drawn as transformers' `_init_weights` draws them, by layer kind.
    @Test func modelsBuiltFromAConfigAreInitialisedAsTransformersDoes() throws {
        let json = try object(#"{"model_type": "bert", "hidden_size": 64, "num_hidden_layers": 1, "num_attention_heads": 4, "intermediate_size": 96, "initializer_range": 0.05, "pad_token_id": 3}"#)
        let model = try AutoModel.initialize("BertModel", config: ModelConfig(json: json, path: "BertConfig()"))
        let state = Dictionary(uniqueKeysWithValues: model.moduleTree.stateDict.map { ($0.name, $0.tensor.floats()) })
        #expect(state.count == 5 + 16 + 2)
        let drawn = try #require(state["encoder.layer.0.attention.self.query.weight"]) + #require(state["encoder.layer.0.intermediate.dense.weight"])
        let mean = drawn.reduce(0, +) / Float(drawn.count)
        let std = (drawn.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(drawn.count)).squareRoot()
        #expect(abs(mean) < 0.003)
        #expect(abs(std - 0.05) < 0.002)
        for (name, values) in state where name.hasSuffix("bias") { #expect(Set(values) == [0], "\(name)") }
        for (name, values) in state where name.hasSuffix("LayerNorm.weight") { #expect(Set(values) == [1], "\(name)") }
        let words = try #require(state["embeddings.word_embeddings.weight"])
        #expect(Set(words[(3 * 64)..<(4 * 64)]) == [0])  // padding_idx row
        #expect(Set(words[(4 * 64)..<(5 * 64)]).count > 1)
        #expect { try AutoModel.initialize("DistilBertModel", config: ModelConfig(json: json, path: "c")) } throws: {
            "\($0)" == "DistilBertModel cannot be built from a BertConfig"
        }
    }
}
