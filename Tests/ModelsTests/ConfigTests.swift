import Foundation
import Models
import XCTest

/// config.json fields read with Python's types: `true`, `1` and `1.0` are a bool, an int and a float.
final class ConfigTests: XCTestCase {
    private func config(_ fields: String) throws -> ModelConfig {
        let json = try JSONSerialization.jsonObject(with: Data("{\"model_type\": \"distilbert\", \(fields)}".utf8))
        return try ModelConfig(json: json as! [String: Any], path: "config.json")
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
}
