#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file mapped read-only into memory; unmapped when the last tensor borrowing it is gone.
final class MappedFile: @unchecked Sendable {
    let base: UnsafeMutableRawPointer
    let size: Int

    init(path: String) throws {
        let fd = open(path, O_RDONLY | O_NONBLOCK)  // a FIFO in its place must not block the open
        guard fd >= 0 else { throw SafetensorsError(path, "cannot open: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            throw SafetensorsError(path, "not a regular file")
        }
        size = Int(info.st_size)
        guard size > 0 else { throw SafetensorsError(path, "the file is empty (HeaderTooSmall)") }
        // MAP_PRIVATE + PROT_WRITE: pages stay shared with the page cache until written, and writes never reach
        // the file.
        let address = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0)
        guard let address, address != MAP_FAILED else {
            throw SafetensorsError(path, "cannot map: \(String(cString: strerror(errno)))")
        }
        base = address
    }

    deinit { munmap(base, size) }
}
