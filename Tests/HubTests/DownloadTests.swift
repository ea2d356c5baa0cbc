import Crypto
import Foundation
@testable import Hub
import TestSupport
import Testing

/// Downloads from a loopback server that answers like the hub (Fixtures/fake_hub.py), into a fresh cache.
@Suite struct DownloadTests {
    let commit = "714eb0fa89d2f80546fda750413ed43d93601a13"
    let root: URL
    let cache: HubCache

    init() throws {
        root = try Self.servedRoot()
        cache = HubCache(root: try Fixtures.temporaryDirectory())
    }

    /// A new folder to serve: `org/tiny` (a config and 200 kB of weights) and `private/repo`.
    static func servedRoot() throws -> URL {
        let root = try Fixtures.temporaryDirectory()
        let repo = root.appendingPathComponent("org/tiny")
        try FileManager.default.createDirectory(at: repo, withIntermediateDirectories: true)
        try #"{"model_type": "bert"}"#.write(to: repo.appendingPathComponent("config.json"), atomically: true, encoding: .utf8)
        try Data((0..<200_000).map { UInt8($0 % 251) }).write(to: repo.appendingPathComponent("model.safetensors"))
        try FileManager.default.createDirectory(at: root.appendingPathComponent("private/repo"), withIntermediateDirectories: true)
        try "{}".write(to: root.appendingPathComponent("private/repo/config.json"), atomically: true, encoding: .utf8)
        return root
    }

    private func downloader(_ hub: FakeHub, token: String? = nil) -> HubDownloader {
        HubDownloader(testing: hub, cache: cache, token: token)
    }

    private var servedWeights: Data { get throws { try Data(contentsOf: root.appendingPathComponent("org/tiny/model.safetensors")) } }

    @Test func downloadsIntoTheCacheLayoutOfHuggingFaceHub() async throws {
        try await FakeHub.serving(root) { hub in
            let checkpoint = try Checkpoint.locate("org/tiny", cache: cache, fetching: .using(downloader(hub)))
            #expect(checkpoint.repository?.commit == commit)
            let weights = try #require(try checkpoint.file("model.safetensors"))
            #expect(try Data(contentsOf: weights) == servedWeights)
            let folder = cache.repositoryFolder("org/tiny")
            #expect(try String(contentsOf: folder.appendingPathComponent("refs/main"), encoding: .utf8) == commit)
            let link = try FileManager.default.destinationOfSymbolicLink(atPath: folder.appendingPathComponent("snapshots/\(commit)/model.safetensors").path)
            let sha = SHA256.hash(data: try Data(contentsOf: weights)).map { String(format: "%02x", $0) }.joined()
            #expect(link == "../../blobs/" + sha, "LFS blobs are named by their sha256")
            #expect(hub.requests.contains("GET /lfs/"), "the 302 to another host name is followed for the content")
            #expect(hub.requests.contains("agent=sbpl; hf_hub-compatible"), "\(hub.requests)")
            // A 404 for an optional file records .no_exist, and is not asked again.
            #expect(try checkpoint.file("tokenizer.json") == nil)
            #expect(try cache.repository("org/tiny").isKnownAbsent(commit, "tokenizer.json"))
            let asked = hub.requests.components(separatedBy: "tokenizer.json").count
            #expect(try checkpoint.file("tokenizer.json") == nil)
            #expect(hub.requests.components(separatedBy: "tokenizer.json").count == asked)
            // Offline, the cache alone serves it.
            #expect(try Checkpoint.locate("org/tiny", cache: cache, fetching: .offline).file("model.safetensors") != nil)
        }
    }

