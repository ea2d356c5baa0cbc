import Bindings
import Diagnostics
import Foundation
import Language
import Logging
import TensorCore
import TestSupport
import Testing

/// Runs sbpl programs in-process and returns what they printed.
func runProgram(_ source: String, file: String = "<test>", arguments: [String] = []) -> (stdout: String, stderr: String, status: Int32) {
    var out = ""
    let err = LogBuffer()
    let interpreter = Interpreter(write: { out += $0 }, logger: Logger(label: "test", writingTo: .buffer(err)))
    Bindings.install(into: interpreter)
    interpreter.arguments = [file] + arguments
    // each program draws from a generator of its own, as a fresh process would, whatever runs beside it
    let status = ScriptRunner.onLargeStack { RandomGenerator.withOwnGenerator { ScriptRunner.run(source, file: file, in: interpreter) } }
    return (out, err.contents, status)
}

/// One program of a fixture folder: `NAME.sbpl` and what the reference printed for it, `NAME.out`.
struct ProgramRow: Sendable, CustomTestStringConvertible {
    let directory: URL
    let name: String

    /// Fixtures/programs: pure Python, `.out` from CPython (language_goldens.py).
    static let programs = Fixtures.url("Fixtures/programs")
    /// Programs of Fixtures/programs whose output holds results of matrix products, compared with `NumberTolerance.blas`.
    static let throughBLAS: Set = ["tensors", "torch_functions"]

    var testDescription: String { name }
    var source: String { get throws { try String(contentsOf: directory.appendingPathComponent(name + ".sbpl"), encoding: .utf8) } }
    var expected: String { get throws { try String(contentsOf: directory.appendingPathComponent(name + ".out"), encoding: .utf8) } }

    /// Every program of `directory`, by name.
    static func all(in directory: URL = programs) throws -> [ProgramRow] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".sbpl") }.sorted()
            .map { ProgramRow(directory: directory, name: String($0.dropLast(".sbpl".count))) }
    }
}

/// Each program prints exactly what CPython printed for it.
@Suite struct ProgramTests {
    @Test func programsFixtureHasEveryProgram() throws {
        #expect(try ProgramRow.all().count == 51)
    }

    @Test(arguments: try ProgramRow.all())
    func programPrintsWhatPythonPrints(_ program: ProgramRow) throws {
        let result = runProgram(try program.source, file: program.name + ".sbpl")
        #expect(result.status == 0, "\(result.stderr)")
        if ProgramRow.throughBLAS.contains(program.name) {
            #expect(PrintedText.difference(result.stdout, try program.expected) == nil)
        } else {
            #expect(result.stdout == (try program.expected))
        }
    }
}

/// One example of examples/: a chapter section as a script, what python + transformers printed for it
/// (Fixtures/NAME.out), and whether it takes the MiniLM folder as its argument.
struct ExampleRow: Sendable, CustomTestStringConvertible {
    let name: String
    let takesMiniLM: Bool

    var testDescription: String { name }
    var script: URL { Fixtures.repositoryRoot.appendingPathComponent("examples/\(name).sbpl") }
    var expected: String { get throws { try String(contentsOf: Fixtures.url("Fixtures/\(name).out"), encoding: .utf8) } }

    static let all = [
        ExampleRow(name: "behind_the_pipeline", takesMiniLM: false), ExampleRow(name: "multiple_sequences", takesMiniLM: false),
        ExampleRow(name: "quick_tour", takesMiniLM: false), ExampleRow(name: "embeddings", takesMiniLM: true),
        ExampleRow(name: "models_and_tokenizers", takesMiniLM: true),
    ]
}

/// The chapter, run by the sbpl binary on the test checkpoint in a temporary hub cache, prints what python +
/// transformers printed (numbers from matrix products within `NumberTolerance.blas`, all else exact).
@Suite struct ChapterTests {
    /// A hub cache holding the test checkpoint, made once for all the examples.
    nonisolated(unsafe) static var cache: URL?

    private static func sst2Cache() throws -> URL {
        if let cache { return cache }
        let made = try HubFixture.sst2Cache()
        cache = made
        return made
    }

