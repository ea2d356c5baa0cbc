import Foundation

/// A model checkpoint located on disk: a local folder, or a snapshot in the hub cache.
///
/// ```swift
/// let checkpoint = try Checkpoint.locate("distilbert-base-uncased-finetuned-sst-2-english")
/// let config = try checkpoint.requiredFile("config.json")
/// ```
public struct Checkpoint: Sendable {
    /// The name the user gave.
    public let name: String
    /// The folder holding the files (a snapshot folder for cached repositories).
    public let directory: URL
    /// The repository and commit when found in the hub cache.
    public let repository: (id: String, commit: String)?
    let cache: HubCache?

    /// Finds `name` as a local folder, else in the hub cache at `revision` (under any of its aliases).
    /// A miss is a `HubError` that says where it looked.
    public static func locate(_ name: String, revision: String = "main", cache: HubCache = HubCache()) throws -> Checkpoint {
        var isDirectory: ObjCBool = false
        let expanded = (name as NSString).expandingTildeInPath
        if FileManager.default.fileExists(atPath: expanded, isDirectory: &isDirectory), isDirectory.boolValue {
            return Checkpoint(name: name, directory: URL(fileURLWithPath: expanded), repository: nil, cache: nil)
        }
        guard RepositoryID.isValid(name) else {
            throw HubError.invalidName(name)
        }
        for id in RepositoryID.aliases(name) {
            if let commit = cache.commit(id, revision: revision) {
                let snapshot = cache.snapshot(id, commit: commit)
                if FileManager.default.fileExists(atPath: snapshot.path) {
                    return Checkpoint(name: name, directory: snapshot, repository: (id, commit), cache: cache)
                }
            }
        }
        throw HubError.notCached(name: name, revision: revision,
                                 looked: RepositoryID.aliases(name).map { cache.repositoryFolder($0).path })
    }

    /// The path of `file` if the checkpoint has it; nil if it is absent (missing, or a `.no_exist` marker).
    public func file(_ file: String) -> URL? {
        let url = directory.appendingPathComponent(file)
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    /// The path of the first of `files` that exists, or a `HubError` naming them all and the folder.
    public func requiredFile(_ files: String...) throws -> URL {
        for f in files { if let url = file(f) { return url } }
        throw HubError.missingFiles(checkpoint: name, files: files, directory: directory.path)
    }
}

/// Why a checkpoint or one of its files could not be had.
public enum HubError: Error, CustomStringConvertible, Equatable {
    case invalidName(String)
    case notCached(name: String, revision: String, looked: [String])
    case missingFiles(checkpoint: String, files: [String], directory: String)

    public var description: String {
        switch self {
        case .invalidName(let name):
            return "'\(name)' is neither a local folder nor a valid model id (ORG/NAME)"
        case .notCached(let name, let revision, let looked):
            return "checkpoint '\(name)' (revision '\(revision)') is not a local folder and not in the Hugging Face cache; looked in \(looked.joined(separator: " and "))"
        case .missingFiles(let checkpoint, let files, let directory):
            return "checkpoint '\(checkpoint)' has no \(files.joined(separator: " or ")) in \(directory)"
        }
    }
}
