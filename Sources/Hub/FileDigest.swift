import Crypto
import Foundation

/// The SHA-256 of a file's content as lowercase hex: the name of an LFS blob in the cache and the ETag the hub
/// sends for it (swift-crypto's `SHA256`, fed 4 MiB at a time so a large download is never read whole).
public enum FileDigest {
    /// The digest of the file at `url`; nil when it cannot be opened.
    public static func sha256(of url: URL) throws -> String? {
        guard let reader = FileHandle(forReadingAtPath: url.path) else { return nil }
        defer { try? reader.close() }
        var hash = SHA256()
        while let chunk = try reader.read(upToCount: 1 << 22), !chunk.isEmpty { hash.update(data: chunk) }
        return hash.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
