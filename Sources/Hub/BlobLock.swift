import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// huggingface_hub's lock around a blob download: an advisory `flock` on
/// `<cache>/.locks/models--org--name/<etag>.lock` (filelock's `UnixFileLock`), so that sbpl and Python, or two sbpl
/// processes, fetching one file at once never write the same `.incomplete` together: the second waits, then finds
/// the finished blob.
enum BlobLock {
    /// Runs `body` holding the lock of `etag` in `repository`'s cache.
    static func withLock<T>(_ repository: CachedRepository, etag: String, _ body: () throws -> T) throws -> T {
        let lock = try repository.cache.checkedPath([".locks", repository.folder.lastPathComponent, etag + ".lock"])
        let folder = lock.deletingLastPathComponent()
        do { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) } catch {
            throw HubError.cacheNotWritable(path: folder.path)
        }
        let path = lock.path
        let fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK, 0o644)
        guard fd >= 0 else { throw HubError.cacheNotWritable(path: path) }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else { throw HubError.cacheNotWritable(path: path) }
        }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }
}
