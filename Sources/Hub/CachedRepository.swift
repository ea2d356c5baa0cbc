import Foundation

/// A model repository's folder in the hub cache (`models--ORG--NAME`), read and written only through checked
/// paths, since someone else may have written the cache: a ref must hold a 40-hex commit, a snapshot entry must be a
/// file or a symlink to a file in the repository's own `blobs/`, folders must be real folders, and a FIFO, device or
/// folder where a file should be is refused without being opened. Each refusal is a `HubError.unsafeCache` naming
/// the path and what is wrong with it.
///
/// ```swift
/// let repository = HubCache().repository("distilbert/distilbert-base-uncased-finetuned-sst-2-english")
/// if let commit = try repository.commit("main") { print(try repository.snapshotFile(commit, "config.json")) }
/// ```
public struct CachedRepository: Sendable {
    /// The repository id, `ORG/NAME`.
    public let id: String
    let cache: HubCache

    /// `<cache>/models--ORG--NAME`.
    public var folder: URL { cache.repositoryFolder(id) }

    /// Whether `text` is a full commit hash: 40 ASCII hex digits.
    public static func isCommit(_ text: String) -> Bool {
        text.utf8.count == 40 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) || (0x41...0x46).contains($0) }
    }

    /// The commit `revision` names: the revision itself when it is a commit, else the content of `refs/<revision>`,
    /// which must be one; nil when there is no such ref.
    public func commit(_ revision: String) throws -> String? {
        if Self.isCommit(revision) { return revision }
        guard let ref = try existing(["refs", revision], as: .file) else { return nil }
        // a ref is 41 bytes: read no more than a few times that, whatever someone put there
        let bytes = try FileHandle(forReadingFrom: ref).read(upToCount: 256) ?? Data()
        let commit = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard Self.isCommit(commit) else { throw HubError.unsafeCache(path: ref.path, problem: .notACommit(commit)) }
        return commit
    }

    /// The snapshot folder of `commit`; nil when there is none.
    public func snapshot(_ commit: String) throws -> URL? {
        try existing(["snapshots", commit], as: .directory)
    }

    /// `file` in the snapshot of `commit`: a regular file, or a symlink to one in this repository's `blobs/`; nil
    /// when there is none, or only a link to a blob that is gone (which a download replaces).
    public func snapshotFile(_ commit: String, _ file: String) throws -> URL? {
        let entry = try cache.checkedPath([folder.lastPathComponent, "snapshots", commit, file])
        switch FileKind(at: entry.path) {
        case .missing: return nil
        case .file: return entry
        case .symlink: return try blob(linkedFrom: entry) == nil ? nil : entry
        case let kind: throw HubCache.refusal(entry, expected: .file, found: kind)
        }
    }

    /// Whether the hub said `file` does not exist at `commit`: a `.no_exist/<commit>/<file>` marker. A marker
    /// speaks only for the commit it names.
    public func isKnownAbsent(_ commit: String, _ file: String) throws -> Bool {
        try existing([".no_exist", commit, file], as: .file) != nil
    }

    /// The blob the symlink `entry` leads to, which must be a regular file in this repository's `blobs/`; nil
    /// when it leads nowhere.
    private func blob(linkedFrom entry: URL) throws -> URL? {
        guard let resolved = Self.realPath(entry.path) else { return nil }
        let blobs = (Self.realPath(folder.path) ?? folder.path) + "/blobs/"
        guard resolved.hasPrefix(blobs), !resolved.dropFirst(blobs.count).contains("/") else {
            throw HubError.unsafeCache(path: entry.path, problem: .linkOutsideBlobs(HubCache.linkTarget(entry)))
        }
        let kind = FileKind(at: resolved)
        guard kind == .file else { throw HubError.unsafeCache(path: resolved, problem: .notAFile(kind)) }
        return URL(fileURLWithPath: resolved)
    }

    // MARK: Writing, as huggingface_hub writes

    /// Writes `refs/<revision>` to hold `commit`.
    func writeRef(_ revision: String, commit: String) throws {
        let ref = try slot(["refs", revision])
        do { try commit.write(to: ref, atomically: true, encoding: .utf8) } catch {
            throw HubError.cacheNotWritable(path: ref.path)
        }
    }

    /// Writes the `.no_exist/<commit>/<file>` marker.
    func markAbsent(_ commit: String, _ file: String) throws {
        let marker = try slot([".no_exist", commit, file])
        guard FileManager.default.createFile(atPath: marker.path, contents: Data()) else {
            throw HubError.cacheNotWritable(path: marker.path)
        }
    }

    /// `blobs/<name>`, which holds a regular file or nothing yet.
    func blobSlot(_ name: String) throws -> URL {
        try slot(["blobs", name])
    }

    /// Points `snapshots/<commit>/<file>` at `blobs/<etag>` with a relative symlink, replacing a link that led
    /// nowhere; returns the entry. Another process (sbpl or huggingface_hub) linking the same blob at the same
    /// moment is no error, as huggingface_hub's `_create_symlink` takes it.
    func link(_ commit: String, _ file: String, toBlob etag: String) throws -> URL {
        let entry = try slot(["snapshots", commit, file], allowingLink: true)
        if FileKind(at: entry.path) == .symlink { try? FileManager.default.removeItem(at: entry) }
        let depth = file.split(separator: "/").count - 1
        let target = String(repeating: "../", count: 2 + depth) + "blobs/" + etag
        do { try FileManager.default.createSymbolicLink(atPath: entry.path, withDestinationPath: target) } catch {
            guard (try? FileManager.default.destinationOfSymbolicLink(atPath: entry.path)) == target else {
                throw HubError.cacheNotWritable(path: entry.path)
            }
        }
        return entry
    }

    // MARK: Checked paths

    /// The entry at `parts` below the repository folder if it is of `kind`; nil when there is nothing there.
    func existing(_ parts: [String], as kind: FileKind) throws -> URL? {
        let url = try cache.checkedPath([folder.lastPathComponent] + parts)
        switch FileKind(at: url.path) {
        case .missing: return nil
        case kind: return url
        case let other: throw HubCache.refusal(url, expected: kind, found: other)
        }
    }

    /// The path at `parts` below the repository folder, where a file is to be written, with its folder made:
    /// refused when something other than a regular file (or, if allowed, a symlink) is there.
    private func slot(_ parts: [String], allowingLink: Bool = false) throws -> URL {
        let url = try cache.checkedPath([folder.lastPathComponent] + parts)
        switch FileKind(at: url.path) {
        case .missing, .file: break
        case .symlink where allowingLink: break
        case let kind: throw HubCache.refusal(url, expected: .file, found: kind)
        }
        let parent = url.deletingLastPathComponent()
        do { try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true) } catch {
            throw HubError.cacheNotWritable(path: parent.path)
        }
        return url
    }

    /// `path` with every symlink resolved; nil when it leads nowhere.
    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
