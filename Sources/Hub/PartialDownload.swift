import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `blobs/<etag>.incomplete`, a download in progress as huggingface_hub keeps it: appended to as the body arrives, so
/// that a run stopped by a fault resumes from its size. It is opened without following a link or blocking on a FIFO
/// someone put in its place, and written with `write(2)`, so a full disk is an error that keeps what was written.
final class PartialDownload {
    let url: URL
    /// The repository file it becomes, for messages.
    private let name: String
    /// The size it should reach, when the hub said.
    let expected: Int?
    private let fd: Int32
    /// Bytes in the file.
    private(set) var size: Int

    init(_ url: URL, becoming name: String, expected: Int?) throws {
        self.url = url
        self.name = name
        self.expected = expected
        fd = open(url.path, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw HubError.cacheNotWritable(path: url.path) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw HubCache.refusal(url, expected: .file, found: FileKind(at: url.path))
        }
        size = Int(info.st_size)
    }

    deinit { close(fd) }

    /// Empties the file, for a server that sends the whole file again instead of the range asked for.
    func restart() throws {
        guard ftruncate(fd, 0) == 0 else { throw HubError.cacheNotWritable(path: url.path) }
        size = 0
    }

    /// Appends `data`. A full disk, quota or file-size limit is `HubError.diskFull`, other failures
    /// `cacheNotWritable`; what was written before stays for the next run.
    func append(_ data: Data) throws {
        try data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < bytes.count {
                let n = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                if n < 0 && errno == EINTR { continue }
                guard n >= 0 else { throw failure(errno) }
                offset += n
                size += n
            }
        }
    }

    /// Waits until the bytes are on disk.
    func synchronize() throws {
        guard fsync(fd) == 0 else { throw failure(errno) }
    }

    private func failure(_ code: Int32) -> HubError {
        guard [ENOSPC, EDQUOT, EFBIG].contains(code) else { return .cacheNotWritable(path: url.path) }
        return .diskFull(file: name, path: url.path, reason: String(cString: strerror(code)), got: size, expected: expected)
    }
}
