import Foundation
import Hub
import TestSupport
import Testing

@Suite struct HubCacheTests {
    @Test func cacheRootFollowsHuggingFaceHubPrecedence() {
        let all = ["HF_HUB_CACHE": "/a", "HF_HOME": "/b", "XDG_CACHE_HOME": "/c"]
        #expect(HubCache(environment: all).root.path == "/a")
        #expect(HubCache(environment: ["HF_HOME": "/b", "XDG_CACHE_HOME": "/c"]).root.path == "/b/hub")
        #expect(HubCache(environment: ["XDG_CACHE_HOME": "/c"]).root.path == "/c/huggingface/hub")
        #expect(HubCache(environment: [:]).root.path == NSHomeDirectory() + "/.cache/huggingface/hub")
    }

    @Test func defaultCacheFollowsHOMEAsPythonDoes() {
        #expect(HubCache(environment: ["HOME": "/home/learner"]).root.path == "/home/learner/.cache/huggingface/hub")
        #expect(HubCache(environment: ["HF_HOME": "~/hf", "HOME": "/home/learner"]).root.path == "/home/learner/hf/hub")
    }

    @Test func tildeExpandsAsOsPathExpanduser() {
        let environment = ["HOME": "/home/learner/"]
        #expect(UserHome.expand("~", environment: environment) == "/home/learner")
        #expect(UserHome.expand("~/models/tiny", environment: environment) == "/home/learner/models/tiny")
        #expect(UserHome.expand("models/~", environment: environment) == "models/~")
        #expect(UserHome.expand("~no-such-user-here/x", environment: environment) == "~no-such-user-here/x")
        #expect(UserHome.expand("~root/x", environment: environment) == "/root/x")
        #expect(UserHome.expand("~/x", environment: ["HOME": "/"]) == "/x")
    }

    @Test func legacyIdsAliasTheirOrganisation() {
        #expect(RepositoryID.aliases("distilbert-base-uncased-finetuned-sst-2-english")
            == ["distilbert-base-uncased-finetuned-sst-2-english", "distilbert/distilbert-base-uncased-finetuned-sst-2-english"])
        #expect(RepositoryID.aliases("distilbert/distilbert-base-uncased-finetuned-sst-2-english")
            == ["distilbert/distilbert-base-uncased-finetuned-sst-2-english", "distilbert-base-uncased-finetuned-sst-2-english"])
        #expect(RepositoryID.aliases("bert-base-uncased") == ["bert-base-uncased", "google-bert/bert-base-uncased"])
        #expect(RepositoryID.aliases("sentence-transformers/all-MiniLM-L6-v2") == ["sentence-transformers/all-MiniLM-L6-v2"])
        #expect(!RepositoryID.isValid("a/b/c"))
        #expect(!RepositoryID.isValid("../etc"))
        #expect(RepositoryID.isValid("sentence-transformers/all-MiniLM-L6-v2"))
    }
}

/// A hub cache made in a temp dir exactly as huggingface_hub writes it (a new one for each test).
@Suite struct CheckpointResolutionTests {
    let commit = "714eb0fa89d2f80546fda750413ed43d93601a13"
    let cache: HubCache

    init() throws {
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
        try Data().write(to: repo.appendingPathComponent(".no_exist/\(commit)/tokenizer.json"))
    }

    @Test(arguments: ["distilbert-base-uncased-finetuned-sst-2-english", "distilbert/distilbert-base-uncased-finetuned-sst-2-english"])
    func resolvesARefToItsSnapshotUnderEitherName(_ name: String) throws {
        let checkpoint = try Checkpoint.locate(name, cache: cache)
        #expect(checkpoint.repository?.commit == commit)
        #expect(checkpoint.repository?.id == "distilbert/distilbert-base-uncased-finetuned-sst-2-english")
        #expect(try String(contentsOf: checkpoint.requiredFile("config.json"), encoding: .utf8) == "{}")
    }

    @Test func resolvesACommitHashDirectly() throws {
        #expect(try Checkpoint.locate("distilbert-base-uncased-finetuned-sst-2-english", revision: commit, cache: cache)
            .repository?.commit == commit)
    }

    @Test func knowsWhatTheHubSaidIsAbsent() throws {
        let checkpoint = try Checkpoint.locate("distilbert-base-uncased-finetuned-sst-2-english", cache: cache, fetching: .offline)
        let repository = try #require(checkpoint.repository)
        #expect(try checkpoint.file("tokenizer.json") == nil)
        #expect(try cache.repository(repository.id).isKnownAbsent(commit, "tokenizer.json"))
        #expect(try !cache.repository(repository.id).isKnownAbsent(commit, "vocab.txt"))
        #expect { try checkpoint.requiredFile("model.safetensors", "pytorch_model.bin") } throws: {
            "\($0)" == "checkpoint 'distilbert-base-uncased-finetuned-sst-2-english' has no model.safetensors or pytorch_model.bin in \(checkpoint.directory.path)"
        }
    }

    @Test func aMissSaysWhereItLooked() {
        let root = cache.root.path
        #expect { try Checkpoint.locate("bert-base-uncased", cache: cache, fetching: .offline) } throws: {
            "\($0)" == "checkpoint 'bert-base-uncased' (revision 'main') is not a local folder and not in the Hugging Face cache; looked in \(root)/models--bert-base-uncased and \(root)/models--google-bert--bert-base-uncased"
        }
        #expect(throws: (any Error).self) {
            try Checkpoint.locate("distilbert-base-uncased-finetuned-sst-2-english", revision: "v2", cache: cache, fetching: .offline)
        }
        #expect(cache.cachedRepositories() == ["distilbert/distilbert-base-uncased-finetuned-sst-2-english"])
    }

    @Test func aLocalFolderWins() throws {
        let dir = try Fixtures.temporaryDirectory()
        #expect(try Checkpoint.locate(dir.path, cache: cache).directory.path == dir.path)
        #expect(try Checkpoint.locate(dir.path, cache: cache).repository == nil)
    }
}
