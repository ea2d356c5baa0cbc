import Foundation
import Hub
import Models
import PythonText
import TestSupport
import Testing

/// `print(model)`, `print(model.config)` and `save_pretrained` against what transformers printed and wrote
/// (reprs.json, made by scripts/fixtures/repr_goldens.py), one test case per row.
struct ReprTests {
    @Test func everyRowOfTheFixtureIsReplayed() {
        #expect(ReprRow.all.count == 12)
        #expect(ReprRow.fromKeywords.count + ReprRow.autoConfig.count + ReprRow.models.count == ReprRow.all.count)
    }

    /// `BertConfig(**kwargs)`.
    @Test(arguments: ReprRow.fromKeywords)
    func configsBuiltFromKeywordsPrintAsTransformers(row: ReprRow) throws {
        let architecture = try #require(Architectures.all.first { $0.configClass == row.autoClass })
        let kwargs = try #require(row.kwargs)
        let config = try ModelConfig(json: kwargs.merging(["model_type": .string(architecture.modelType)]), path: row.autoClass)
        #expect(config.pythonRepr(withModel: false) == row.config)
    }

    @Test(arguments: ReprRow.autoConfig)
    func autoConfigsPrintAsTransformers(row: ReprRow) throws {
        let path = try row.checkpointPath()
        #expect(try ModelConfig.load(Checkpoint.locate(path)).pythonRepr(withModel: false) == row.config(at: path))
    }

    @Test(arguments: ReprRow.models)
    func modelsPrintAndSaveAsTransformers(row: ReprRow) throws {
        let path = try row.checkpointPath()
        let task: ModelTask = row.autoClass == "AutoModel" ? .base : .sequenceClassification
        let model = try AutoModel.load(Checkpoint.locate(path), task: task)
        #expect(model.moduleTree.description == row.model)
        #expect(model.config.pythonRepr(withModel: true) == row.config(at: path))

        let directory = try Fixtures.temporaryDirectory().appendingPathComponent("saved")
        let files = try model.save(to: directory)
        #expect(files.map(\.lastPathComponent) == ["config.json", "model.safetensors"])
        #expect(try String(contentsOf: files[0], encoding: .utf8) == row.savedConfig?.replacingOccurrences(of: "{checkpoint}", with: path))
        let reloaded = try AutoModel.load(Checkpoint.locate(directory.path), task: task)
        #expect(reloaded.moduleTree.description == model.moduleTree.description)
        let (before, after) = (model.moduleTree.stateDict, reloaded.moduleTree.stateDict)
        #expect(before.map(\.name) == after.map(\.name))
        for (a, b) in zip(before, after) { #expect(a.tensor.floats() == b.tensor.floats(), "\(a.name) changed in the round trip") }
    }
}

/// One row of reprs.json: a checkpoint loaded through an Auto class (its config.json optionally patched), or a
/// config class built from keywords, with what transformers printed and saved.
struct ReprRow: Sendable, CustomTestStringConvertible {
    /// The row's place in the file, from 1.
    let number: Int
    /// `AutoModel`, `AutoModelForSequenceClassification`, `AutoConfig`, or a config class (`BertConfig`).
    let autoClass: String
    /// The fixture checkpoint (`minilm` is the downloaded MiniLM); nil for a config built from `kwargs`.
    let checkpoint: String?
    /// The config.json the checkpoint is patched with, if any.
    let configJSON: String?
    let kwargs: JSONObject?
    /// `print(config)`, with `{checkpoint}` for the checkpoint's path.
    let config: String
    /// `print(model)`.
    let model: String?
    /// The config.json `save_pretrained` wrote, with `{checkpoint}` for the checkpoint's path.
    let savedConfig: String?

    var testDescription: String {
        "#\(number) " + (checkpoint.map { "\($0) via \(autoClass)" + (configJSON == nil ? "" : ", patched") } ?? "\(autoClass)(**kwargs)")
    }

    static let all: [ReprRow] = (try? load()) ?? []
    static let fromKeywords = all.filter { $0.checkpoint == nil }
    static let autoConfig = all.filter { $0.checkpoint != nil && $0.autoClass == "AutoConfig" }
    static let models = all.filter { $0.checkpoint != nil && $0.autoClass != "AutoConfig" }

    private static func load() throws -> [ReprRow] {
        let text = try String(contentsOf: Fixtures.url("Fixtures/reprs.json"), encoding: .utf8)
        return try JSONValue(parsing: text).array?.enumerated().compactMap { index, value in
            guard let row = value.object, let autoClass = row["auto_class"]?.string, let config = row["config"]?.string else { return nil }
            return ReprRow(number: index + 1, autoClass: autoClass, checkpoint: row["checkpoint"]?.string,
                           configJSON: row["config_json"]?.string, kwargs: row["kwargs"]?.object, config: config,
                           model: row["model"]?.string, savedConfig: row["saved_config"]?.string)
        } ?? []
    }

    /// `config` for the checkpoint at `path`.
    func config(at path: String) -> String { config.replacingOccurrences(of: "{checkpoint}", with: path) }

    /// The fixture checkpoint, or a copy of it whose config.json is `configJSON`.
    func checkpointPath() throws -> String {
        let name = try #require(checkpoint)
        let source = name == "minilm" ? try Fixtures.miniLM() : Fixtures.url("Fixtures/\(name)")
        guard let configJSON else { return source.path }
        let copy = try Fixtures.temporaryDirectory().appendingPathComponent(name)
        try FileManager.default.copyItem(at: source, to: copy)
        try Data(configJSON.utf8).write(to: copy.appendingPathComponent("config.json"))
        return copy.path
    }
}