    @Test func aTruncatedBodyIsRefusedThenResumed() async throws {
        try await FakeHub.serving(root, mode: .truncate) { hub in
            #expect { try downloader(hub).download("org/tiny", revision: "main", file: "model.safetensors") } throws: {
                "\($0)".contains("stopped at") || "\($0)".contains("cannot reach")
            }
        }
        let folder = cache.repositoryFolder("org/tiny")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("blobs").path)
        #expect(names.allSatisfy { $0.hasSuffix(".incomplete") }, "no blob from a short download: \(names)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("snapshots/\(commit)/model.safetensors").path))
        // An interrupted download resumes with a Range request from where it stopped (a new server, a new log).
        try await FakeHub.serving(try Self.servedRoot()) { hub in
            let path = try #require(try downloader(hub).download("org/tiny", revision: "main", file: "model.safetensors")).path
            #expect(try Data(contentsOf: path) == servedWeights)
            #expect(hub.requests.contains("range=bytes="), "\(hub.requests)")
        }
    }

    @Test func aCorruptDownloadLeavesNothingBehind() async throws {
        try await FakeHub.serving(root, mode: .corrupt) { hub in
            #expect { try downloader(hub).download("org/tiny", revision: "main", file: "model.safetensors") } throws: {
                "\($0)".contains("is corrupt")
            }
        }
        let blobs = cache.repositoryFolder("org/tiny").appendingPathComponent("blobs")
        #expect(try FileManager.default.contentsOfDirectory(atPath: blobs.path) == [])
    }

    @Test func aCorruptRegularFileIsCheckedByItsGitBlobSHA1() async throws {
        try await FakeHub.serving(root, mode: .corrupt) { hub in
            #expect { try downloader(hub).download("org/tiny", revision: "main", file: "config.json") } throws: {
                "\($0)".hasPrefix("download of config.json is corrupt (git blob sha1 ")
            }
        }
        let blobs = cache.repositoryFolder("org/tiny").appendingPathComponent("blobs")
        #expect(try FileManager.default.contentsOfDirectory(atPath: blobs.path) == [])
        // the same file served intact passes the check, and is named by that SHA-1 as huggingface_hub names it
        try await FakeHub.serving(root) { hub in
            let path = try #require(try downloader(hub).download("org/tiny", revision: "main", file: "config.json")).path
            let link = try FileManager.default.destinationOfSymbolicLink(atPath: path.path)
            #expect(link == "../../blobs/" + (try #require(try FileDigest.gitBlobSHA1(of: path))))
        }
    }

    @Test func aDownloadWaitsForAnotherProcessHoldingTheBlobLock() async throws {
        let sha = SHA256.hash(data: try servedWeights).map { String(format: "%02x", $0) }.joined()
        let lock = cache.root.appendingPathComponent(".locks/models--org--tiny/\(sha).lock")
        try FileManager.default.createDirectory(at: lock.deletingLastPathComponent(), withIntermediateDirectories: true)
        let fd = open(lock.path, O_RDWR | O_CREAT, 0o644)
        #expect(fd >= 0 && flock(fd, LOCK_EX) == 0)
        try await FakeHub.serving(root) { hub in
            let start = Date()
            let release = Thread {
                Thread.sleep(forTimeInterval: 0.5)
                flock(fd, LOCK_UN)
                close(fd)
            }
            release.start()
            let path = try #require(try downloader(hub).download("org/tiny", revision: "main", file: "model.safetensors")).path
            #expect(Date().timeIntervalSince(start) >= 0.45, "the download waited for the lock huggingface_hub would hold")
            #expect(try Data(contentsOf: path) == servedWeights)
        }
        #expect(FileManager.default.fileExists(atPath: lock.path))
    }

    @Test func errorsSayWhatToDo() async throws {
        try await FakeHub.serving(root) { hub in
            #expect { try downloader(hub).download("nobody/nothing", revision: "main", file: "config.json") } throws: {
                "\($0)".hasPrefix("repository 'nobody/nothing' not found")
            }
            #expect { try downloader(hub).download("gated/model", revision: "main", file: "config.json") } throws: {
                "\($0)".hasPrefix("access to 'gated/model' is restricted")
            }
            #expect(throws: (any Error).self) { try downloader(hub).download("private/repo", revision: "main", file: "config.json") }
            let granted = try downloader(hub, token: "secret").download("private/repo", revision: "main", file: "config.json")
            #expect(granted != nil)
            #expect(hub.requests.contains("auth=Bearer secret"))
        }
        var unreachable = HubDownloader(endpoint: URL(string: "http://127.0.0.1:9")!, cache: cache, token: nil)
        unreachable.showProgress = false
        #expect { try unreachable.download("org/tiny", revision: "main", file: "config.json") } throws: {
            "\($0)".contains("set HF_HUB_OFFLINE=1")
        }
    }

    @Test func environment() {
        #expect(HubDownloader.fromEnvironment(["HF_HUB_OFFLINE": "1"], cache: HubCache(root: URL(fileURLWithPath: "/tmp"))) == nil)
        let d = HubDownloader.fromEnvironment(["HF_ENDPOINT": "http://example.test", "HF_TOKEN": "t"], cache: HubCache(root: URL(fileURLWithPath: "/tmp")))
        #expect(d?.endpoint.absoluteString == "http://example.test")
        #expect(d?.token == "t")
        #expect(d?.resolveURL("a/b", "main", "config.json").absoluteString == "http://example.test/a/b/resolve/main/config.json")
        #expect(d?.metadataTimeout == 10 && d?.downloadTimeout == 10)
        let patient = HubDownloader.fromEnvironment(["HF_HUB_ETAG_TIMEOUT": "1.5", "HF_HUB_DOWNLOAD_TIMEOUT": "60"], cache: HubCache(root: URL(fileURLWithPath: "/tmp")))
        #expect(patient?.metadataTimeout == 1.5 && patient?.downloadTimeout == 60)
    }

    @Test func tokenFileIsFoundUnderHOME() throws {
        let home = try Fixtures.temporaryDirectory()
        let folder = home.appendingPathComponent(".cache/huggingface")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "hf_secret\n".write(to: folder.appendingPathComponent("token"), atomically: true, encoding: .utf8)
        #expect(HubDownloader.token(["HOME": home.path]) == "hf_secret")
        #expect(HubDownloader.token(["HOME": home.appendingPathComponent("elsewhere").path]) == nil)
    }

    @Test(arguments: [
        ("", 1, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", 1, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("a", 1000, "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3"),
    ])
    func fileDigestIsTheHexSHA256OfTheContent(_ chunk: String, _ times: Int, _ digest: String) throws {
        let file = try Fixtures.temporaryDirectory().appendingPathComponent("content")
        try Data(String(repeating: chunk, count: times).utf8).write(to: file)
        #expect(try FileDigest.sha256(of: file) == digest)
    }

    @Test func fileDigestOfAMissingFileIsNil() throws {
        #expect(try FileDigest.sha256(of: try Fixtures.temporaryDirectory().appendingPathComponent("missing")) == nil)
    }
}

extension HubDownloader {
    /// A downloader from `hub` into `cache` as the tests use it: no progress bar, retries 10 ms apart.
    init(testing hub: FakeHub, cache: HubCache, token: String? = nil) {
        self.init(endpoint: hub.endpoint, cache: cache, token: token)
        showProgress = false
        retry = RetryPolicy(baseDelay: 0.01)
    }
}
