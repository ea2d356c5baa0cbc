import Foundation

/// The entries of a zip archive that stores its files uncompressed, as `torch.save` writes `pytorch_model.bin`:
/// each file's name and where its bytes lie in the archive.
struct ZipArchive {
    struct Entry { let offset: Int, size: Int }

    let data: Data
    private(set) var entries: [String: Entry] = [:]

    /// Reads the central directory of `data`, in the ZIP64 layout too (sizes and offsets past 4 GB in ZIP64 fields,
    /// as torch.save writes large checkpoints); every entry must be stored (not compressed).
    init(_ data: Data, path: String) throws {
        self.data = data
        func fail(_ problem: String) -> CheckpointError { CheckpointError("\(path) \(problem)") }
        // the end-of-central-directory record: its signature, searched backwards past a comment of up to 64 KiB
        guard data.count >= 22, let end = stride(from: data.count - 22, through: max(0, data.count - 22 - 65_535), by: -1)
            .first(where: { data.u32($0) == 0x0605_4B50 }) else { throw fail("is not a zip archive (torch.save's format)") }
        var directory = (count: Int(data.u16(end + 10)), size: Int(data.u32(end + 12)), offset: Int(data.u32(end + 16)))
        if directory.count == 0xFFFF || directory.size == 0xFFFF_FFFF || directory.offset == 0xFFFF_FFFF {
            guard let zip64 = data.zip64Directory(before: end) else { throw fail("has a damaged ZIP64 end-of-directory record") }
            directory = zip64
        }
        guard directory.offset <= data.count, directory.size <= data.count - directory.offset else {
            throw fail("is truncated: its zip directory lies past its end")
        }
        var p = directory.offset
        for _ in 0..<directory.count {
            guard p + 46 <= data.count, data.u32(p) == 0x0201_4B50 else { throw fail("has a damaged zip directory") }
            let method = data.u16(p + 10)
            let nameLength = Int(data.u16(p + 28)), extraLength = Int(data.u16(p + 30)), commentLength = Int(data.u16(p + 32))
            guard p + 46 + nameLength + extraLength <= data.count else { throw fail("has a damaged zip directory") }
            let name = String(decoding: data[(data.startIndex + p + 46)..<(data.startIndex + p + 46 + nameLength)], as: UTF8.self)
            guard method == 0 else { throw fail("compresses \(name), which torch.save does not: sbpl reads stored entries only") }
            guard let (size, local) = data.sizeAndOffset(entry: p, extra: p + 46 + nameLength..<p + 46 + nameLength + extraLength) else {
                throw fail("has a damaged ZIP64 field for \(name)")
            }
            guard local <= data.count - 30, data.u32(local) == 0x0403_4B50 else { throw fail("has a damaged entry \(name)") }
            let start = local + 30 + Int(data.u16(local + 26)) + Int(data.u16(local + 28))
            guard start <= data.count, size <= data.count - start else { throw fail("is truncated: entry \(name) runs past its end") }
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
    func u64(_ i: Int) -> UInt64 { UInt64(u32(i)) | UInt64(u32(i + 4)) << 32 }

    /// The ZIP64 end-of-central-directory record's entry count, directory size and offset, found through the
    /// locator just before the end record at `end`; nil when either is missing or a value does not fit an `Int`.
    fileprivate func zip64Directory(before end: Int) -> (count: Int, size: Int, offset: Int)? {
        guard end >= 20, u32(end - 20) == 0x0706_4B50, let record = Int(exactly: u64(end - 20 + 8)),
              record <= count - 56, u32(record) == 0x0606_4B50,
              let entries = Int(exactly: u64(record + 32)), let size = Int(exactly: u64(record + 40)),
              let offset = Int(exactly: u64(record + 48)) else { return nil }
        return (entries, size, offset)
    }

    /// The size and local header offset of the central directory entry at `entry`: its 32-bit fields, or, where
    /// one is 0xFFFFFFFF, the next value of the ZIP64 extra field (id 1) in `extra` (sizes, then the offset, each
    /// there only when its field overflowed). Nil when that field is missing or short.
    fileprivate func sizeAndOffset(entry: Int, extra: Range<Int>) -> (size: Int, offset: Int)? {
        let fields = [u32(entry + 24), u32(entry + 20), u32(entry + 42)]  // uncompressed, compressed size, offset
        guard fields.contains(0xFFFF_FFFF) else { return (Int(fields[0]), Int(fields[2])) }
        var p = extra.lowerBound
        while p + 4 <= extra.upperBound, u16(p) != 1 { p += 4 + Int(u16(p + 2)) }
        guard p + 4 <= extra.upperBound else { return nil }
        let end = Swift.min(extra.upperBound, p + 4 + Int(u16(p + 2)))
        var next = p + 4
        var values = [Int]()
        for field in fields {
            guard field == 0xFFFF_FFFF else { values.append(Int(field)); continue }
            guard next + 8 <= end, let value = Int(exactly: u64(next)) else { return nil }
            values.append(value)
            next += 8
        }
        return (values[0], values[2])
    }
}
