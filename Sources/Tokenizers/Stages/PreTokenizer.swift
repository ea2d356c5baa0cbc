/// A pre-tokenizer of huggingface/tokenizers: splits normalised text into the words the model then cuts into
/// tokens. Built from `tokenizer.json`'s `pre_tokenizer` section.
public protocol PreTokenizer: Sendable {
    /// Appends where each word of `text` lies (indices of `text`'s base array), in order, to `words`.
    func split(_ text: ArraySlice<Unicode.Scalar>, into words: inout [Range<Int>])
    /// Whether the model cuts each word's UTF-8 bytes (in the `ByteAlphabet`) rather than its code points.
    var mapsBytes: Bool { get }
    /// Changes the text before it is split (`ByteLevel` puts a space in front).
    func prepare(_ text: inout NormalizedText)
    /// Prepares `text` and appends where each of its words lies to `words`: by default `prepare`, then `split`.
    func preTokenize(_ text: inout NormalizedText, into words: inout [Range<Int>])
}

extension PreTokenizer {
    public var mapsBytes: Bool { false }
    public func prepare(_ text: inout NormalizedText) {}

    public func preTokenize(_ text: inout NormalizedText, into words: inout [Range<Int>]) {
        prepare(&text)
        split(text.scalars[...], into: &words)
    }

    /// The words of `text` (`pre_tokenize_str`, without the offsets).
    public func words(_ text: [Unicode.Scalar]) -> [String] {
        var prepared = NormalizedText(Substring(String(String.UnicodeScalarView(text))))
        var ranges = [Range<Int>]()
        preTokenize(&prepared, into: &ranges)
        return ranges.map { String(String.UnicodeScalarView(prepared.scalars[$0])) }
    }

    /// huggingface/tokenizers' `pre_tokenize_str`: each word of `text` as the model reads it (a byte-level word in
    /// the `ByteAlphabet`: `Ġhow`) and the code points of `text` it covers (what a pre-tokenizer put in front counts
    /// as part of the first code point after it).
    public func preTokenizeString(_ text: String) -> [(word: String, offsets: Range<Int>)] {
        var prepared = NormalizedText(Substring(text))
        var ranges = [Range<Int>]()
        preTokenize(&prepared, into: &ranges)
        return ranges.filter { !$0.isEmpty }.map { range in
            var scalars = Array(prepared.scalars[range])
            if mapsBytes {
                var mapped = [Unicode.Scalar](), origins = [Int]()
                ByteAlphabet.map(scalars[...], into: &mapped, origins: &origins)
                scalars = mapped
            }
            let offsets = prepared.origins[range.lowerBound]..<(prepared.origins[range.upperBound - 1] + 1)
            return (String(String.UnicodeScalarView(scalars)), offsets)
        }
    }
}

/// BERT's pre-tokenizer: splits on whitespace (dropped) and on punctuation (kept, each mark its own word).
public struct BertPreTokenizer: PreTokenizer {
    public init() {}

    public func split(_ text: ArraySlice<Unicode.Scalar>, into words: inout [Range<Int>]) {
        var start = -1
        for i in text.indices {
            let c = text[i]
            let space = CharacterClass.isWhitespace(c)
            if space || CharacterClass.isPunctuation(c) {
                if start >= 0 { words.append(start..<i); start = -1 }
                if !space { words.append(i..<i + 1) }
            } else if start < 0 {
                start = i
            }
        }
        if start >= 0 { words.append(start..<text.endIndex) }
    }
}

/// `pre_tokenizers.WhitespaceSplit`: splits on whitespace, which is dropped.
public struct WhitespaceSplit: PreTokenizer {
    public init() {}

    public func split(_ text: ArraySlice<Unicode.Scalar>, into words: inout [Range<Int>]) {
        var start = -1
        for i in text.indices {
            if text[i].properties.isWhitespace {
                if start >= 0 { words.append(start..<i); start = -1 }
            } else if start < 0 {
                start = i
            }
        }
        if start >= 0 { words.append(start..<text.endIndex) }
    }
}

/// `pre_tokenizers.Sequence`: each pre-tokenizer prepares and splits each word the one before it produced (T5's
/// WhitespaceSplit then Metaspace puts a `▁` in front of every word); the words are then laid end to end, with
/// their origins, as the text the model reads.
public struct PreTokenizerSequence: PreTokenizer {
    public let preTokenizers: [any PreTokenizer]

    public init(_ preTokenizers: [any PreTokenizer]) { self.preTokenizers = preTokenizers }

    public var mapsBytes: Bool { preTokenizers.contains { $0.mapsBytes } }

    /// The words of the stages' splitting alone, without what they prepare.
    public func split(_ text: ArraySlice<Unicode.Scalar>, into words: inout [Range<Int>]) {
        var current = [text.indices.startIndex..<text.indices.endIndex]
        for preTokenizer in preTokenizers {
            var next = [Range<Int>]()
            for word in current { preTokenizer.split(text[word], into: &next) }
            current = next
        }
        words += current
    }

    public func preTokenize(_ text: inout NormalizedText, into words: inout [Range<Int>]) {
        var pieces = [text]
        for preTokenizer in preTokenizers {
            var next = [NormalizedText]()
            for var piece in pieces {
                var ranges = [Range<Int>]()
                preTokenizer.preTokenize(&piece, into: &ranges)
                next += ranges.map(piece.slice)
            }
            pieces = next
        }
        var joined = text.slice(0..<0)
        for piece in pieces {
            words.append(joined.scalars.count..<joined.scalars.count + piece.scalars.count)
            joined.append(contentsOf: piece)
        }
        text = joined
    }
}
