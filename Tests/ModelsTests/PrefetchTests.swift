import Foundation
import Hub
import Pipelines
import TestSupport
import Testing

/// `sbpl download REPO` against the loopback hub (Tests/HubTests/Fixtures/fake_hub.py).
struct PrefetchTests {
    /// A repository whose files are no tokenizer or model sbpl could load still downloads whole, shards included.
    @Test func fetchesTheFilesOfAnyRepositoryWithoutLoadingThem() async throws {
        let root = try Fixtures.temporaryDirectory()
        let repo = root.appendingPathComponent("org/anything")
        try FileManager.default.createDirectory(at: repo, withIntermediateDirectories: true)
        let files = [
            "config.json": #"{"model_type": "gpt2"}"#,
            "vocab.json": #"{"a": 0}"#,
            "merges.txt": "#version: 0.2\n",
            "model.safetensors.index.json": #"{"weight_map": {"a": "model-00001-of-00002.safetensors", "b": "model-00002-of-00002.safetensors"}}"#,
            "model-00001-of-00002.safetensors": "not really weights",
            "model-00002-of-00002.safetensors": "nor these",
        ]
        for (name, text) in files { try text.write(to: repo.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        let cache = HubCache(root: try Fixtures.temporaryDirectory())
        let directory = try await FakeHub.serving(root) { hub in
            var downloader = HubDownloader(endpoint: hub.endpoint, cache: cache, token: nil)
            downloader.showProgress = false
            return try Prefetch.checkpoint(Checkpoint.locate("org/anything", cache: cache, fetching: .using(downloader))).directory
        }
        for (name, text) in files {
            #expect(try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8) == text, "\(name)")
        }
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("tokenizer.json").path))
    }
}
