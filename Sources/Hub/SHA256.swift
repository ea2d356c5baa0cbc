import CSHA256

/// SHA-256 (FIPS 180-4), streamed: how downloaded LFS files are checked against their ETag.
public struct SHA256 {
    private var state: [UInt32] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]
    private var pending = [UInt8]()
    private var length: UInt64 = 0

    public init() {}

    public mutating func update<Bytes: Collection>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        length += UInt64(bytes.count)
        pending.append(contentsOf: bytes)
        let blocks = pending.count / 64
        guard blocks > 0 else { return }
        pending.withUnsafeBufferPointer { data in
            state.withUnsafeMutableBufferPointer { sha256_compress_blocks($0.baseAddress!, data.baseAddress!, blocks) }
        }
        pending.removeFirst(blocks * 64)
    }

    /// The digest as lowercase hex.
    public mutating func hexDigest() -> String {
        let bits = length * 8
        var tail = [UInt8](repeating: 0, count: (pending.count + 9 + 63) / 64 * 64)
        tail.replaceSubrange(0..<pending.count, with: pending)
        tail[pending.count] = 0x80
        for i in 0..<8 { tail[tail.count - 1 - i] = UInt8(truncatingIfNeeded: bits >> UInt64(8 * i)) }
        tail.withUnsafeBufferPointer { data in
            state.withUnsafeMutableBufferPointer { sha256_compress_blocks($0.baseAddress!, data.baseAddress!, tail.count / 64) }
        }
        pending = []
        let hex = Array("0123456789abcdef")
        return String(state.flatMap { word in (0..<8).map { hex[Int(word >> (28 - 4 * UInt32($0)) & 0xF)] } })
    }
}
