import Foundation

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
    /// A path in a cache someone else wrote that sbpl will not follow, and why.
    case unsafeCache(path: String, problem: CacheProblem)
    /// A download that sent nothing for `seconds` (`HF_HUB_DOWNLOAD_TIMEOUT`), after `got` of `expected` bytes.
    case stalled(file: String, url: String, seconds: TimeInterval, got: Int, expected: Int?)
    /// A redirect chain longer than sbpl follows; `url` is where it went last.
    case redirectLoop(url: String, limit: Int)
    /// A response whose length is not the size the hub's metadata announced.
    case sizeMismatch(file: String, url: String, announced: Int, sent: Int)
    /// A write into the cache that found no room (`reason` is the system's), after `got` of `expected` bytes.
    case diskFull(file: String, path: String, reason: String, got: Int, expected: Int?)
    /// A download the user stopped (Ctrl-C), after `got` of `expected` bytes.
    case interrupted(file: String, got: Int, expected: Int?)
    /// A transient failure that persisted through every attempt.
    indirect case gaveUp(attempts: Int, last: HubError)

    /// A size as huggingface_hub's progress bars show it: `45.4 MB` (decimal megabytes), small ones in bytes.
    private func megabytes(_ bytes: Int) -> String {
        bytes < 100_000 ? "\(bytes) bytes" : String(format: "%.1f MB", Double(bytes) / 1e6)
    }

    /// `N MB of M MB`, or `N MB` when the size is unknown.
    private func progress(_ got: Int, of expected: Int?) -> String {
        megabytes(got) + (expected.map { " of " + megabytes($0) } ?? "")
    }

    public var description: String {
        switch self {
        case .stalled(let file, let url, let seconds, let got, let expected):
            return "download of \(file) stalled: \(url) sent nothing for \(String(format: "%g", seconds)) s (HF_HUB_DOWNLOAD_TIMEOUT) after \(progress(got, of: expected)); run again to resume from there"
        case .redirectLoop(let url, let limit):
            return "more than \(limit) redirects, the last to \(url): a redirect loop"
        case .sizeMismatch(let file, let url, let announced, let sent):
            return "download of \(file) refused: the hub announced \(announced) bytes, \(url) sends \(sent)"
        case .diskFull(let file, let path, let reason, let got, let expected):
            return "cannot write more of \(file) (\(reason)) after \(progress(got, of: expected)); make room and run again to resume from \(path)"
        case .interrupted(let file, let got, let expected):
            return "download of \(file) interrupted after \(progress(got, of: expected)); run again to resume from there"
        case .gaveUp(let attempts, let last):
            return "\(last) (gave up after \(attempts) attempts)"
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
        case .unsafeCache(let path, let problem):
            return "refusing \(path) in the Hugging Face cache: \(problem) (delete it to have the file fetched again)"
        case .invalidName(let name):
            return "'\(name)' is neither a local folder nor a valid model id (ORG/NAME)"
        case .notCached(let name, let revision, let looked):
            return "checkpoint '\(name)' (revision '\(revision)') is not a local folder and not in the Hugging Face cache; looked in \(looked.joined(separator: " and "))"
        case .missingFiles(let checkpoint, let files, let directory):
            return "checkpoint '\(checkpoint)' has no \(files.joined(separator: " or ")) in \(directory)"
        }
    }
}

/// What is wrong with a path in a hub cache that someone else wrote, such that following it could read or write
/// outside the cache, or block.
public enum CacheProblem: Equatable, Sendable, CustomStringConvertible {
    /// A ref whose content is not a 40-hex commit.
    case notACommit(String)
    /// A revision, file name or ETag with an empty, `.` or `..` part, which would leave its folder.
    case unsafeName(String)
    /// A snapshot entry linking somewhere other than a blob of its own repository.
    case linkOutsideBlobs(String)
    /// A symlink where huggingface_hub keeps a real folder or file (a ref, a marker, a folder on the way).
    case unexpectedLink(String)
    /// Something other than a regular file where one should be.
    case notAFile(FileKind)
    /// Something other than a folder where one should be.
    case notAFolder(FileKind)

    public var description: String {
        switch self {
        case .notACommit(let text): "it holds '\(text.prefix(64))', not a 40-hex commit"
        case .unsafeName(let name): "the name '\(name)' would leave its folder"
        case .linkOutsideBlobs(let target): "a symlink to \(target), outside the repository's blobs/"
        case .unexpectedLink(let target): "a symlink to \(target) where huggingface_hub keeps a real one"
        case .notAFile(let kind): "\(kind) where a file should be"
        case .notAFolder(let kind): "\(kind) where a folder should be"
        }
    }
}
