import Foundation
import Hub
import Models
import PythonText
import TestSupport
import XCTest

/// `print(model)` and `print(model.config)` against the text transformers printed (scripts/fixtures/repr_goldens.py).
final class ReprTests: XCTestCase {
    func testModelsAndConfigsPrintAsTransformersPrintsThem() throws {
        let data = try Data(contentsOf: Fixtures.url("Fixtures/reprs.json"))
        for row in try JSONSerialization.jsonObject(with: data) as! [[String: Any]] {
            let autoClass = row["auto_class"] as! String
            guard let name = row["checkpoint"] as? String else {  // `BertConfig(**kwargs)`
                let type = autoClass == "BertConfig" ? "bert" : "distilbert"
                let kwargs = try XCTUnwrap(JSONValue(bridging: row["kwargs"] as Any)?.object, autoClass)
                let config = try ModelConfig(json: kwargs.merging(JSONObject([("model_type", .string(type))])), path: autoClass)
                XCTAssertEqual(config.pythonRepr(withModel: false), row["config"] as? String, autoClass)
                continue
            }
            let path = try checkpointPath(name, configJSON: row["config_json"] as? String)
            let checkpoint = try Checkpoint.locate(path)
            let context = "\(name) via \(autoClass)\(row["config_json"] is String ? ", patched" : "")"
            let expectedConfig = (row["config"] as! String).replacingOccurrences(of: "{checkpoint}", with: path)
            if autoClass == "AutoConfig" {
                XCTAssertEqual(try ModelConfig.load(checkpoint).pythonRepr(withModel: false), expectedConfig, context)
                continue
            }
            let model = try AutoModel.load(checkpoint, task: autoClass == "AutoModel" ? .base : .sequenceClassification)
            XCTAssertEqual(model.moduleTree.description, row["model"] as? String, context)
            XCTAssertEqual(model.config.pythonRepr(withModel: true), expectedConfig, context)
            try assertSavesAsTransformers(model, savedConfig: (row["saved_config"] as! String).replacingOccurrences(of: "{checkpoint}", with: path), context)
        }
    }

    /// `save_pretrained` writes transformers' config.json and a state dict that loads back to the same model.
    private func assertSavesAsTransformers(_ model: LoadedModel, savedConfig: String, _ context: String) throws {
        let directory = try Fixtures.temporaryDirectory().appendingPathComponent("saved")
        let files = try model.save(to: directory)
        XCTAssertEqual(files.map(\.lastPathComponent), ["config.json", "model.safetensors"], context)
        XCTAssertEqual(try String(contentsOf: files[0], encoding: .utf8), savedConfig, context)
        let task: ModelTask = model.className.hasSuffix("Model") ? .base : .sequenceClassification
        let reloaded = try AutoModel.load(Checkpoint.locate(directory.path), task: task)
        XCTAssertEqual(reloaded.moduleTree.description, model.moduleTree.description, context)
        let (before, after) = (model.moduleTree.stateDict, reloaded.moduleTree.stateDict)
        XCTAssertEqual(before.map(\.name), after.map(\.name), context)
        for (a, b) in zip(before, after) where a.tensor.floats() != b.tensor.floats() {
            XCTFail("\(context): \(a.name) changed in the round trip")
        }
    }

    /// The fixture checkpoint, or a copy of it whose config.json is `configJSON`.
    private func checkpointPath(_ name: String, configJSON: String?) throws -> String {
        let source = name == "minilm" ? try Fixtures.miniLM() : Fixtures.url("Fixtures/\(name)")
        guard let configJSON else { return source.path }
        let copy = try Fixtures.temporaryDirectory().appendingPathComponent(name)
        try FileManager.default.copyItem(at: source, to: copy)
        try Data(configJSON.utf8).write(to: copy.appendingPathComponent("config.json"))
        return copy.path
    }
}
