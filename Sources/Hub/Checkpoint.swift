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
        /// The hub `HF_ENDPOINT` names, unless `HF_HUB_OFFLINE` is set; a download stops when `isInterrupted`
        /// says the user asked (Ctrl-C).
        case fromEnvironment(isInterrupted: @Sendable () -> Bool = { false })
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
                              fetching: Fetching = .fromEnvironment()) throws -> Checkpoint {
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
        case .fromEnvironment(let isInterrupted):
            var environment = HubDownloader.fromEnvironment(cache: cache)
            environment?.isInterrupted = isInterrupted
            downloader = environment
        case .offline: downloader = nil
        case .using(let d): downloader = d
        }
        for id in RepositoryID.aliases(name) {
            let repository = cache.repository(id)
            if let commit = try repository.commit(revision), let snapshot = try repository.snapshot(commit) {
                return Checkpoint(name: name, directory: snapshot, repository: (id, commit), cache: cache, downloader: downloader)
            }
        }
        guard let downloader else {
            throw HubError.notCached(name: name, revision: revision,
                                     looked: RepositoryID.aliases(name).map { cache.repositoryFolder($0).path })
        }
        guard let (_, commit) = try downloader.download(name, revision: revision, file: "config.json") else {
            throw HubError.missingFiles(checkpoint: name, files: ["config.json"], directory: downloader.resolveURL(name, revision, "").absoluteString)
        }
        return Checkpoint(name: name, directory: cache.repositoryFolder(name).appendingPathComponent("snapshots/" + commit),
                          repository: (name, commit), cache: cache, downloader: downloader)
    }

    /// The path of `file` if the checkpoint has it (downloading it if needed); nil if it is absent (missing from
    /// a folder, a `.no_exist` marker, or the hub says so). In the hub cache, what is there is checked first
    /// (`CachedRepository`): a path that would lead outside the cache, or to a FIFO, is an error.
    public func file(_ file: String) throws -> URL? {
        guard let repository, let cache else {
            let url = directory.appendingPathComponent(file)
            return FileManager.default.fileExists(atPath: url.path) ? url : nil
        }
        let cached = cache.repository(repository.id)
        if let url = try cached.snapshotFile(repository.commit, file) { return url }
        guard let downloader, try !cached.isKnownAbsent(repository.commit, file) else { return nil }
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
