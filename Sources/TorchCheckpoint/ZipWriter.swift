import Foundation

/// Writes a zip archive of stored (uncompressed) files as `torch.save` does, each file's bytes starting on a
/// 64-byte boundary (the local header's extra field pads it), so that they can be mapped in place.
struct ZipWriter {
    private var archive = Data()
    private var directory = Data()
    private var count = 0
    private static let alignment = 64

    /// Adds the file `name` holding `bytes`.
    mutating func add(_ name: String, _ bytes: Data) {
        let nameBytes = Data(name.utf8), offset = archive.count
        let unpadded = offset + 30 + nameBytes.count + 4
        let padding = (Self.alignment - unpadded % Self.alignment) % Self.alignment
        let crc = CRC32.checksum(bytes)
        // local file header: signature, version 2.0, flags, stored, time, date, CRC, sizes, name and extra lengths
        archive.append(u32: 0x0403_4B50); archive.append(u16: 20); archive.append(u16: 0); archive.append(u16: 0)
        archive.append(u16: 0); archive.append(u16: 0x21)
        archive.append(u32: crc); archive.append(u32: UInt32(truncatingIfNeeded: bytes.count)); archive.append(u32: UInt32(truncatingIfNeeded: bytes.count))
        archive.append(u16: UInt16(nameBytes.count)); archive.append(u16: UInt16(4 + padding))
        archive.append(nameBytes)
        archive.append(u16: 0x4246); archive.append(u16: UInt16(padding))  // torch's padding field, "FB"
        archive.append(Data(count: padding))
        archive.append(bytes)
        // its central directory entry
        directory.append(u32: 0x0201_4B50); directory.append(u16: 20); directory.append(u16: 20); directory.append(u16: 0)
        directory.append(u16: 0); directory.append(u16: 0); directory.append(u16: 0x21)
        directory.append(u32: crc); directory.append(u32: UInt32(truncatingIfNeeded: bytes.count)); directory.append(u32: UInt32(truncatingIfNeeded: bytes.count))
        directory.append(u16: UInt16(nameBytes.count)); directory.append(u16: 0); directory.append(u16: 0)
        directory.append(u16: 0); directory.append(u16: 0); directory.append(u32: 0)
        directory.append(u32: UInt32(truncatingIfNeeded: offset))
        directory.append(nameBytes)
        count += 1
    }

    /// The archive, its central directory and end record after the files; an error past the 4 GB a zip without
    /// ZIP64 records can address.
    func finished() throws -> Data {
        guard archive.count + directory.count < 0xFFFF_FFFF, count < 0xFFFF else {
            throw CheckpointError("sbpl's torch.save writes files of up to 4 GB; save large models with save_pretrained")
        }
        var out = archive
        out.append(directory)
        out.append(u32: 0x0605_4B50); out.append(u16: 0); out.append(u16: 0)
        out.append(u16: UInt16(count)); out.append(u16: UInt16(count))
        out.append(u32: UInt32(directory.count)); out.append(u32: UInt32(archive.count)); out.append(u16: 0)
        return out
    }
}

/// The CRC-32 a zip entry records (the IEEE polynomial, reflected).
enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { n in
        (0..<8).reduce(UInt32(n)) { c, _ in c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
    }

    static func checksum(_ data: Data) -> UInt32 {
        ~data.reduce(~UInt32(0)) { table[Int(($0 ^ UInt32($1)) & 0xFF)] ^ ($0 >> 8) }
    }
}

private extension Data {
    mutating func append(u16 value: UInt16) { Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) } }
    mutating func append(u32 value: UInt32) { Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) } }
}
