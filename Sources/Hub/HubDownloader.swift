import Foundation

/// Downloads checkpoint files from the Hugging Face hub into the shared cache, written exactly as
/// huggingface_hub writes it: `blobs/<etag>`, `snapshots/<commit>/<file>` as relative symlinks,
/// `refs/<revision>`, `.no_exist/<commit>/<file>`, each path checked first (`CachedRepository`). Partial downloads live in `blobs/<etag>.incomplete`, resume with
/// a Range request, and become a blob only once their size (and, for LFS files, SHA-256) is right.
public struct HubDownloader: Sendable {
    public let endpoint: URL
    public let cache: HubCache
    public let token: String?
    public var timeout: TimeInterval = 10
    /// Progress on stderr, when it is a terminal.
    public var showProgress = isatty(STDERR_FILENO) != 0

    public init(endpoint: URL, cache: HubCache, token: String?) {
        self.endpoint = endpoint
        self.cache = cache
        self.token = token
    }

    /// The downloader the environment asks for, or nil when `HF_HUB_OFFLINE` is set.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment,
                                       cache: HubCache) -> HubDownloader? {
        if let offline = environment["HF_HUB_OFFLINE"], ["1", "ON", "YES", "TRUE"].contains(offline.uppercased()) { return nil }
        let endpoint = URL(string: environment["HF_ENDPOINT"] ?? "https://huggingface.co") ?? URL(string: "https://huggingface.co")!
        return HubDownloader(endpoint: endpoint, cache: cache, token: Self.token(environment))
    }

    /// `HF_TOKEN`, else the token file huggingface_hub saves (`HF_TOKEN_PATH`, `HF_HOME/token`,
    /// `~/.cache/huggingface/token`).
    static func token(_ environment: [String: String]) -> String? {
        if let token = environment["HF_TOKEN"], !token.isEmpty { return token }
        let home = environment["HF_HOME"].map { UserHome.expand($0, environment: environment) }
            ?? UserHome.directory(environment: environment) + "/.cache/huggingface"
        let path = environment["HF_TOKEN_PATH"].map { UserHome.expand($0, environment: environment) } ?? (home + "/token")
        let token = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
        return token?.isEmpty == false ? token : nil
    }

    /// What a HEAD request says about a file.
    struct Metadata {
        let commit: String
        let etag: String
        let size: Int?
        let location: URL
    }

    func resolveURL(_ repo: String, _ revision: String, _ file: String) -> URL {
        let encodedRevision = revision.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? revision
        return endpoint.appendingPathComponent(repo).appendingPathComponent("resolve").appendingPathComponent(encodedRevision)
            .appendingPathComponent(file)
    }

    private var authorization: [String: String] { token.map { ["Authorization": "Bearer \($0)"] } ?? [:] }

    /// HEAD on the resolve URL, following redirects on the same host only (renamed repositories), as
    /// huggingface_hub does. Nil when the hub says the file does not exist (a `.no_exist` marker is written).
    func metadata(_ repo: String, revision: String, file: String) throws -> Metadata? {
        let url = resolveURL(repo, revision, file)
        let response: HTTPResponse
        do {
            response = try HTTPClient.send("HEAD", url, headers: authorization.merging(["Accept-Encoding": "identity"]) { $1 },
                                           timeout: timeout, follow: { $0.host == url.host && $0.port == url.port })
        } catch {
            throw HubError.unreachable(url: url.absoluteString, reason: Self.describe(error), cache: cache.root.path)
        }
        let code = response.header("X-Error-Code")
        switch response.status {
        case 200..<400: break
        case 404 where code == "EntryNotFound" || code == nil:
            if let commit = response.header("X-Repo-Commit"), CachedRepository.isCommit(commit) {
                try cache.repository(repo).markAbsent(commit, file)
            }
            if code == nil && response.header("X-Repo-Commit") == nil { throw HubError.repositoryNotFound(repo: repo, url: url.absoluteString) }
            return nil
        case 404 where code == "RevisionNotFound":
            throw HubError.revisionNotFound(repo: repo, revision: revision)
        case 401, 404:
            throw HubError.repositoryNotFound(repo: repo, url: url.absoluteString)
        case 403:
            throw HubError.gated(repo: repo, url: url.absoluteString)
        default:
            throw HubError.server(status: response.status, url: url.absoluteString)
        }
        guard let commit = response.header("X-Repo-Commit"), CachedRepository.isCommit(commit),
              let etag = (response.header("X-Linked-Etag") ?? response.header("ETag")).map(Self.normalizeETag),
              RepositoryID.isValid(etag), !etag.contains("/") else {
            throw HubError.server(status: response.status, url: url.absoluteString + " (no X-Repo-Commit or ETag: is HF_ENDPOINT a Hugging Face hub?)")
        }
        let size = (response.header("X-Linked-Size") ?? response.header("Content-Length")).flatMap { Int($0) }
        let location = response.header("Location").flatMap { URL(string: $0, relativeTo: response.url)?.absoluteURL } ?? response.url
        return Metadata(commit: commit, etag: etag, size: size, location: location)
    }

    /// transformers looks for `version.txt` (cache format 1) at the cache root and warns when it is missing.
    private func markCacheVersion() {
        let version = cache.root.appendingPathComponent("version.txt")
        if !FileManager.default.fileExists(atPath: version.path) { try? "1".write(to: version, atomically: true, encoding: .utf8) }
    }

    static func normalizeETag(_ etag: String) -> String {
        var e = etag
        if e.hasPrefix("W/") { e.removeFirst(2) }
        return e.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
    }

    /// Downloads `file` of `repo` at `revision` into the cache (if it is not there already) and returns its path
    /// in the snapshot, with the commit; nil when the hub says the file does not exist.
    @discardableResult
    public func download(_ repo: String, revision: String, file: String) throws -> (path: URL, commit: String)? {
        guard let meta = try metadata(repo, revision: revision, file: file) else { return nil }
        let repository = cache.repository(repo)
        if revision != meta.commit { try repository.writeRef(revision, commit: meta.commit) }
        markCacheVersion()
        if let path = try repository.snapshotFile(meta.commit, file) { return (path, meta.commit) }
        let blob = try repository.blobSlot(meta.etag)
        if FileKind(at: blob.path) == .missing {
            try BlobLock.withLock(repository, etag: meta.etag) {
                // another process may have finished it while this one waited for the lock
                if FileKind(at: blob.path) == .missing {
                    try fetchBlob(meta, into: try repository.blobSlot(meta.etag + ".incomplete"), then: blob, name: file)
                }
            }
        }
        return (try repository.link(meta.commit, file, toBlob: meta.etag), meta.commit)
    }

    /// GET into `<blob>.incomplete` (resuming what is there), check size and SHA-256, then rename to the blob.
    private func fetchBlob(_ meta: Metadata, into partial: URL, then blob: URL, name: String) throws {
        let fm = FileManager.default
        if !fm.fileExists(atPath: partial.path), !fm.createFile(atPath: partial.path, contents: Data()) {
            throw HubError.cacheNotWritable(path: partial.path)
        }
        let existing = ((try? fm.attributesOfItem(atPath: partial.path))?[.size] as? NSNumber)?.intValue ?? 0
        guard let handle = FileHandle(forWritingAtPath: partial.path) else {
            throw HubError.cacheNotWritable(path: partial.path)
        }
        defer { try? handle.close() }
        _ = try handle.seekToEnd()
        var headers = meta.location.host == endpoint.host ? authorization : [:]
        var written = existing
        if existing > 0 { headers["Range"] = "bytes=\(existing)-" }
        let progress = showProgress ? ProgressBar(name: name, total: meta.size, start: existing) : nil
        let response: HTTPResponse
        do {
            response = try HTTPClient.send("GET", meta.location, headers: headers, timeout: timeout, follow: { _ in true }) { data in
                if written == existing && existing > 0 && data.isEmpty { return }
                handle.write(data)
                written += data.count
                progress?.update(written)
            }
        } catch {
            progress?.finish()
            throw HubError.unreachable(url: meta.location.absoluteString, reason: Self.describe(error), cache: cache.root.path)
        }
        progress?.finish()
        guard response.status == 200 || response.status == 206 else {
            throw HubError.server(status: response.status, url: meta.location.absoluteString)
        }
        if response.status == 200 && existing > 0 {
            // The server ignored the Range: start over with what it sent.
            try handle.close()
            let data = try Data(contentsOf: partial)
            try data.suffix(from: existing).write(to: partial)
            written -= existing
        }
        try handle.synchronize()
        try verify(partial, meta, written: written, name: name)
        try fm.moveItem(at: partial, to: blob)
    }

    /// Checks a finished download against the size and the digest its ETag names; `name` is the repository file.
    private func verify(_ file: URL, _ meta: Metadata, written: Int, name: String) throws {
        if let size = meta.size, written != size {
            if written > size { try? FileManager.default.removeItem(at: file) }
            throw HubError.incomplete(file: name, expected: size, got: written)
        }
        guard let kind = FileDigest.Kind(etag: meta.etag) else { return }
        guard let digest = try FileDigest.digest(kind, of: file) else { throw HubError.cacheNotWritable(path: file.path) }
        guard digest == meta.etag.lowercased() else {
            try? FileManager.default.removeItem(at: file)
            throw HubError.checksumMismatch(file: name, digest: kind.rawValue, expected: meta.etag, got: digest)
        }
    }

    static func describe(_ error: Error) -> String {
        let ns = error as NSError
        if ns.code == NSURLErrorTimedOut { return "timed out" }
        return (ns.userInfo[NSLocalizedDescriptionKey] as? String)
            ?? ((ns.userInfo[NSUnderlyingErrorKey] as? NSError)?.userInfo[NSLocalizedDescriptionKey] as? String)
            ?? "\(error)"
    }
}
