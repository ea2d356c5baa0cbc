import Foundation

/// How much of a mapping is in memory, from /proc/self/smaps.
public enum ResidentMemory {
    /// The resident size (KiB) of the mapping that holds `address`; -1 when no mapping does.
    public static func kibibytes(at address: Int) -> Int {
        guard let smaps = FileHandle(forReadingAtPath: "/proc/self/smaps")?.readDataToEndOfFile() else { return -1 }
        let lines = smaps.split(separator: UInt8(ascii: "\n")).map { Substring(decoding: $0, as: UTF8.self) }
        guard let start = lines.firstIndex(where: { line in
            let range = line.split(separator: " ")[0].split(separator: "-").compactMap { Int($0, radix: 16) }
            return range.count == 2 && range[0] <= address && address < range[1]
        }), let rss = lines[(start + 1)...].first(where: { $0.hasPrefix("Rss:") }) else { return -1 }
        return Int(rss.split(separator: " ")[1]) ?? -1
    }
}
