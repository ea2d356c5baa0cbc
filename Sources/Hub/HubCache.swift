import Foundation

/// The Hugging Face hub cache on disk, laid out as huggingface_hub lays it out:
/// `models--ORG--NAME/{refs/REV, snapshots/COMMIT/FILE, blobs/ETAG, .no_exist/COMMIT/FILE}`.
public struct HubCache: Sendable {
    /// The cache root, e.g. `~/.cache/huggingface/hub`.
    public let root: URL

    public init(root: URL) { self.root = root }

    /// The root huggingface_hub uses: `HF_HUB_CACHE`, else `HF_HOME/hub`, else `XDG_CACHE_HOME/huggingface/hub`,
    /// else `~/.cache/huggingface/hub`.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        if let cache = environment["HF_HUB_CACHE"], !cache.isEmpty {
            root = URL(fileURLWithPath: UserHome.expand(cache, environment: environment))
        } else if let home = environment["HF_HOME"], !home.isEmpty {
            root = URL(fileURLWithPath: UserHome.expand(home, environment: environment)).appendingPathComponent("hub")
        } else if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty {
            root = URL(fileURLWithPath: UserHome.expand(xdg, environment: environment)).appendingPathComponent("huggingface/hub")
        } else {
            root = URL(fileURLWithPath: UserHome.directory(environment: environment)).appendingPathComponent(".cache/huggingface/hub")
        }
    }

    /// The folder of a model repository, `models--ORG--NAME`.
    public func repositoryFolder(_ repoID: String) -> URL {
        root.appendingPathComponent("models--" + repoID.replacingOccurrences(of: "/", with: "--"))
    }

    /// The commit a revision names: a 40-hex commit as is, else the content of `refs/REVISION`.
    public func commit(_ repoID: String, revision: String) -> String? {
        if revision.count == 40, revision.allSatisfy(\.isHexDigit) { return revision }
        let ref = repositoryFolder(repoID).appendingPathComponent("refs").appendingPathComponent(revision)
        guard let text = try? String(contentsOf: ref, encoding: .utf8) else { return nil }
        let commit = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return commit.isEmpty ? nil : commit
    }

    /// The snapshot folder of a commit.
    public func snapshot(_ repoID: String, commit: String) -> URL {
        repositoryFolder(repoID).appendingPathComponent("snapshots").appendingPathComponent(commit)
    }

    /// Whether the hub said `file` does not exist at `commit` (a `.no_exist` marker).
    public func isKnownAbsent(_ repoID: String, commit: String, file: String) -> Bool {
        let marker = repositoryFolder(repoID).appendingPathComponent(".no_exist").appendingPathComponent(commit)
            .appendingPathComponent(file)
        return FileManager.default.fileExists(atPath: marker.path)
    }

    /// Repository ids that have a folder in the cache, e.g. for completion.
    public func cachedRepositories() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return names.filter { $0.hasPrefix("models--") }
            .map { String($0.dropFirst("models--".count)).replacingOccurrences(of: "--", with: "/") }
            .sorted()
    }
}
