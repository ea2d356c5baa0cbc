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

    /// The repository `repoID` in this cache, whose paths are checked before sbpl reads or writes them.
    public func repository(_ repoID: String) -> CachedRepository { CachedRepository(id: repoID, cache: self) }

    /// The path of `parts` below the root (each split at `/`), checked before sbpl reads or writes there, since
    /// someone else may have written the cache: every part must be a plain name (not empty, `.` or `..`), and every
    /// folder on the way a real folder or missing, never a symlink or something else. What the last part names is
    /// for the caller to check.
    func checkedPath(_ parts: [String]) throws -> URL {
        var url = root
        for part in parts {
            let names = part.split(separator: "/", omittingEmptySubsequences: false)
            guard names.allSatisfy({ !["", ".", ".."].contains($0) && !$0.contains("\0") }) else {
                throw HubError.unsafeCache(path: url.path + "/" + part, problem: .unsafeName(part))
            }
            for name in names {
                try Self.requireFolderOrNothing(url, below: root)
                url.appendPathComponent(String(name))
            }
        }
        return url
    }

    /// Throws unless `folder` (the root itself excepted) is a real folder or missing.
    private static func requireFolderOrNothing(_ folder: URL, below root: URL) throws {
        guard folder != root else { return }
        let kind = FileKind(at: folder.path)
        guard kind == .missing || kind == .directory else { throw refusal(folder, expected: .directory, found: kind) }
    }

    /// The error for finding `found` at `url` where huggingface_hub keeps `expected` (a file or a folder).
    static func refusal(_ url: URL, expected: FileKind, found: FileKind) -> HubError {
        let problem: CacheProblem = switch found {
        case .symlink: .unexpectedLink(linkTarget(url))
        default: expected == .directory ? .notAFolder(found) : .notAFile(found)
        }
        return .unsafeCache(path: url.path, problem: problem)
    }

    /// Where the symlink at `url` points, as written in it.
    static func linkTarget(_ url: URL) -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: url.path)) ?? "?"
    }

    /// Repository ids that have a folder in the cache, e.g. for completion.
    public func cachedRepositories() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return names.filter { $0.hasPrefix("models--") }
            .map { String($0.dropFirst("models--".count)).replacingOccurrences(of: "--", with: "/") }
            .sorted()
    }
}
