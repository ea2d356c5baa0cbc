/// A pre-tokenizer of huggingface/tokenizers: splits normalised text into the words the model then cuts into
/// tokens. Built from `tokenizer.json`'s `pre_tokenizer` section.
public protocol PreTokenizer: Sendable {
    /// Appends where each word of `text` lies (indices of `text`'s base array), in order, to `words`.
    func split(_ text: ArraySlice<Unicode.Scalar>, into words: inout [Range<Int>])
}

extension PreTokenizer {
    /// The words of `text` (`pre_tokenize_str`, without the offsets).
    public func words(_ text: [Unicode.Scalar]) -> [String] {
        var ranges = [Range<Int>]()
        split(text[...], into: &ranges)
        return ranges.map { String(String.UnicodeScalarView(text[$0])) }
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

/// `pre_tokenizers.Sequence`: each pre-tokenizer splits the words the one before it produced.
public struct PreTokenizerSequence: PreTokenizer {
    public let preTokenizers: [any PreTokenizer]

    public init(_ preTokenizers: [any PreTokenizer]) { self.preTokenizers = preTokenizers }

    public func split(_ text: ArraySlice<Unicode.Scalar>, into words: inout [Range<Int>]) {
        var current = [text.indices.startIndex..<text.indices.endIndex]
        for preTokenizer in preTokenizers {
            var next = [Range<Int>]()
            for word in current { preTokenizer.split(text[word], into: &next) }
            current = next
        }
        words += current
    }
}
