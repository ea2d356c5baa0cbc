import Foundation

/// A model checkpoint: a local folder, or a snapshot in the hub cache whose missing files are downloaded on
/// first use (unless `HF_HUB_OFFLINE` is set).
///
/// ```swift
/// let checkpoint = try Checkpoint.locate("distilbert-base-uncased-finetuned-sst-2-english")
/// let config = try checkpoint.requiredFile("config.json")
/// ```
public struct Checkpoint: Sendable {
    /// Where files missing from the cache may come from.
    public enum Fetching: Sendable {
        /// The hub `HF_ENDPOINT` names, unless `HF_HUB_OFFLINE` is set.
        case fromEnvironment
        /// The cache only.
        case offline
        case using(HubDownloader)
    }

    /// The name the user gave.
    public let name: String
    /// The folder holding the files (a snapshot folder for cached repositories).
    public let directory: URL
    /// The repository and commit when the checkpoint comes from the hub cache.
    public let repository: (id: String, commit: String)?
    let cache: HubCache?
    let downloader: HubDownloader?

    /// Finds `name` as a local folder, else in the hub cache at `revision` (under any of its aliases), else
    /// downloads its `config.json` to learn the commit. A miss is a `HubError` that says where it looked.
    public static func locate(_ name: String, revision: String = "main", cache: HubCache = HubCache(),
                              fetching: Fetching = .fromEnvironment) throws -> Checkpoint {
        var isDirectory: ObjCBool = false
        let expanded = UserHome.expand(name)
        if FileManager.default.fileExists(atPath: expanded, isDirectory: &isDirectory), isDirectory.boolValue {
            return Checkpoint(name: name, directory: URL(fileURLWithPath: expanded), repository: nil, cache: nil, downloader: nil)
        }
        guard RepositoryID.isValid(name) else {
            throw HubError.invalidName(name)
        }
        let downloader: HubDownloader?
        switch fetching {
        case .fromEnvironment: downloader = HubDownloader.fromEnvironment(cache: cache)
        case .offline: downloader = nil
        case .using(let d): downloader = d
        }
        for id in RepositoryID.aliases(name) {
            if let commit = cache.commit(id, revision: revision) {
                let snapshot = cache.snapshot(id, commit: commit)
                if FileManager.default.fileExists(atPath: snapshot.path) {
                    return Checkpoint(name: name, directory: snapshot, repository: (id, commit), cache: cache, downloader: downloader)
                }
            }
        }
        guard let downloader else {
            throw HubError.notCached(name: name, revision: revision,
                                     looked: RepositoryID.aliases(name).map { cache.repositoryFolder($0).path })
        }
        guard let (_, commit) = try downloader.download(name, revision: revision, file: "config.json") else {
            throw HubError.missingFiles(checkpoint: name, files: ["config.json"], directory: downloader.resolveURL(name, revision, "").absoluteString)
        }
        return Checkpoint(name: name, directory: cache.snapshot(name, commit: commit), repository: (name, commit),
                          cache: cache, downloader: downloader)
    }

    /// The path of `file` if the checkpoint has it (downloading it if needed); nil if it is absent (missing from
    /// a folder, a `.no_exist` marker, or the hub says so).
    public func file(_ file: String) throws -> URL? {
        let url = directory.appendingPathComponent(file)
        if FileManager.default.fileExists(atPath: url.path) { return url }
        guard let repository, let cache, let downloader,
              !cache.isKnownAbsent(repository.id, commit: repository.commit, file: file) else { return nil }
        return try downloader.download(repository.id, revision: repository.commit, file: file)?.path
    }

    /// Like `file`, but a hub that cannot be reached counts as the file being absent: how transformers treats
    /// optional files such as `tokenizer.json`.
    public func optionalFile(_ file: String) throws -> URL? {
        do { return try self.file(file) } catch HubError.unreachable { return nil }
    }

    /// The path of the first of `files` that exists, or a `HubError` naming them all and the folder.
    public func requiredFile(_ files: String...) throws -> URL {
        for f in files { if let url = try file(f) { return url } }
        throw HubError.missingFiles(checkpoint: name, files: files, directory: directory.path)
    }
}

/// Why a checkpoint or one of its files could not be had, and what to do about it.
public enum HubError: Error, CustomStringConvertible, Equatable {
    case invalidName(String)
    case notCached(name: String, revision: String, looked: [String])
    case missingFiles(checkpoint: String, files: [String], directory: String)
    case unreachable(url: String, reason: String, cache: String)
    case repositoryNotFound(repo: String, url: String)
    case gated(repo: String, url: String)
    case revisionNotFound(repo: String, revision: String)
    case server(status: Int, url: String)
    case incomplete(file: String, expected: Int, got: Int)
    case checksumMismatch(file: String, digest: String, expected: String, got: String)
    case cacheNotWritable(path: String)

    /// A size as huggingface_hub's progress bars show it: `45.4 MB` (decimal megabytes), small ones in bytes.
    private func megabytes(_ bytes: Int) -> String {
        bytes < 100_000 ? "\(bytes) bytes" : String(format: "%.1f MB", Double(bytes) / 1e6)
    }

    public var description: String {
        switch self {
        case .unreachable(let url, let reason, let cache):
            return "cannot reach \(url) (\(reason)). To use only what is cached in \(cache), set HF_HUB_OFFLINE=1"
        case .repositoryNotFound(let repo, let url):
            return "repository '\(repo)' not found (\(url)): check the name; for a private or gated repository, set HF_TOKEN"
        case .gated(let repo, let url):
            return "access to '\(repo)' is restricted (\(url)): accept its conditions on the hub and set HF_TOKEN"
        case .revisionNotFound(let repo, let revision):
            return "revision '\(revision)' of '\(repo)' not found"
        case .server(let status, let url):
            return "the hub answered HTTP \(status) for \(url)"
        case .incomplete(let file, let expected, let got):
            return "download of \(file) stopped at \(megabytes(got)) of \(megabytes(expected)); run again to resume from there"
        case .checksumMismatch(let file, let digest, let expected, let got):
            return "download of \(file) is corrupt (\(digest) \(got), expected \(expected)); it was discarded"
        case .cacheNotWritable(let path):
            return "cannot write \(path) in the Hugging Face cache"
        case .invalidName(let name):
            return "'\(name)' is neither a local folder nor a valid model id (ORG/NAME)"
        case .notCached(let name, let revision, let looked):
            return "checkpoint '\(name)' (revision '\(revision)') is not a local folder and not in the Hugging Face cache; looked in \(looked.joined(separator: " and "))"
        case .missingFiles(let checkpoint, let files, let directory):
            return "checkpoint '\(checkpoint)' has no \(files.joined(separator: " or ")) in \(directory)"
        }
    }
}
