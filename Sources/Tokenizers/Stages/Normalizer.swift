import Foundation

/// A normalizer of huggingface/tokenizers: the first stage, which cleans a run of text before it is split into
/// words. Built from `tokenizer.json`'s `normalizer` section (`TokenizerJSON.NormalizerSection`).
public protocol Normalizer: Sendable {
    /// The normalised code points of `text`, each with the code point of `text` it comes from.
    func aligned(_ text: Substring) -> NormalizedText
}

extension Normalizer {
    /// The normalised code points of `text`.
    public func normalize(_ text: Substring) -> [Unicode.Scalar] { aligned(text).scalars }

    /// huggingface/tokenizers' `normalize_str`: `text` normalised.
    public func normalizeString(_ text: String) -> String { String(String.UnicodeScalarView(normalize(text[...]))) }
}

/// Normalised text aligned with the original, as huggingface/tokenizers' `NormalizedString`: for each code point,
/// the index (in code points) of the original one it comes from, so that tokens map back to offsets in the input.
public struct NormalizedText: Sendable {
    public private(set) var scalars: [Unicode.Scalar] = []
    public private(set) var origins: [Int] = []
    /// Where the text starts in the whole input (after an added token, a segment starts further on), so that a
    /// pre-tokenizer can tell the input's first word (huggingface/tokenizers' `offsets_original().0 == 0`: a
    /// segment is sliced again after it is normalized, so the input starts where its first normalized code point
    /// comes from, after what a normalizer stripped).
    var inputOffset = 0

    /// Whether the text starts where the input does.
    var startsInput: Bool { inputOffset + (origins.first ?? 0) == 0 }

    init(capacity: Int) {
        scalars.reserveCapacity(capacity)
        origins.reserveCapacity(capacity)
    }

    /// `text` as it is.
    init(_ text: Substring) {
        scalars = Array(text.unicodeScalars)
        origins = Array(scalars.indices)
    }

    /// Puts `c` in front, aligned with the first code point (as huggingface/tokenizers' `prepend`).
    mutating func prepend(_ c: Unicode.Scalar) {
        scalars.insert(c, at: 0)
        origins.insert(origins.first ?? 0, at: 0)
    }

    /// Each `old` code point replaced by `new`, keeping its origin.
    mutating func replace(_ old: Unicode.Scalar, with new: Unicode.Scalar) {
        for i in scalars.indices where scalars[i] == old { scalars[i] = new }
    }

    mutating func append(_ c: Unicode.Scalar, from origin: Int) {
        scalars.append(c)
        origins.append(origin)
    }

    /// Drops `c` from the end for as long as the text ends with it.
    mutating func dropTrailing(_ c: Unicode.Scalar) {
        while scalars.last == c {
            scalars.removeLast()
            origins.removeLast()
        }
    }

    /// Each of `matches` (in order, not overlapping) replaced by `content`, as huggingface/tokenizers'
    /// `NormalizedString::replace` aligns it (a `transform_range` of the match with each new code point inserted
    /// after the match is dropped): every code point of `content` comes from the match's last code point.
    mutating func replace(_ matches: [Range<Int>], with content: [Unicode.Scalar]) {
        guard !matches.isEmpty else { return }
        var newScalars = [Unicode.Scalar](), newOrigins = [Int](), kept = 0
        newScalars.reserveCapacity(scalars.count)
        newOrigins.reserveCapacity(scalars.count)
        for match in matches {
            newScalars += scalars[kept..<match.lowerBound]
            newOrigins += origins[kept..<match.lowerBound]
            newScalars += content
            newOrigins += repeatElement(match.upperBound > 0 ? origins[match.upperBound - 1] : 0, count: content.count)
            kept = match.upperBound
        }
        scalars = newScalars + scalars[kept...]
        origins = newOrigins + origins[kept...]
    }

    /// `other`'s code points after these, with their origins.
    mutating func append(contentsOf other: NormalizedText) {
        scalars += other.scalars
        origins += other.origins
    }

    /// The code points `range`, with their origins.
    func slice(_ range: Range<Int>) -> NormalizedText {
        var out = NormalizedText(capacity: range.count)
        out.scalars += scalars[range]
        out.origins += origins[range]
        out.inputOffset = inputOffset
        return out
    }

    /// The code points `range` replaced by `changes`, aligned as huggingface/tokenizers' `transform_range` aligns
    /// them: a code point with change 0 replaces the next one and takes its origin, one with change +1 is inserted
    /// and takes the origin of the code point before, and one with change -n replaces the next one and drops n more.
    mutating func transform(_ range: Range<Int>, to changes: [(Unicode.Scalar, Int)]) {
        var cursor = range.lowerBound, newOrigins = [Int]()
        newOrigins.reserveCapacity(changes.count)
        for (_, change) in changes {
            if change > 0 {
                newOrigins.append(cursor > 0 ? origins[min(cursor, origins.count) - 1] : 0)
            } else {
                newOrigins.append(cursor < origins.count ? origins[cursor] : origins.last ?? 0)
                cursor += 1 - change
            }
        }
        scalars.replaceSubrange(range, with: changes.map(\.0))
        origins.replaceSubrange(range, with: newOrigins)
    }

    /// The original range the normalised code points `range` come from.
    public func original(_ range: Range<Int>) -> Range<Int> {
        guard let first = range.first, let last = range.last else { return 0..<0 }
        return origins[first]..<origins[last] + 1
    }

    /// This text normalised again by `next`, still aligned with the original.
    func then(_ next: any Normalizer) -> NormalizedText {
        var out = next.aligned(Substring(String(String.UnicodeScalarView(scalars))))
        out.origins = out.origins.map { origins[$0] }
        return out
    }
}

/// `normalizers.Sequence`: each normalizer applied to what the one before it produced.
public struct NormalizerSequence: Normalizer {
    public let normalizers: [any Normalizer]

    public init(_ normalizers: [any Normalizer]) { self.normalizers = normalizers }

    public func aligned(_ text: Substring) -> NormalizedText {
        normalizers.reduce(NormalizedText(text)) { $0.then($1) }
    }
}

/// `normalizers.Lowercase`: each code point's full lowercase mapping, as Rust's `char::to_lowercase`.
public struct Lowercase: Normalizer {
    public init() {}

    public func aligned(_ text: Substring) -> NormalizedText {
        var out = NormalizedText(capacity: text.unicodeScalars.count)
        for (i, c) in text.unicodeScalars.enumerated() { CharacterClass.appendLowercase(c, to: &out, from: i) }
        return out
    }
}
