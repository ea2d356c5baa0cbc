import Foundation

/// A Hugging Face hub cache made in a temporary folder, laid out as huggingface_hub writes it
/// (`blobs/`, `snapshots/COMMIT/FILE` as relative symlinks, `refs/main`).
public enum HubFixture {
    public static let sst2 = "distilbert/distilbert-base-uncased-finetuned-sst-2-english"
    public static let commit = "714eb0fa89d2f80546fda750413ed43d93601a13"

    /// A cache holding MiniLM-in-DistilBERT-layout as the SST-2 checkpoint (under its qualified name only).
    public static func sst2Cache() throws -> URL {
        let source = try Fixtures.temporaryDirectory()
        try MiniLMAsDistilBert.write(to: source)
        let cache = try Fixtures.temporaryDirectory()
        try install(source, as: sst2, in: cache)
        return cache
    }

    /// Installs the files of `directory` as repository `repo` at `commit` in the cache at `cache`.
    public static func install(_ directory: URL, as repo: String, commit: String = commit, in cache: URL) throws {
        let fm = FileManager.default
        let folder = cache.appendingPathComponent("models--" + repo.replacingOccurrences(of: "/", with: "--"))
        let snapshot = folder.appendingPathComponent("snapshots/\(commit)")
        for dir in ["blobs", "refs", "snapshots/\(commit)"] {
            try fm.createDirectory(at: folder.appendingPathComponent(dir), withIntermediateDirectories: true)
        }
        for (i, file) in try fm.contentsOfDirectory(atPath: directory.path).sorted().enumerated() {
            let blob = folder.appendingPathComponent("blobs/blob\(i)")
            try fm.copyItem(at: directory.appendingPathComponent(file), to: blob)
            try fm.createSymbolicLink(atPath: snapshot.appendingPathComponent(file).path, withDestinationPath: "../../blobs/blob\(i)")
        }
        try commit.write(to: folder.appendingPathComponent("refs/main"), atomically: true, encoding: .utf8)
    }
}
