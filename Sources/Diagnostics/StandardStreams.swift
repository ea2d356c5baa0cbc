import Glibc
import Synchronization

/// The process's standard output and error, written without Foundation's trap on a failed write: a full disk or a
/// closed or broken pipe is kept as the write's `errno`, for the program to report it (`print` raises it as Python's
/// `OSError`), and the process goes on.
public enum StandardStreams {
    /// A standard stream, by its file descriptor.
    public enum Stream: Int32, Sendable {
        case output = 1, error = 2
    }

    /// The errno of each stream's failed write not yet reported.
    private static let failures = Mutex<[Stream: Int32]>([:])

    /// Writes all of `text` to `stream` (retrying interrupted and partial writes); a failure is kept for
    /// `takeFailure`.
    public static func write(_ text: String, to stream: Stream) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(stream.rawValue, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                let code = errno
                failures.withLock { $0[stream] = code }
                return
            }
            bytes = bytes.dropFirst(written)
        }
    }

    /// The errno of a write to `stream` that failed since the last call, forgetting it; nil when none did.
    public static func takeFailure(of stream: Stream) -> Int32? {
        failures.withLock { $0.removeValue(forKey: stream) }
    }
}