    @Test func examplesAreAllListed() throws {
        let scripts = try FileManager.default.contentsOfDirectory(atPath: Fixtures.repositoryRoot.appendingPathComponent("examples").path)
        #expect(Set(scripts.filter { $0.hasSuffix(".sbpl") }) == Set(ExampleRow.all.map { $0.name + ".sbpl" }))
    }

    @Test(.serialized, arguments: ExampleRow.all)
    func exampleMatchesTransformers(_ example: ExampleRow) async throws {
        let miniLM = try Fixtures.miniLM()
        let cache = try Self.sst2Cache()
        let result = try await ChildProcess.run(try SbplBinary.url(), [example.script.path] + (example.takesMiniLM ? [miniLM.path] : []),
                                                environment: ["HF_HUB_CACHE": cache.path, "HF_HUB_OFFLINE": "1"])
        #expect(result.status == 0, "\(result.err)")
        #expect(PrintedText.difference(result.out, try example.expected) == nil)
    }

    /// `print(model)`, `print(model.config)` and config fields absent from config.json, as transformers shows them
    /// (the text from ModelsTests' reprs.json, made by scripts/fixtures/repr_goldens.py).
    @Test func modelAndConfigPrintAsTransformers() throws {
        struct Repr: Decodable { let model: String?, config: String? }
        let path = Fixtures.repositoryRoot.appendingPathComponent("Tests/ModelsTests/Fixtures/tiny-distilbert-sst2").path
        let reprs = try Fixtures.decode([Repr].self, from: Fixtures.repositoryRoot.appendingPathComponent("Tests/ModelsTests/Fixtures/reprs.json"))
        let golden = try #require(reprs.first)
        let (model, config) = (try #require(golden.model), try #require(golden.config).replacingOccurrences(of: "{checkpoint}", with: path))
        let result = runProgram("""
            from transformers import AutoModelForSequenceClassification
            model = AutoModelForSequenceClassification.from_pretrained("\(path)")
            print(model)
            print(model.config)
            print(model.config.qa_dropout, model.config.torch_dtype, model.config.top_k, model.config.problem_type)
            """)
        #expect(result.stdout == "\(model)\n\(config)\n0.1 torch.float32 50 None\n", "\(result.stderr)")
    }

    /// The chapter against a loopback hub: downloaded into an empty cache, then run again offline from it.
    @Test func chapterDownloadsThenRunsOffline() async throws {
        let root = try Fixtures.temporaryDirectory()
        try MiniLMAsDistilBert.write(to: root.appendingPathComponent(HubFixture.sst2))
        let cache = try Fixtures.temporaryDirectory()
        let example = ExampleRow.all[0], binary = try SbplBinary.url()
        try await FakeHub.serving(root) { hub in
            let online = try await ChildProcess.run(binary, [example.script.path],
                                                    environment: ["HF_HUB_CACHE": cache.path, "HF_ENDPOINT": hub.endpoint.absoluteString,
                                                                  "HF_HUB_OFFLINE": nil])
            #expect(online.status == 0, "\(online.err)")
            #expect(PrintedText.difference(online.out, try example.expected) == nil)
            #expect(hub.requests.contains("GET /lfs/"), "\(hub.requests)")
        }
        let folder = cache.appendingPathComponent("models--distilbert--distilbert-base-uncased-finetuned-sst-2-english")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(".no_exist/\(HubFixture.commit)/tokenizer.json").path))
        // the pipeline's pinned revision gets its ref, as huggingface_hub writes it, so Python finds it offline
        #expect(try String(contentsOf: folder.appendingPathComponent("refs/714eb0f"), encoding: .utf8) == HubFixture.commit)
        let offline = try await ChildProcess.run(binary, [example.script.path], environment: ["HF_HUB_CACHE": cache.path, "HF_HUB_OFFLINE": "1"])
        #expect(offline.status == 0, "\(offline.err)")
        #expect(PrintedText.difference(offline.out, try example.expected) == nil)
    }
}
