import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What a path names, read with `lstat`: the entry itself, never the target of a symlink, and never opened (so a
/// FIFO in a file's place cannot block the check).
public enum FileKind: Equatable, Sendable, CustomStringConvertible {
    case missing, file, directory, symlink, fifo, device, socket

    /// The kind of the entry at `path`.
    public init(at path: String) {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            self = .missing
            return
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: self = .file
        case S_IFDIR: self = .directory
        case S_IFLNK: self = .symlink
        case S_IFIFO: self = .fifo
        case S_IFSOCK: self = .socket
        default: self = .device
        }
    }

    /// The kind with its article, as an error names it: `a FIFO`, `a directory`.
    public var description: String {
        switch self {
        case .missing: "nothing"
        case .file: "a file"
        case .directory: "a directory"
        case .symlink: "a symlink"
        case .fifo: "a FIFO"
        case .device: "a device"
        case .socket: "a socket"
        }
    }
}
