import Foundation
import Hub
import TestSupport
import Testing

/// A cache written by someone else must not make sbpl read or write outside it, nor block on a FIFO (issue 16,
/// "Hostile layouts"): each case is refused with an error naming the path, and nothing is written.
@Suite(.timeLimit(.minutes(1))) struct HostileCacheTests {
    let commit = "714eb0fa89d2f80546fda750413ed43d93601a13"
    let other = "0000000000000000000000000000000000000001"
    let cache: HubCache
    let folder: URL

    /// `org/tiny` at `commit` as huggingface_hub writes it: `refs/main`, `config.json` linked to its blob.
    init() throws {
        cache = HubCache(root: try Fixtures.temporaryDirectory())
        folder = cache.repositoryFolder("org/tiny")
        for dir in ["blobs", "refs", "snapshots/\(commit)"] {
            try FileManager.default.createDirectory(at: folder.appendingPathComponent(dir), withIntermediateDirectories: true)
        }
        try commit.write(to: folder.appendingPathComponent("refs/main"), atomically: true, encoding: .utf8)
        try "{}".write(to: folder.appendingPathComponent("blobs/abc123"), atomically: true, encoding: .utf8)
        try link("snapshots/\(commit)/config.json", to: "../../blobs/abc123")
    }

    private func link(_ path: String, to target: String) throws {
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent(path).path, withDestinationPath: target)
    }

    private func fifo(_ path: String) {
        #expect(mkfifo(folder.appendingPathComponent(path).path, 0o644) == 0)
    }

    /// Every entry below the cache root with its kind, read without following links.
    private func listing() -> [String] {
        func walk(_ url: URL, _ prefix: String) -> [String] {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path))?.sorted() ?? []
            return names.flatMap { name -> [String] in
                let child = url.appendingPathComponent(name), kind = FileKind(at: child.path)
                return ["\(prefix)\(name): \(kind)"] + (kind == .directory ? walk(child, prefix + name + "/") : [])
            }
        }
        return walk(cache.root, "")
    }

    /// The error `body` throws, as printed; the cache must be as it was before.
    private func refusal(_ body: () throws -> Void) -> String {
        let before = listing()
        var message = "no error"
        do { try body() } catch { message = "\(error)" }
        #expect(listing() == before, "nothing written")
        return message
    }

    private func expected(_ path: String, _ problem: String) -> String {
        "refusing \(folder.path)/\(path) in the Hugging Face cache: \(problem) (delete it to have the file fetched again)"
    }

    private func file(_ name: String, revision: String = "main") throws -> URL? {
        try Checkpoint.locate("org/tiny", revision: revision, cache: cache, fetching: .offline).file(name)
    }

    @Test func aRefMustHoldACommit() throws {
        try "../../../../etc".write(to: folder.appendingPathComponent("refs/main"), atomically: true, encoding: .utf8)
        #expect(refusal { _ = try file("config.json") } == expected("refs/main", "it holds '../../../../etc', not a 40-hex commit"))
        try FileManager.default.removeItem(at: folder.appendingPathComponent("refs/main"))
        try link("refs/main", to: "/etc/hostname")
        #expect(refusal { _ = try file("config.json") } == expected("refs/main", "a symlink to /etc/hostname where huggingface_hub keeps a real one"))
    }

    @Test func aRevisionOrFileNameMustStayInItsFolder() throws {
        #expect(refusal { _ = try file("config.json", revision: "../../../etc") }
            == expected("refs/../../../etc", "the name '../../../etc' would leave its folder"))
        #expect(refusal { _ = try file("../../../../etc/passwd") }
            == expected("snapshots/\(commit)/../../../../etc/passwd", "the name '../../../../etc/passwd' would leave its folder"))
    }

    @Test func aSnapshotLinkMustLeadToABlobOfItsOwnRepository() throws {
        try link("snapshots/\(commit)/vocab.txt", to: "/etc/passwd")
        #expect(refusal { _ = try file("vocab.txt") } == expected("snapshots/\(commit)/vocab.txt", "a symlink to /etc/passwd, outside the repository's blobs/"))
        let neighbour = cache.repositoryFolder("org/other").appendingPathComponent("blobs")
        try FileManager.default.createDirectory(at: neighbour, withIntermediateDirectories: true)
        try "x".write(to: neighbour.appendingPathComponent("abc"), atomically: true, encoding: .utf8)
        try link("snapshots/\(commit)/merges.txt", to: "../../../models--org--other/blobs/abc")
        #expect(refusal { _ = try file("merges.txt") }
            == expected("snapshots/\(commit)/merges.txt", "a symlink to ../../../models--org--other/blobs/abc, outside the repository's blobs/"))
        #expect(try String(contentsOf: try #require(try file("config.json")), encoding: .utf8) == "{}", "a link into blobs/ is read")
    }

    @Test func aFIFODeviceOrFolderInAFilesPlaceIsRefusedWithoutBlocking() throws {
        fifo("snapshots/\(commit)/model.safetensors")
        #expect(refusal { _ = try file("model.safetensors") } == expected("snapshots/\(commit)/model.safetensors", "a FIFO where a file should be"))
        fifo("blobs/fifo")
        try link("snapshots/\(commit)/tokenizer.json", to: "../../blobs/fifo")
        #expect(refusal { _ = try file("tokenizer.json") } == expected("blobs/fifo", "a FIFO where a file should be"))
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("snapshots/\(commit)/vocab.txt"), withIntermediateDirectories: true)
        #expect(refusal { _ = try file("vocab.txt") } == expected("snapshots/\(commit)/vocab.txt", "a directory where a file should be"))
        fifo("refs/v1")
        #expect(refusal { _ = try file("config.json", revision: "v1") } == expected("refs/v1", "a FIFO where a file should be"))
    }

    @Test func foldersOnTheWayMustBeRealFolders() throws {
        let elsewhere = try Fixtures.temporaryDirectory()
        try FileManager.default.createDirectory(at: elsewhere.appendingPathComponent(other), withIntermediateDirectories: true)
        try link("snapshots/\(other)", to: elsewhere.appendingPathComponent(other).path)
        #expect(refusal { _ = try file("config.json", revision: other) }
            == expected("snapshots/\(other)", "a symlink to \(elsewhere.path)/\(other) where huggingface_hub keeps a real one"))
        try FileManager.default.removeItem(at: folder.appendingPathComponent("refs"))
        try link("refs", to: elsewhere.path)
        #expect(refusal { _ = try file("config.json") } == expected("refs", "a symlink to \(elsewhere.path) where huggingface_hub keeps a real one"))
    }

    @Test func anAbsenceMarkerSpeaksOnlyForItsCommit() throws {
        let marker = folder.appendingPathComponent(".no_exist/\(other)/tokenizer.json")
        try FileManager.default.createDirectory(at: marker.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data().write(to: marker)
        let repository = cache.repository("org/tiny")
        #expect(try repository.isKnownAbsent(other, "tokenizer.json"))
        #expect(try !repository.isKnownAbsent(commit, "tokenizer.json"), "another commit's marker says nothing about this one")
        try link(".no_exist/\(commit)", to: other)
        #expect(refusal { _ = try repository.isKnownAbsent(commit, "tokenizer.json") }
            == expected(".no_exist/\(commit)", "a symlink to \(other) where huggingface_hub keeps a real one"))
    }

    @Test func theCommandLineExitsOneNamingThePath() async throws {
        fifo("snapshots/\(commit)/model.safetensors")
        let before = listing()
        let r = try await ChildProcess.run(try SbplBinary.url(), ["download", "org/tiny"],
                                           environment: ["HF_HUB_CACHE": cache.root.path, "HF_HUB_OFFLINE": "1"], timeout: .seconds(60))
        #expect(r.err == "sbpl: " + expected("snapshots/\(commit)/model.safetensors", "a FIFO where a file should be") + "\n")
        #expect(r.status == 1)
        #expect(listing() == before)
    }
}
