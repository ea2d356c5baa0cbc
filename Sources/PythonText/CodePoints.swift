import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Python compares strs by their code points, where Swift's `==`, `<` and hashing go by canonical equivalence
/// (`"e\u{301}" == "\u{e9}"` is true in Swift and False in Python, so a dict would take the two for one key). These
/// compare UTF-8 bytes, whose order is the code points' order.
extension String {
    /// Python's `==` for strs: the same code points.
    public func hasSameCodePoints(as other: String) -> Bool {
        utf8.count == other.utf8.count && codePointOrder(other) == 0
    }

    /// Python's order of strs, as -1, 0 or 1: the first differing code point decides, a prefix comes first.
    public func codePointOrder(_ other: String) -> Int {
        let bytes = utf8.withContiguousStorageIfAvailable { a in
            other.utf8.withContiguousStorageIfAvailable { b -> Int in
                let common = Swift.min(a.count, b.count)
                let order = common == 0 ? 0 : memcmp(a.baseAddress!, b.baseAddress!, common)
                return order != 0 ? Int(order.signum()) : (a.count < b.count ? -1 : a.count > b.count ? 1 : 0)
            }
        }
        if let order = bytes ?? nil { return order }
        return utf8.lexicographicallyPrecedes(other.utf8) ? -1 : utf8.elementsEqual(other.utf8) ? 0 : 1
    }
}

/// A str as a dict key or set member: equal and hashed by its code points, as in Python.
public struct CodePointKey: Hashable, Sendable {
    public let string: String

    public init(_ string: String) { self.string = string }

    public static func == (a: CodePointKey, b: CodePointKey) -> Bool { a.string.hasSameCodePoints(as: b.string) }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(string.utf8.count)
        let hashed: Void? = string.utf8.withContiguousStorageIfAvailable { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        if hashed == nil { for byte in string.utf8 { hasher.combine(byte) } }
    }
}

/// The code points of the long strs last asked for, so that a loop over `s[i]` or `len(s)` does not walk `s` from
/// its start on each step (Swift strings index by offset in O(n)). A str is found by its storage (the cache holds
/// it, so the storage cannot be reused), or failing that by its bytes. Shared by the interpreter's threads.
public enum CodePointCache {
    private struct Entry: Sendable {
        let string: String
        /// The address of its UTF-8 storage, when it has one.
        let storage: Int?
        let scalars: [Unicode.Scalar]
    }

    /// The last few strs, most recent last (a loop may index two: `a[i] == b[i]`).
    private static let entries = Mutex<[Entry]>([])
    private static let capacity = 4

    /// `s`'s code points (kept for the next calls when `s` is long).
    public static func scalars(of s: String) -> [Unicode.Scalar] {
        guard s.utf8.count >= 64 else { return Array(s.unicodeScalars) }
        let storage = s.utf8.withContiguousStorageIfAvailable { $0.baseAddress.map { Int(bitPattern: $0) } } ?? nil
        return entries.withLock { entries in
            if let i = entries.lastIndex(where: { $0.storage != nil && $0.storage == storage && $0.string.utf8.count == s.utf8.count })
                ?? entries.lastIndex(where: { $0.string.hasSameCodePoints(as: s) }) {
                return entries[i].scalars
            }
            let entry = Entry(string: s, storage: storage, scalars: Array(s.unicodeScalars))
            entries.append(entry)
            if entries.count > capacity { entries.removeFirst() }
            return entry.scalars
        }
    }

    /// `len(s)`.
    public static func count(of s: String) -> Int {
        s.utf8.count < 64 ? s.unicodeScalars.count : scalars(of: s).count
    }
}
