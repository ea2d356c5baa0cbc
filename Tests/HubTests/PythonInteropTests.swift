import Crypto
import Foundation
import TestSupport
import Testing

/// One cache shared with Python (issue 16): huggingface_hub 0.26 (the test venv's, transformers 4.46's era) and sbpl
/// each read offline what the other wrote, and two sbpl processes and a Python `hf_hub_download` racing for the
/// same 50 MB file through huggingface_hub's blob lock all end with the whole, verified file (five rounds).
@Suite(.timeLimit(.minutes(4))) struct PythonInteropTests {
    let commit = "714eb0fa89d2f80546fda750413ed43d93601a13"
    let root: URL
    let weights: Data

    init() throws {
        root = try Fixtures.temporaryDirectory()
        let repo = root.appendingPathComponent("org/big")
        try FileManager.default.createDirectory(at: repo, withIntermediateDirectories: true)
        try #"{"model_type": "bert"}"#.write(to: repo.appendingPathComponent("config.json"), atomically: true, encoding: .utf8)
        weights = try #require(FileHandle(forReadingAtPath: "/dev/urandom")).readData(ofLength: 50 << 20)
        try weights.write(to: repo.appendingPathComponent("model.safetensors"))
    }

    /// The environment of a client of `hub` sharing `cache`.
    private func environment(_ hub: FakeHub?, _ cache: URL) -> [String: String?] {
        ["HF_HUB_CACHE": cache.path, "HF_ENDPOINT": hub?.endpoint.absoluteString, "HF_HUB_OFFLINE": hub == nil ? "1" : nil,
         "HF_TOKEN": nil, "HF_HUB_DISABLE_TELEMETRY": "1"]
    }

    /// huggingface_hub's `hf_hub_download` of the repository's files, printing each cached path.
    private func python(_ hub: FakeHub?, _ cache: URL, revision: String = "main") async throws -> ProcessOutput {
        let script = """
            from huggingface_hub import hf_hub_download
            for name in ["config.json", "model.safetensors"]:
                print(hf_hub_download("org/big", name, revision="\(revision)"))
            """
        return try await ChildProcess.run(try TestVenv.python(), ["-c", script], environment: environment(hub, cache), timeout: .seconds(120))
    }

    private func sbpl(_ hub: FakeHub?, _ cache: URL, revision: String = "main") async throws -> ProcessOutput {
        try await ChildProcess.run(try SbplBinary.url(), ["download", "org/big", "--revision", revision],
                                   environment: environment(hub, cache), timeout: .seconds(120))
    }

    private var snapshot: String { "models--org--big/snapshots/\(commit)" }

    /// The cache's blobs and partial files, and whether the snapshot's weights are the served ones.
    private func inspect(_ cache: URL) throws -> (blobs: [String], partial: [String], whole: Bool) {
        let blobs = try FileManager.default.contentsOfDirectory(atPath: cache.appendingPathComponent("models--org--big/blobs").path)
        let weightsPath = cache.appendingPathComponent("\(snapshot)/model.safetensors").path
        let whole = try Data(contentsOf: URL(fileURLWithPath: weightsPath)) == weights
        return (blobs.filter { !$0.hasSuffix(".incomplete") }.sorted(), blobs.filter { $0.hasSuffix(".incomplete") }, whole)
    }

    private var weightsDigest: String { SHA256.hash(data: weights).map { String(format: "%02x", $0) }.joined() }

    @Test func twoSbplProcessesAndPythonRacingForOneFileAllGetItWhole() async throws {
        for round in 1...5 {
            let cache = try Fixtures.temporaryDirectory()
            let runs = try await FakeHub.serving(root) { hub in
                async let first = sbpl(hub, cache), second = sbpl(hub, cache), third = python(hub, cache)
                return try await [first, second, third]
            }
            for run in runs { #expect(run.status == 0, "round \(round): \(run.err)") }
            let (blobs, partial, whole) = try inspect(cache)
            #expect(whole && partial.isEmpty, "round \(round): partial \(partial)")
            #expect(blobs.contains(weightsDigest) && blobs.count == 2, "round \(round): \(blobs)")
            #expect(runs[2].out.split(separator: "\n").last.map(String.init) == cache.appendingPathComponent("\(snapshot)/model.safetensors").path)
        }
    }

    @Test func huggingfaceHubReadsOfflineWhatSbplWroteAtAShortRevision() async throws {
        let cache = try Fixtures.temporaryDirectory()
        let fetched = try await FakeHub.serving(root) { hub in try await sbpl(hub, cache, revision: "714eb0f") }
        #expect(fetched.status == 0, "\(fetched.err)")
        let offline = try await python(nil, cache, revision: "714eb0f")
        #expect(offline.status == 0, "\(offline.err)")
        #expect(offline.out == ["config.json", "model.safetensors"].map { cache.appendingPathComponent("\(snapshot)/\($0)").path + "\n" }.joined())
    }

    @Test func sbplReadsOfflineWhatHuggingfaceHubWrote() async throws {
        let cache = try Fixtures.temporaryDirectory()
        let fetched = try await FakeHub.serving(root) { hub in try await python(hub, cache) }
        #expect(fetched.status == 0, "\(fetched.err)")
        let offline = try await sbpl(nil, cache)
        #expect(offline.status == 0, "\(offline.err)")
        #expect(offline.out.contains(cache.appendingPathComponent(snapshot).path), "\(offline.out)")
        #expect(try inspect(cache).whole)
    }
}
