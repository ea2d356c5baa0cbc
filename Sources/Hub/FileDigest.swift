import Crypto
import Foundation

/// The digests the hub names files by, as lowercase hex (swift-crypto, fed 4 MiB at a time so a large download is
/// never read whole): an LFS file's SHA-256, a regular file's git blob SHA-1. Each is the ETag the hub sends.
public enum FileDigest {
    /// Which digest an ETag is, by its length: 64 hex digits are a SHA-256, 40 a git blob SHA-1.
    public enum Kind: String, Sendable {
        case sha256, gitBlobSHA1 = "git blob sha1"

        /// The kind of `etag`; nil for an ETag that is neither (then nothing is checked).
        public init?(etag: String) {
            guard etag.allSatisfy(\.isHexDigit) else { return nil }
            switch etag.count {
            case 64: self = .sha256
            case 40: self = .gitBlobSHA1
            default: return nil
            }
        }
    }

    /// The SHA-256 of the file at `url`; nil when it cannot be opened.
    public static func sha256(of url: URL) throws -> String? {
        var hash = SHA256()
        return try feed(url, into: &hash) ? hex(hash.finalize()) : nil
    }

    /// The file's git blob id, `sha1("blob <size>\0" + content)`, as huggingface_hub gives regular files.
    public static func gitBlobSHA1(of url: URL) throws -> String? {
        let target = url.resolvingSymlinksInPath()
        guard let size = (try? FileManager.default.attributesOfItem(atPath: target.path))?[.size] as? Int else { return nil }
        var hash = Insecure.SHA1()
        hash.update(data: Data("blob \(size)\0".utf8))
        return try feed(target, into: &hash) ? hex(hash.finalize()) : nil
    }

    /// The digest of `kind` of the file at `url`.
    public static func digest(_ kind: Kind, of url: URL) throws -> String? {
        switch kind {
        case .sha256: try sha256(of: url)
        case .gitBlobSHA1: try gitBlobSHA1(of: url)
        }
    }

    private static func feed(_ url: URL, into hash: inout some HashFunction) throws -> Bool {
        guard let reader = FileHandle(forReadingAtPath: url.path) else { return false }
        defer { try? reader.close() }
        while let chunk = try reader.read(upToCount: 1 << 22), !chunk.isEmpty { hash.update(data: chunk) }
        return true
    }

    private static func hex(_ digest: some Digest) -> String { digest.map { String(format: "%02x", $0) }.joined() }
}
