import Diagnostics
import Foundation
import Language
import Logging
import TestSupport
import XCTest

/// Runs sbpl programs in-process and returns what they printed.
func runProgram(_ source: String, file: String = "<test>", arguments: [String] = []) -> (stdout: String, stderr: String, status: Int32) {
    var out = ""
    let err = LogBuffer()
    let interpreter = Interpreter(write: { out += $0 }, logger: Logger(label: "test", writingTo: .buffer(err)))
    interpreter.arguments = [file] + arguments
    let status = ScriptRunner.onLargeStack { ScriptRunner.run(source, file: file, in: interpreter) }
    return (out, err.contents, status)
}

/// Each program in Fixtures/programs prints exactly what CPython printed for it (language_goldens.py).
final class ProgramTests: XCTestCase {
    func testProgramsPrintWhatPythonPrints() throws {
        let dir = Fixtures.url("Fixtures/programs")
        let programs = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".sbpl") }.sorted()
        XCTAssertGreaterThanOrEqual(programs.count, 8)
        for name in programs {
            let source = try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
            let expected = try String(contentsOf: dir.appendingPathComponent(name.replacingOccurrences(of: ".sbpl", with: ".out")), encoding: .utf8)
            let result = runProgram(source, file: name)
            XCTAssertEqual(result.status, 0, "\(name): \(result.stderr)")
            XCTAssertEqual(result.stdout, expected, name)
        }
    }
}

/// The chapter, run on the test checkpoint in a temporary hub cache, prints what python + transformers printed.
final class ChapterTests: XCTestCase {
    nonisolated(unsafe) static var cache: URL?

    override func setUpWithError() throws {
        if Self.cache == nil { Self.cache = try HubFixture.sst2Cache() }
        setenv("HF_HUB_CACHE", Self.cache!.path, 1)
        setenv("HF_HUB_OFFLINE", "1", 1)
    }

    override func tearDown() {
        unsetenv("HF_HUB_CACHE")
        unsetenv("HF_HUB_OFFLINE")
    }

    private func assertExample(_ name: String, arguments: [String] = []) throws {
        let source = try String(contentsOf: Fixtures.repositoryRoot.appendingPathComponent("examples/\(name).sbpl"), encoding: .utf8)
        let expected = try String(contentsOf: Fixtures.url("Fixtures/\(name).out"), encoding: .utf8)
        let result = runProgram(source, file: "\(name).sbpl", arguments: arguments)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, expected)
    }

    func testBehindThePipelineMatchesTransformersByteForByte() throws { try assertExample("behind_the_pipeline") }

    func testMultipleSequencesSectionsMatchTransformers() throws { try assertExample("multiple_sequences") }

    func testQuickTourShortFormsMatchTransformers() throws { try assertExample("quick_tour") }

    func testEmbeddingsOnRealMiniLMMatchPython() throws { try assertExample("embeddings", arguments: [try Fixtures.miniLM().path]) }

    func testModelsAndTokenizersSectionsMatchTransformers() throws {
        try assertExample("models_and_tokenizers", arguments: [try Fixtures.miniLM().path])
    }

    /// `print(model)`, `print(model.config)` and config fields absent from config.json, as transformers shows them
    /// (the text from ModelsTests' reprs.json, made by scripts/fixtures/repr_goldens.py).
    func testModelAndConfigPrintAsTransformers() throws {
        let data = try Data(contentsOf: Fixtures.repositoryRoot.appendingPathComponent("Tests/ModelsTests/Fixtures/reprs.json"))
        let golden = (try JSONSerialization.jsonObject(with: data) as! [[String: Any]])[0]
        let path = Fixtures.repositoryRoot.appendingPathComponent("Tests/ModelsTests/Fixtures/tiny-distilbert-sst2").path
        let result = runProgram("""
            from transformers import AutoModelForSequenceClassification
            model = AutoModelForSequenceClassification.from_pretrained("\(path)")
            print(model)
            print(model.config)
            print(model.config.qa_dropout, model.config.torch_dtype, model.config.top_k, model.config.problem_type)
            """)
        let config = (golden["config"] as! String).replacingOccurrences(of: "{checkpoint}", with: path)
        XCTAssertEqual(result.stdout, "\(golden["model"] as! String)\n\(config)\n0.1 float32 50 None\n", result.stderr)
    }
}

/// The chapter against a loopback hub: downloaded into an empty cache, then run again offline from it.
final class ChapterDownloadTests: XCTestCase {
    func testChapterDownloadsThenRunsOffline() throws {
        let root = try Fixtures.temporaryDirectory()
        try MiniLMAsDistilBert.write(to: root.appendingPathComponent(HubFixture.sst2))
        let hub = try FakeHub(root: root)
        let cache = try Fixtures.temporaryDirectory()
        setenv("HF_HUB_CACHE", cache.path, 1)
        setenv("HF_ENDPOINT", hub.endpoint.absoluteString, 1)
        defer { hub.stop(); unsetenv("HF_HUB_CACHE"); unsetenv("HF_ENDPOINT"); unsetenv("HF_HUB_OFFLINE") }
        let source = try String(contentsOf: Fixtures.repositoryRoot.appendingPathComponent("examples/behind_the_pipeline.sbpl"), encoding: .utf8)
        let expected = try String(contentsOf: Fixtures.url("Fixtures/behind_the_pipeline.out"), encoding: .utf8)
        let online = runProgram(source, file: "behind_the_pipeline.sbpl")
        XCTAssertEqual(online.status, 0, online.stderr)
        XCTAssertEqual(online.stdout, expected)
        XCTAssertTrue(hub.requests.contains("GET /lfs/"), hub.requests)
        let folder = cache.appendingPathComponent("models--distilbert--distilbert-base-uncased-finetuned-sst-2-english")
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent(".no_exist/\(HubFixture.commit)/tokenizer.json").path))
        setenv("HF_HUB_OFFLINE", "1", 1)
        let offline = runProgram(source, file: "behind_the_pipeline.sbpl")
        XCTAssertEqual(offline.status, 0, offline.stderr)
        XCTAssertEqual(offline.stdout, expected)
    }
}
