import Foundation
import Crypto
@testable import Hub
import TestSupport
import XCTest

/// Downloads from a loopback server that answers like the hub (Fixtures/fake_hub.py).
final class DownloadTests: XCTestCase {
    private var hub: FakeHub?
    private var root: URL!
    private var cache: HubCache!
    private var endpoint: URL!

    private func startHub(mode: String = "normal") throws {
        root = try Fixtures.temporaryDirectory()
        let repo = root.appendingPathComponent("org/tiny")
        try FileManager.default.createDirectory(at: repo, withIntermediateDirectories: true)
        try #"{"model_type": "bert"}"#.write(to: repo.appendingPathComponent("config.json"), atomically: true, encoding: .utf8)
        try Data((0..<200_000).map { UInt8($0 % 251) }).write(to: repo.appendingPathComponent("model.safetensors"))
        try FileManager.default.createDirectory(at: root.appendingPathComponent("private/repo"), withIntermediateDirectories: true)
        try "{}".write(to: root.appendingPathComponent("private/repo/config.json"), atomically: true, encoding: .utf8)
        hub = try FakeHub(root: root, mode: mode)
        endpoint = hub!.endpoint
        cache = HubCache(root: try Fixtures.temporaryDirectory())
    }

    override func tearDown() {
        hub?.stop()
        hub = nil
    }

    private func downloader(token: String? = nil) -> HubDownloader {
        var d = HubDownloader(endpoint: endpoint, cache: cache, token: token)
        d.showProgress = false
        return d
    }

    private var requests: String { hub?.requests ?? "" }

    func testDownloadsIntoTheCacheLayoutOfHuggingFaceHub() throws {
        try startHub()
        let checkpoint = try Checkpoint.locate("org/tiny", cache: cache, fetching: .using(downloader()))
        let commit = "714eb0fa89d2f80546fda750413ed43d93601a13"
        XCTAssertEqual(checkpoint.repository?.commit, commit)
        let weights = try XCTUnwrap(try checkpoint.file("model.safetensors"))
        XCTAssertEqual(try Data(contentsOf: weights), try Data(contentsOf: root.appendingPathComponent("org/tiny/model.safetensors")))
        let folder = cache.repositoryFolder("org/tiny")
        XCTAssertEqual(try String(contentsOf: folder.appendingPathComponent("refs/main"), encoding: .utf8), commit)
        let link = try FileManager.default.destinationOfSymbolicLink(atPath: folder.appendingPathComponent("snapshots/\(commit)/model.safetensors").path)
        let sha = SHA256.hash(data: try Data(contentsOf: weights)).map { String(format: "%02x", $0) }.joined()
        XCTAssertEqual(link, "../../blobs/" + sha, "LFS blobs are named by their sha256")
        XCTAssertTrue(requests.contains("GET /lfs/"), "the 302 to another host name is followed for the content")
        // A 404 for an optional file records .no_exist, and is not asked again.
        XCTAssertNil(try checkpoint.file("tokenizer.json"))
        XCTAssertTrue(cache.isKnownAbsent("org/tiny", commit: commit, file: "tokenizer.json"))
        let asked = requests.components(separatedBy: "tokenizer.json").count
        XCTAssertNil(try checkpoint.file("tokenizer.json"))
        XCTAssertEqual(requests.components(separatedBy: "tokenizer.json").count, asked)
        // Offline, the cache alone serves it.
        XCTAssertNotNil(try Checkpoint.locate("org/tiny", cache: cache, fetching: .offline).file("model.safetensors"))
    }

