import Foundation
import Hub
import TestSupport
import XCTest

final class HubCacheTests: XCTestCase {
    func testCacheRootFollowsHuggingFaceHubPrecedence() {
        let all = ["HF_HUB_CACHE": "/a", "HF_HOME": "/b", "XDG_CACHE_HOME": "/c"]
        XCTAssertEqual(HubCache(environment: all).root.path, "/a")
        XCTAssertEqual(HubCache(environment: ["HF_HOME": "/b", "XDG_CACHE_HOME": "/c"]).root.path, "/b/hub")
        XCTAssertEqual(HubCache(environment: ["XDG_CACHE_HOME": "/c"]).root.path, "/c/huggingface/hub")
        XCTAssertEqual(HubCache(environment: [:]).root.path, NSHomeDirectory() + "/.cache/huggingface/hub")
    }

    func testDefaultCacheFollowsHOMEAsPythonDoes() throws {
        let home = try Fixtures.temporaryDirectory().path
        let saved = ProcessInfo.processInfo.environment["HOME"]
        setenv("HOME", home, 1)
        defer { if let saved { setenv("HOME", saved, 1) } else { unsetenv("HOME") } }
        let cache = ["HF_HUB_CACHE", "HF_HOME", "XDG_CACHE_HOME"].reduce(into: ProcessInfo.processInfo.environment) { $0[$1] = nil }
        XCTAssertEqual(HubCache(environment: cache).root.path, home + "/.cache/huggingface/hub")
        XCTAssertEqual(HubCache(environment: ["HF_HOME": "~/hf", "HOME": home]).root.path, home + "/hf/hub")
    }

    func testTildeExpandsAsOsPathExpanduser() {
        let environment = ["HOME": "/home/learner/"]
        XCTAssertEqual(UserHome.expand("~", environment: environment), "/home/learner")
        XCTAssertEqual(UserHome.expand("~/models/tiny", environment: environment), "/home/learner/models/tiny")
        XCTAssertEqual(UserHome.expand("models/~", environment: environment), "models/~")
        XCTAssertEqual(UserHome.expand("~no-such-user-here/x", environment: environment), "~no-such-user-here/x")
        XCTAssertEqual(UserHome.expand("~root/x", environment: environment), "/root/x")
        XCTAssertEqual(UserHome.expand("~/x", environment: ["HOME": "/"]), "/x")
    }

    func testLegacyIdsAliasTheirOrganisation() {
        XCTAssertEqual(RepositoryID.aliases("distilbert-base-uncased-finetuned-sst-2-english"),
                       ["distilbert-base-uncased-finetuned-sst-2-english", "distilbert/distilbert-base-uncased-finetuned-sst-2-english"])
        XCTAssertEqual(RepositoryID.aliases("distilbert/distilbert-base-uncased-finetuned-sst-2-english"),
                       ["distilbert/distilbert-base-uncased-finetuned-sst-2-english", "distilbert-base-uncased-finetuned-sst-2-english"])
        XCTAssertEqual(RepositoryID.aliases("bert-base-uncased"), ["bert-base-uncased", "google-bert/bert-base-uncased"])
        XCTAssertEqual(RepositoryID.aliases("sentence-transformers/all-MiniLM-L6-v2"), ["sentence-transformers/all-MiniLM-L6-v2"])
        XCTAssertFalse(RepositoryID.isValid("a/b/c"))
        XCTAssertFalse(RepositoryID.isValid("../etc"))
        XCTAssertTrue(RepositoryID.isValid("sentence-transformers/all-MiniLM-L6-v2"))
    }
}

/// A hub cache made in a temp dir exactly as huggingface_hub writes it.
final class CheckpointResolutionTests: XCTestCase {
    let commit = "714eb0fa89d2f80546fda750413ed43d93601a13"
    var cache: HubCache!

    override func setUpWithError() throws {
        cache = HubCache(root: try Fixtures.temporaryDirectory())
        let repo = cache.repositoryFolder("distilbert/distilbert-base-uncased-finetuned-sst-2-english")
        let fm = FileManager.default
        for dir in ["blobs", "refs", "snapshots/\(commit)", ".no_exist/\(commit)"] {
            try fm.createDirectory(at: repo.appendingPathComponent(dir), withIntermediateDirectories: true)
        }
        try "\(commit)".write(to: repo.appendingPathComponent("refs/main"), atomically: true, encoding: .utf8)
        try "{}".write(to: repo.appendingPathComponent("blobs/abc123"), atomically: true, encoding: .utf8)
        try fm.createSymbolicLink(atPath: repo.appendingPathComponent("snapshots/\(commit)/config.json").path,
                                  withDestinationPath: "../../blobs/abc123")
        XCTAssertTrue(fm.createFile(atPath: repo.appendingPathComponent(".no_exist/\(commit)/tokenizer.json").path, contents: Data()))
    }

    func testResolvesARefToItsSnapshotUnderEitherName() throws {
        for name in ["distilbert-base-uncased-finetuned-sst-2-english", "distilbert/distilbert-base-uncased-finetuned-sst-2-english"] {
            let checkpoint = try Checkpoint.locate(name, cache: cache)
            XCTAssertEqual(checkpoint.repository?.commit, commit)
            XCTAssertEqual(checkpoint.repository?.id, "distilbert/distilbert-base-uncased-finetuned-sst-2-english")
            XCTAssertEqual(try String(contentsOf: checkpoint.requiredFile("config.json"), encoding: .utf8), "{}")
        }
    }

    func testResolvesACommitHashDirectly() throws {
        XCTAssertEqual(try Checkpoint.locate("distilbert-base-uncased-finetuned-sst-2-english", revision: commit, cache: cache)
            .repository?.commit, commit)
    }

    func testKnowsWhatTheHubSaidIsAbsent() throws {
        let checkpoint = try Checkpoint.locate("distilbert-base-uncased-finetuned-sst-2-english", cache: cache, fetching: .offline)
        XCTAssertNil(try checkpoint.file("tokenizer.json"))
        XCTAssertTrue(cache.isKnownAbsent(checkpoint.repository!.id, commit: commit, file: "tokenizer.json"))
        XCTAssertFalse(cache.isKnownAbsent(checkpoint.repository!.id, commit: commit, file: "vocab.txt"))
        XCTAssertThrowsError(try checkpoint.requiredFile("model.safetensors", "pytorch_model.bin")) {
            XCTAssertEqual("\($0)", "checkpoint 'distilbert-base-uncased-finetuned-sst-2-english' has no model.safetensors or pytorch_model.bin in \(checkpoint.directory.path)")
        }
    }

    func testAMissSaysWhereItLooked() {
        XCTAssertThrowsError(try Checkpoint.locate("bert-base-uncased", cache: cache, fetching: .offline)) {
            XCTAssertEqual("\($0)", "checkpoint 'bert-base-uncased' (revision 'main') is not a local folder and not in the Hugging Face cache; looked in \(cache.root.path)/models--bert-base-uncased and \(cache.root.path)/models--google-bert--bert-base-uncased")
        }
        XCTAssertThrowsError(try Checkpoint.locate("distilbert-base-uncased-finetuned-sst-2-english", revision: "v2", cache: cache, fetching: .offline))
        XCTAssertEqual(cache.cachedRepositories(), ["distilbert/distilbert-base-uncased-finetuned-sst-2-english"])
    }

    func testALocalFolderWins() throws {
        let dir = try Fixtures.temporaryDirectory()
        XCTAssertEqual(try Checkpoint.locate(dir.path, cache: cache).directory.path, dir.path)
        XCTAssertNil(try Checkpoint.locate(dir.path, cache: cache).repository)
    }
}
