import Crypto
import Foundation

/// Signs and checks messages as jupyter_client's `Session` does: the hex HMAC-SHA256, under the connection
/// file's key, of the header, parent header, metadata and content frames in that order. An empty key signs
/// nothing and accepts every message, as jupyter_client does.
struct MessageSigner: Sendable {
    private let key: SymmetricKey?

    init(key: String) {
        self.key = key.isEmpty ? nil : SymmetricKey(data: Data(key.utf8))
    }

    /// The signature of `parts` (header, parent header, metadata, content), lowercase hex.
    func signature(of parts: [Data]) -> String {
        guard let key else { return "" }
        var hmac = HMAC<SHA256>(key: key)
        for part in parts { hmac.update(data: part) }
        return Data(hmac.finalize()).map { String(format: "%02x", $0) }.joined()
    }

    /// Whether `signature` is the one `parts` should carry (compared in constant time).
    func verifies(_ signature: Data, of parts: [Data]) -> Bool {
        guard let key else { return true }
        guard let bytes = Self.bytes(fromHex: signature) else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(bytes, authenticating: Data(parts.joined()), using: key)
    }

    /// The bytes a hex string spells, or nil when it is not hex.
    private static func bytes(fromHex hex: Data) -> Data? {
        guard hex.count % 2 == 0 else { return nil }
        var bytes = Data(capacity: hex.count / 2)
        var index = hex.startIndex
        while index < hex.endIndex {
            guard let pair = String(bytes: hex[index..<hex.index(index, offsetBy: 2)], encoding: .ascii),
                  let byte = UInt8(pair, radix: 16) else { return nil }
            bytes.append(byte)
            index = hex.index(index, offsetBy: 2)
        }
        return bytes
    }
}
