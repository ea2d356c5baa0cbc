import Foundation
import Synchronization

/// What BERT's stages ask of a non-ASCII code point (its character classes, canonical decomposition and lowercase
/// mapping), read from pages of 256 code points, each made the first time a text needs one and kept for the
/// process: the Unicode property and normalisation look-ups cost far more than a table read. The workers of a
/// batch share the pages; two making the same page at once keep the first.
enum CodePointTable {
    /// One code point's facts.
    struct Entry: Sendable {
        /// `CharacterClass`'s classes: Rust tokenizers' control, whitespace and punctuation, and general category Mn.
        private(set) var isControl = false, isWhitespace = false, isPunctuation = false, isNonspacingMark = false
        /// NFD of the code point (at most 4 code points in Unicode), the first `decompositionCount` of these.
        private var decomposed: SIMD4<UInt32>
        private(set) var decompositionCount = 1
        /// The full lowercase mapping (at most 2 code points), the first `lowercaseCount` of these.
        private var lowercased: SIMD2<UInt32>
        private(set) var lowercaseCount = 1

        init(_ c: Unicode.Scalar) {
            (decomposed, lowercased) = (SIMD4(repeating: c.value), SIMD2(repeating: c.value))
            let properties = c.properties
            switch properties.generalCategory {
            case .control, .format, .surrogate, .privateUse: isControl = true
            case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
                 .finalPunctuation, .otherPunctuation: isPunctuation = true
            case .nonspacingMark: isNonspacingMark = true
            default: break
            }
            isWhitespace = properties.isWhitespace
            if properties.changesWhenLowercased { lowercaseCount = Self.fill(&lowercased, properties.lowercaseMapping.unicodeScalars) }
            decompositionCount = Self.fill(&decomposed, String(c).decomposedStringWithCanonicalMapping.unicodeScalars)
        }

        /// Code point `k` of the decomposition.
        func decomposition(_ k: Int) -> Unicode.Scalar { Unicode.Scalar(decomposed[k])! }

        /// Code point `k` of the lowercase mapping.
        func lowercase(_ k: Int) -> Unicode.Scalar { Unicode.Scalar(lowercased[k])! }

        private static func fill<V: SIMD>(_ slots: inout V, _ scalars: String.UnicodeScalarView) -> Int where V.Scalar == UInt32 {
            precondition(scalars.count <= V.scalarCount, "a code point maps to more code points than Unicode has")
            for (i, s) in scalars.enumerated() { slots[i] = s.value }
            return scalars.count
        }
    }

    private static let pageBits = 8
    private static let pages = Pages(count: 0x110000 >> pageBits)

    /// The facts of `c`.
    static subscript(_ c: Unicode.Scalar) -> Entry {
        let page = Int(c.value) >> pageBits
        let entries = pages.page(page) ?? pages.publish(page, make(page))
        return entries[Int(c.value) & (1 << pageBits - 1)]
    }

    /// The entries of page `page` (no entry for a surrogate, which no string holds).
    private static func make(_ page: Int) -> UnsafeMutablePointer<Entry> {
        let entries = UnsafeMutablePointer<Entry>.allocate(capacity: 1 << pageBits)
        for i in 0..<1 << pageBits {
            let value = UInt32(page << pageBits + i)
            (entries + i).initialize(to: Entry(Unicode.Scalar(value) ?? "\u{FFFD}"))
        }
        return entries
    }

    /// The page pointers, nil until made.
    private final class Pages: @unchecked Sendable {
        private let slots: UnsafeMutablePointer<Atomic<UnsafeMutableRawPointer?>>

        init(count: Int) {
            slots = .allocate(capacity: count)
            for i in 0..<count { (slots + i).initialize(to: Atomic(nil)) }
        }

        func page(_ i: Int) -> UnsafeMutablePointer<Entry>? {
            slots[i].load(ordering: .acquiring)?.assumingMemoryBound(to: Entry.self)
        }

        /// Publishes `entries` as page `i` unless another thread did first, whose page it then returns.
        func publish(_ i: Int, _ entries: UnsafeMutablePointer<Entry>) -> UnsafeMutablePointer<Entry> {
            let (exchanged, original) = slots[i].compareExchange(expected: nil, desired: UnsafeMutableRawPointer(entries),
                                                                 successOrdering: .releasing, failureOrdering: .acquiring)
            if exchanged { return entries }
            entries.deinitialize(count: 1 << CodePointTable.pageBits).deallocate()
            return original!.assumingMemoryBound(to: Entry.self)
        }
    }
}
