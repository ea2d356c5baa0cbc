import Foundation

/// Downloads checkpoint files from the Hugging Face hub into the shared cache, written exactly as
/// huggingface_hub writes it: `blobs/<etag>`, `snapshots/<commit>/<file>` as relative symlinks,
/// `refs/<revision>`, `.no_exist/<commit>/<file>`, each path checked first (`CachedRepository`). Partial downloads
/// live in `blobs/<etag>.incomplete`, resume with a Range request (in the next run, and within this one after a
/// transient failure, `retry`), and become a blob only once their size and digest are right.
public struct HubDownloader: Sendable {
    public let endpoint: URL
    public let cache: HubCache
    public let token: String?
    /// Seconds a HEAD request may wait for an answer (huggingface_hub's `HF_HUB_ETAG_TIMEOUT`).
    public var metadataTimeout: TimeInterval = 10
    /// Seconds a download may go without receiving anything (huggingface_hub's `HF_HUB_DOWNLOAD_TIMEOUT`).
    public var downloadTimeout: TimeInterval = 10
    /// How transient failures (HTTP 429 and 5xx, a dropped or stalled connection) are retried.
    public var retry = RetryPolicy()
    /// Whether the user asked to stop (Ctrl-C), asked before each attempt and as each part of a body arrives; the
    /// download then ends with `HubError.interrupted`, its partial file kept.
    public var isInterrupted: @Sendable () -> Bool = { false }
    /// Progress on stderr when it is a terminal, or into `ProgressOutput.sink` when one is set.
    public var showProgress = ProgressOutput.isShown

    public init(endpoint: URL, cache: HubCache, token: String?) {
        self.endpoint = endpoint
        self.cache = cache
        self.token = token
    }

    /// The downloader the environment asks for (`HF_ENDPOINT`, the token, `HF_HUB_ETAG_TIMEOUT`,
    /// `HF_HUB_DOWNLOAD_TIMEOUT`), or nil when `HF_HUB_OFFLINE` is set.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment,
                                       cache: HubCache) -> HubDownloader? {
        if let offline = environment["HF_HUB_OFFLINE"], ["1", "ON", "YES", "TRUE"].contains(offline.uppercased()) { return nil }
        let endpoint = URL(string: environment["HF_ENDPOINT"] ?? "https://huggingface.co") ?? URL(string: "https://huggingface.co")!
        var downloader = HubDownloader(endpoint: endpoint, cache: cache, token: Self.token(environment))
        if let seconds = environment["HF_HUB_ETAG_TIMEOUT"].flatMap(TimeInterval.init), seconds > 0 { downloader.metadataTimeout = seconds }
        if let seconds = environment["HF_HUB_DOWNLOAD_TIMEOUT"].flatMap(TimeInterval.init), seconds > 0 { downloader.downloadTimeout = seconds }
        return downloader
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

    var authorization: [String: String] { token.map { ["Authorization": "Bearer \($0)"] } ?? [:] }

    /// HEAD on the resolve URL, following redirects on the same host only (renamed repositories), as
    /// huggingface_hub does, retrying while the hub is busy. Nil when the hub says the file does not exist (a
    /// `.no_exist` marker is written).
    func metadata(_ repo: String, revision: String, file: String) throws -> Metadata? {
        let url = resolveURL(repo, revision, file)
        let response = try retry.run {
            let response: HTTPResponse
            do {
                response = try HTTPClient.send("HEAD", url, headers: authorization.merging(["Accept-Encoding": "identity"]) { $1 },
                                               timeout: metadataTimeout, follow: { HTTPClient.sameOrigin(url, $0) })
            } catch {
                throw hubError(error, url: url)
            }
            if RetryPolicy.transientStatuses.contains(response.status) {
                throw TransientFailure(.server(status: response.status, url: url.absoluteString), retryAfter: response.header("Retry-After"))
            }
            return response
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
            throw HubError.server(status: response.status, url: url.absoluteString + " (no usable X-Repo-Commit or ETag: is HF_ENDPOINT a Hugging Face hub?)")
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

    /// The `HubError` for an exchange with `url` that failed before an answer.
    func hubError(_ error: Error, url: URL) -> HubError {
        if case HTTPClient.Failure.tooManyRedirects(let last) = error {
            return .redirectLoop(url: last.absoluteString, limit: HTTPClient.maxRedirects)
        }
        return .unreachable(url: url.absoluteString, reason: "\(error)", cache: cache.root.path)
    }
}
