import Foundation

/// The entries of a zip archive that stores its files uncompressed, as `torch.save` writes `pytorch_model.bin`:
/// each file's name and where its bytes lie in the archive.
struct ZipArchive {
    struct Entry { let offset: Int, size: Int }

    let data: Data
    private(set) var entries: [String: Entry] = [:]

    /// Reads the central directory of `data`; every entry must be stored (not compressed) and the archive not need
    /// ZIP64 (under 4 GB).
    init(_ data: Data, path: String) throws {
        self.data = data
        func fail(_ problem: String) -> CheckpointError { CheckpointError("\(path) \(problem)") }
        // the end-of-central-directory record: its signature, searched backwards past a comment of up to 64 KiB
        guard data.count >= 22, let end = stride(from: data.count - 22, through: max(0, data.count - 22 - 65_535), by: -1)
            .first(where: { data.u32($0) == 0x0605_4B50 }) else { throw fail("is not a zip archive (torch.save's format)") }
        let count = Int(data.u16(end + 10)), directorySize = Int(data.u32(end + 12)), directoryOffset = Int(data.u32(end + 16))
        guard directoryOffset != 0xFFFF_FFFF, count != 0xFFFF else { throw fail("is a ZIP64 archive (over 4 GB), which sbpl does not read") }
        guard directoryOffset + directorySize <= data.count else { throw fail("is truncated: its zip directory lies past its end") }
        var p = directoryOffset
        for _ in 0..<count {
            guard p + 46 <= data.count, data.u32(p) == 0x0201_4B50 else { throw fail("has a damaged zip directory") }
            let method = data.u16(p + 10), size = Int(data.u32(p + 24))
            let nameLength = Int(data.u16(p + 28)), extraLength = Int(data.u16(p + 30)), commentLength = Int(data.u16(p + 32))
            let local = Int(data.u32(p + 42))
            guard p + 46 + nameLength <= data.count else { throw fail("has a damaged zip directory") }
            let name = String(decoding: data[(data.startIndex + p + 46)..<(data.startIndex + p + 46 + nameLength)], as: UTF8.self)
            guard method == 0 else { throw fail("compresses \(name), which torch.save does not: sbpl reads stored entries only") }
            guard local + 30 <= data.count, data.u32(local) == 0x0403_4B50 else { throw fail("has a damaged entry \(name)") }
            let start = local + 30 + Int(data.u16(local + 26)) + Int(data.u16(local + 28))
            guard start + size <= data.count else { throw fail("is truncated: entry \(name) runs past its end") }
            if entries[name] == nil { entries[name] = Entry(offset: start, size: size) }  // the first of a repeated name, as miniz
            p += 46 + nameLength + extraLength + commentLength
        }
    }

    /// The archive's one folder holding `data.pkl` (its name varies: `archive`, `pytorch_model`), or an error.
    func pickleFolder(path: String) throws -> String {
        let folders = entries.keys.filter { $0.hasSuffix("/data.pkl") }.map { String($0.dropLast("/data.pkl".count)) }
        guard folders.count == 1, let folder = folders.first else {
            throw CheckpointError(folders.isEmpty ? "\(path) has no data.pkl: it is not a torch.save file" : "\(path) has more than one data.pkl")
        }
        return folder
    }
}

extension Data {
    /// The little-endian integer at byte `i` (from the start of the data).
    func u16(_ i: Int) -> UInt16 { UInt16(self[startIndex + i]) | UInt16(self[startIndex + i + 1]) << 8 }
    func u32(_ i: Int) -> UInt32 { UInt32(u16(i)) | UInt32(u16(i + 2)) << 16 }
}
