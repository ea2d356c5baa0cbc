import Crypto
import Foundation
@testable import Hub
import TestSupport
import Testing

/// Downloads against a loopback hub that misbehaves (Fixtures/fake_hub.py's fault modes, issue 16 "Faults"): what
/// a retry can mend is mended within the run, the rest is a clear error, and nothing unverified reaches `blobs/`
/// or `snapshots/`.
@Suite(.timeLimit(.minutes(2))) struct FaultTests {
    let commit = "714eb0fa89d2f80546fda750413ed43d93601a13"
    let root: URL
    let cache: HubCache
    let weights: Data
    let sha: String

    init() throws {
        root = try DownloadTests.servedRoot()
        cache = HubCache(root: try Fixtures.temporaryDirectory())
        weights = try Data(contentsOf: root.appendingPathComponent("org/tiny/model.safetensors"))
        sha = SHA256.hash(data: weights).map { String(format: "%02x", $0) }.joined()
    }

    private var folder: URL { cache.repositoryFolder("org/tiny") }

    /// Fetches the weights of `org/tiny` from a hub in `mode`, returning the error printed ("" when none), the
    /// request log and the seconds it took.
    private func fetchWeights(_ mode: FakeHub.Mode, token: String? = nil,
                              _ configure: (inout HubDownloader) -> Void = { _ in }) async throws -> (error: String, log: String, seconds: Double, hub: URL) {
        try await FakeHub.serving(root, mode: mode) { hub in
            var downloader = HubDownloader(testing: hub, cache: cache, token: token)
            configure(&downloader)
            let start = Date()
            var error = ""
            do {
                let path = try #require(try downloader.download("org/tiny", revision: "main", file: "model.safetensors")).path
                #expect(try Data(contentsOf: path) == weights)
            } catch let failure { error = "\(failure)" }
            return (error, hub.requests, Date().timeIntervalSince(start), hub.endpoint)
        }
    }

    /// The entries of `blobs/` and whether the snapshot has the weights: what a failed download may leave.
    private func leftBehind() -> (blobs: [String], linked: Bool) {
        let blobs = (try? FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("blobs").path)) ?? []
        let entry = folder.appendingPathComponent("snapshots/\(commit)/model.safetensors")
        return (blobs.sorted(), FileKind(at: entry.path) != .missing)
    }

    private func lines(_ log: String, _ prefix: String) -> [Substring] {
        log.split(separator: "\n").filter { $0.hasPrefix(prefix) }
    }

    @Test func theWaitDoublesUpToItsBoundAndRetryAfterIsHonouredWithinItsOwn() {
        let policy = RetryPolicy()
        #expect((0..<6).map { policy.delay(before: $0, retryAfter: nil) } == [1, 2, 4, 8, 8, 8])
        #expect(policy.delay(before: 0, retryAfter: 3) == 3)
        #expect(policy.delay(before: 0, retryAfter: 3600) == 30)
    }

    @Test func retryAfterIsReadInSecondsOrAsAnHTTPDate() {
        let now = Date(timeIntervalSince1970: 1_445_412_470)  // Wed, 21 Oct 2015 07:27:50 GMT
        #expect(TransientFailure(.invalidName("f"), retryAfter: " 7 ", now: now).retryAfter == 7)
        #expect(TransientFailure(.invalidName("f"), retryAfter: "Wed, 21 Oct 2015 07:28:00 GMT", now: now).retryAfter == 10)
        #expect(TransientFailure(.invalidName("f"), retryAfter: "soon", now: now).retryAfter == nil)
    }

    @Test func aConnectionDroppedMidBodyResumesWithinTheRun() async throws {
        let r = try await fetchWeights(.dropOnce)
        #expect(r.error == "")
        #expect(lines(r.log, "GET /lfs/").map { $0.contains("range=bytes=100000-") } == [false, true], "\(r.log)")
        #expect(leftBehind().blobs == [sha])
    }

    @Test func aServerIgnoringTheRangeRestartsThePartialInPlace() async throws {
        let partial = folder.appendingPathComponent("blobs/\(sha).incomplete")
        try FileManager.default.createDirectory(at: partial.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(repeating: 7, count: 1000).write(to: partial)
        let r = try await fetchWeights(.ignoreRange)
        #expect(r.error == "")
        #expect(lines(r.log, "GET /lfs/").map { $0.contains("range=bytes=1000-") } == [true], "\(r.log)")
        #expect(leftBehind().blobs == [sha])
    }

    @Test func busyAnswersAreRetriedWithBackoff() async throws {
        let r = try await fetchWeights(.failing(status: 500, times: 2))
        #expect(r.error == "")
        #expect(lines(r.log, "HEAD ").count == 3 && lines(r.log, "GET ").count == 3, "\(r.log)")
    }

    @Test func retryAfterIsHonouredAndBounded() async throws {
        let honoured = try await fetchWeights(.failing(status: 429, times: 1, retryAfter: 1))
        #expect(honoured.error == "")
        #expect(honoured.seconds >= 2, "one second before the HEAD's retry, one before the GET's")
        try FileManager.default.removeItem(at: folder)
        let bounded = try await fetchWeights(.failing(status: 503, times: 1, retryAfter: 3600)) { $0.retry.maxRetryAfter = 0.2 }
        #expect(bounded.error == "")
        #expect(bounded.seconds >= 0.4 && bounded.seconds < 10, "\(bounded.seconds)")
    }

    @Test func aHubThatStaysBusyIsAClearErrorAndWritesNothing() async throws {
        let r = try await fetchWeights(.failing(status: 502, times: 99))
        #expect(r.error == "the hub answered HTTP 502 for \(r.hub.absoluteString)/org/tiny/resolve/main/model.safetensors (gave up after 6 attempts)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache.root.path) == [])
    }

    @Test func aStalledServerTimesOutKeepingWhatArrived() async throws {
        let r = try await fetchWeights(.stall) {
            $0.downloadTimeout = 1
            $0.retry.retries = 1
        }
        #expect(r.error.hasPrefix("download of model.safetensors stalled: http://localhost:"), "\(r.error)")
        #expect(r.error.hasSuffix(" sent nothing for 1 s (HF_HUB_DOWNLOAD_TIMEOUT) after 0.1 MB of 0.2 MB; run again to resume from there (gave up after 2 attempts)"), "\(r.error)")
        #expect(r.seconds < 20)
        #expect(leftBehind().blobs == [sha + ".incomplete"] && !leftBehind().linked)
        let partial = folder.appendingPathComponent("blobs/\(sha).incomplete")
        #expect(try Data(contentsOf: partial) == weights.prefix(150_000), "half, then half of the rest")
    }

    @Test func aHubNamingAPathForItsCommitIsRefusedAndNothingIsWritten() async throws {
        try await FakeHub.serving(root, mode: .badCommit) { hub in
            #expect { try HubDownloader(testing: hub, cache: cache).download("org/tiny", revision: "main", file: "config.json") } throws: {
                "\($0)" == "the hub answered HTTP 200 for \(hub.endpoint.absoluteString)/org/tiny/resolve/main/config.json (no usable X-Repo-Commit or ETag: is HF_ENDPOINT a Hugging Face hub?)"
            }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache.root.path) == [])
    }

    @Test func aRedirectLoopIsAClearError() async throws {
        let r = try await fetchWeights(.redirectLoop)
        #expect(r.error.hasPrefix("more than 10 redirects, the last to http://localhost:") && r.error.hasSuffix(": a redirect loop"), "\(r.error)")
        #expect(!leftBehind().linked)
    }

    @Test func aWrongContentLengthIsRefusedBeforeItsBody() async throws {
        let r = try await fetchWeights(.wrongLength)
        let lfs = "\(r.hub.absoluteString.replacingOccurrences(of: "127.0.0.1", with: "localhost"))/lfs/\(sha)?path=org/tiny/model.safetensors"
        #expect(r.error == "download of model.safetensors refused: the hub announced 200000 bytes, \(lfs) sends 200100")
        #expect(leftBehind().blobs == [sha + ".incomplete"] && !leftBehind().linked)
        #expect(try Data(contentsOf: folder.appendingPathComponent("blobs/\(sha).incomplete")).isEmpty)
    }

    @Test func theTokenIsNotForwardedToAnotherHost() async throws {
        let r = try await fetchWeights(.crossHost, token: "secret")
        #expect(r.error == "")
        let port = r.hub.port ?? 0
        #expect(lines(r.log, "GET /org/tiny/resolve/main/model.safetensors").allSatisfy { $0.contains("host=127.0.0.1:\(port) range=None auth=Bearer secret") }, "\(r.log)")
        let redirected = lines(r.log, "GET /lfs/")
        #expect(redirected.count == 1 && redirected.allSatisfy { $0.contains("host=localhost:\(port) range=None auth=None") }, "\(r.log)")
    }

    /// Runs sbpl with `arguments` against a hub sending the weights slowly, and sends it SIGINT (Ctrl-C) once their
    /// first bytes are on disk; returns how it ended and the bytes kept.
    private func interrupted(_ arguments: [String]) async throws -> (run: ProcessOutput, kept: Data) {
        let partial = folder.appendingPathComponent("blobs/\(sha).incomplete")
        let script = #"""
            "$0" "$@" & pid=$!
            while [ ! -s "$PARTIAL" ]; do sleep 0.02; done
            kill -INT $pid
            wait $pid
            """#
        let run = try await FakeHub.serving(root, mode: .slow) { hub in
            try await ChildProcess.run(URL(fileURLWithPath: "/bin/sh"), ["-c", script, try SbplBinary.url().path] + arguments,
                                       environment: ["HF_HUB_CACHE": cache.root.path, "HF_HUB_OFFLINE": nil, "HF_TOKEN": nil,
                                                     "HF_ENDPOINT": hub.endpoint.absoluteString, "PARTIAL": partial.path],
                                       timeout: .seconds(60))
        }
        let kept = try Data(contentsOf: partial)
        #expect(kept.count > 0 && kept.count < 100_000 && kept == weights.prefix(kept.count))
        #expect(!leftBehind().blobs.contains(sha) && !leftBehind().linked)
        return (run, kept)
    }

    @Test func ctrlCStopsSbplDownloadKeepingThePartial() async throws {
        let (run, kept) = try await interrupted(["download", "org/tiny"])
        #expect(run.err == "sbpl: download of model.safetensors interrupted after \(kept.count) bytes of 0.2 MB; run again to resume from there\n")
        #expect(run.status == 130)
    }

    @Test func ctrlCStopsAScriptsDownloadAsKeyboardInterrupt() async throws {
        let config = #"{"model_type": "bert", "hidden_size": 8, "num_hidden_layers": 1, "num_attention_heads": 2, "intermediate_size": 8, "vocab_size": 10}"#
        try config.write(to: root.appendingPathComponent("org/tiny/config.json"), atomically: true, encoding: .utf8)
        let (run, kept) = try await interrupted(["-c", "from transformers import AutoModel\nAutoModel.from_pretrained('org/tiny')"])
        #expect(run.err.contains("KeyboardInterrupt: download of model.safetensors interrupted after \(kept.count) bytes of 0.2 MB; run again to resume from there"), "\(run.err)")
        #expect(run.status == 130)
    }

    @Test func aFullDiskKeepsThePartialForTheNextRun() async throws {
        let environment: [String: String?] = ["HF_HUB_CACHE": cache.root.path, "HF_HUB_OFFLINE": nil, "HF_TOKEN": nil]
        let sbpl = try SbplBinary.url().path
        let full = try await FakeHub.serving(root) { hub in
            try await ChildProcess.run(URL(fileURLWithPath: "/usr/bin/prlimit"), ["--fsize=60000", sbpl, "download", "org/tiny"],
                                       environment: environment.merging(["HF_ENDPOINT": hub.endpoint.absoluteString]) { $1 },
                                       timeout: .seconds(60))
        }
        let partial = folder.appendingPathComponent("blobs/\(sha).incomplete")
        #expect(full.err == "sbpl: cannot write more of model.safetensors (File too large) after 60000 bytes of 0.2 MB; make room and run again to resume from \(partial.path)\n")
        #expect(full.status == 1)
        #expect(leftBehind().blobs.contains(sha + ".incomplete") && !leftBehind().blobs.contains(sha) && !leftBehind().linked)
        #expect(try Data(contentsOf: partial) == weights.prefix(60000))
        let resumed = try await FakeHub.serving(try DownloadTests.servedRoot()) { hub in
            let run = try await ChildProcess.run(try SbplBinary.url(), ["download", "org/tiny"],
                                                 environment: environment.merging(["HF_ENDPOINT": hub.endpoint.absoluteString]) { $1 },
                                                 timeout: .seconds(60))
            return (run, hub.requests)
        }
        #expect(resumed.0.status == 0, "\(resumed.0.err)")
        #expect(resumed.1.contains("range=bytes=60000-"), "\(resumed.1)")
        #expect(try Data(contentsOf: folder.appendingPathComponent("snapshots/\(commit)/model.safetensors")) == weights)
    }
}