    func testATruncatedBodyIsRefusedThenResumed() throws {
        try startHub(mode: "truncate")
        let d = downloader()
        XCTAssertThrowsError(try d.download("org/tiny", revision: "main", file: "model.safetensors")) {
            XCTAssertTrue("\($0)".contains("stopped at") || "\($0)".contains("cannot reach"), "\($0)")
        }
        let blobs = cache.repositoryFolder("org/tiny").appendingPathComponent("blobs")
        let names = try FileManager.default.contentsOfDirectory(atPath: blobs.path)
        XCTAssertTrue(names.allSatisfy { $0.hasSuffix(".incomplete") }, "no blob from a short download: \(names)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: cache.repositoryFolder("org/tiny").appendingPathComponent("snapshots/714eb0fa89d2f80546fda750413ed43d93601a13/model.safetensors").path))
        // An interrupted download resumes with a Range request from where it stopped.
        hub?.stop()
        let keptCache = cache!
        try startHub()
        cache = keptCache
        let path = try XCTUnwrap(try downloader().download("org/tiny", revision: "main", file: "model.safetensors")).path
        XCTAssertEqual(try Data(contentsOf: path), try Data(contentsOf: root.appendingPathComponent("org/tiny/model.safetensors")))
        XCTAssertTrue(requests.contains("range=bytes="), requests)
    }

    func testACorruptDownloadLeavesNothingBehind() throws {
        try startHub(mode: "corrupt")
        XCTAssertThrowsError(try downloader().download("org/tiny", revision: "main", file: "model.safetensors")) {
            XCTAssertTrue("\($0)".contains("is corrupt"), "\($0)")
        }
        let blobs = cache.repositoryFolder("org/tiny").appendingPathComponent("blobs")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: blobs.path), [])
    }

    func testErrorsSayWhatToDo() throws {
        try startHub()
        XCTAssertThrowsError(try downloader().download("nobody/nothing", revision: "main", file: "config.json")) {
            XCTAssertTrue("\($0)".hasPrefix("repository 'nobody/nothing' not found"), "\($0)")
        }
        XCTAssertThrowsError(try downloader().download("gated/model", revision: "main", file: "config.json")) {
            XCTAssertTrue("\($0)".hasPrefix("access to 'gated/model' is restricted"), "\($0)")
        }
        XCTAssertThrowsError(try downloader().download("private/repo", revision: "main", file: "config.json"))
        XCTAssertNotNil(try downloader(token: "secret").download("private/repo", revision: "main", file: "config.json"))
        XCTAssertTrue(requests.contains("auth=Bearer secret"))
        var unreachable = HubDownloader(endpoint: URL(string: "http://127.0.0.1:9")!, cache: cache, token: nil)
        unreachable.showProgress = false
        XCTAssertThrowsError(try unreachable.download("org/tiny", revision: "main", file: "config.json")) {
            XCTAssertTrue("\($0)".contains("set HF_HUB_OFFLINE=1"), "\($0)")
        }
    }

    func testEnvironment() {
        XCTAssertNil(HubDownloader.fromEnvironment(["HF_HUB_OFFLINE": "1"], cache: HubCache(root: URL(fileURLWithPath: "/tmp"))))
        let d = HubDownloader.fromEnvironment(["HF_ENDPOINT": "http://example.test", "HF_TOKEN": "t"], cache: HubCache(root: URL(fileURLWithPath: "/tmp")))
        XCTAssertEqual(d?.endpoint.absoluteString, "http://example.test")
        XCTAssertEqual(d?.token, "t")
        XCTAssertEqual(d?.resolveURL("a/b", "main", "config.json").absoluteString, "http://example.test/a/b/resolve/main/config.json")
    }

    func testTokenFileIsFoundUnderHOME() throws {
        let home = try Fixtures.temporaryDirectory()
        let folder = home.appendingPathComponent(".cache/huggingface")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "hf_secret\n".write(to: folder.appendingPathComponent("token"), atomically: true, encoding: .utf8)
        XCTAssertEqual(HubDownloader.token(["HOME": home.path]), "hf_secret")
        XCTAssertNil(HubDownloader.token(["HOME": home.appendingPathComponent("elsewhere").path]))
    }

    func testFileDigestIsTheHexSHA256OfTheContent() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("sbpl-digest-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data().write(to: file)
        XCTAssertEqual(try FileDigest.sha256(of: file), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        try Data("abc".utf8).write(to: file)
        XCTAssertEqual(try FileDigest.sha256(of: file), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertNil(try FileDigest.sha256(of: file.appendingPathExtension("missing")))
    }
}
