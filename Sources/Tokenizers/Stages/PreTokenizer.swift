/// A pre-tokenizer of huggingface/tokenizers: splits normalised text into the words the model then cuts into
/// tokens. Built from `tokenizer.json`'s `pre_tokenizer` section.
public protocol PreTokenizer: Sendable {
    /// Calls `body` with each word of `text`, in order.
    func forEachWord(in text: [Unicode.Scalar], _ body: (ArraySlice<Unicode.Scalar>) -> Void)
}

extension PreTokenizer {
    /// The words of `text` (`pre_tokenize_str`, without the offsets).
    public func words(_ text: [Unicode.Scalar]) -> [String] {
        var words = [String]()
        forEachWord(in: text) { words.append(String(String.UnicodeScalarView($0))) }
        return words
    }
}

/// BERT's pre-tokenizer: splits on whitespace (dropped) and on punctuation (kept, each mark its own word).
public struct BertPreTokenizer: PreTokenizer {
    public init() {}

    public func forEachWord(in text: [Unicode.Scalar], _ body: (ArraySlice<Unicode.Scalar>) -> Void) {
        var start = -1
        for (i, c) in text.enumerated() {
            let space = CharacterClass.isWhitespace(c)
            if space || CharacterClass.isPunctuation(c) {
                if start >= 0 { body(text[start..<i]); start = -1 }
                if !space { body(text[i...i]) }
            } else if start < 0 {
                start = i
            }
        }
        if start >= 0 { body(text[start...]) }
    }
}

/// `pre_tokenizers.WhitespaceSplit`: splits on whitespace, which is dropped.
public struct WhitespaceSplit: PreTokenizer {
    public init() {}

    public func forEachWord(in text: [Unicode.Scalar], _ body: (ArraySlice<Unicode.Scalar>) -> Void) {
        var start = -1
        for (i, c) in text.enumerated() {
            if c.properties.isWhitespace {
                if start >= 0 { body(text[start..<i]); start = -1 }
            } else if start < 0 {
                start = i
            }
        }
        if start >= 0 { body(text[start...]) }
    }
}

/// `pre_tokenizers.Sequence`: each pre-tokenizer splits the words the one before it produced.
public struct PreTokenizerSequence: PreTokenizer {
    public let preTokenizers: [any PreTokenizer]

    public init(_ preTokenizers: [any PreTokenizer]) { self.preTokenizers = preTokenizers }

    public func forEachWord(in text: [Unicode.Scalar], _ body: (ArraySlice<Unicode.Scalar>) -> Void) {
        split(text[...], from: 0, body)
    }

    private func split(_ word: ArraySlice<Unicode.Scalar>, from stage: Int, _ body: (ArraySlice<Unicode.Scalar>) -> Void) {
        guard stage < preTokenizers.count else { body(word); return }
        preTokenizers[stage].forEachWord(in: Array(word)) { split($0, from: stage + 1, body) }
    }
}
