/// When Metaspace puts its replacement in front of a text (`prepend_scheme`; the older `add_prefix_space: true` is
/// `always`).
public enum PrependScheme: String, Sendable {
    case always, never, first
}

/// `pre_tokenizers.Metaspace` (SentencePiece's way with spaces): each space becomes `replacement` (`▁`), one is put in
/// front of the text unless it starts with one (as `prepend_scheme` says), and with `split` each word starts at a
/// replacement (which it keeps).
public struct Metaspace: PreTokenizer {
    public var replacement: Unicode.Scalar
    public var prependScheme: PrependScheme
    public var split: Bool

    /// Metaspace as `tokenizer.json` sets it.
    public init(replacement: Unicode.Scalar = "▁", prependScheme: PrependScheme = .always, split: Bool = true) {
        (self.replacement, self.prependScheme, self.split) = (replacement, prependScheme, split)
    }

    /// Spaces become the replacement, and one is put in front unless the text starts with it: always, or with the
    /// `first` scheme only when the text starts the input (not after an added token, nor for a later word that a
    /// pre-tokenizer before this one split off).
    public func prepare(_ text: inout NormalizedText) {
        text.replace(" ", with: replacement)
        guard let first = text.scalars.first, first != replacement else { return }
        if prependScheme == .always || prependScheme == .first && text.startsInput { text.prepend(replacement) }
    }

    public func split(_ text: ArraySlice<Unicode.Scalar>, into words: inout [Range<Int>]) {
        guard split else { if !text.isEmpty { words.append(text.indices) }; return }
        var start = text.startIndex
        for i in text.indices where text[i] == replacement && i > start {
            words.append(start..<i)
            start = i
        }
        if start < text.endIndex { words.append(start..<text.endIndex) }
    }
}

/// `decoders.Metaspace`: each `replacement` back to a space, except in the first token, which loses them (the one
/// the pre-tokenizer put in front) unless the prepend scheme is `never`.
public struct MetaspaceDecoder: TokenDecoder {
    public var replacement: Unicode.Scalar
    public var prependScheme: PrependScheme

    public init(replacement: Unicode.Scalar = "▁", prependScheme: PrependScheme = .always) {
        (self.replacement, self.prependScheme) = (replacement, prependScheme)
    }

    public func decode(_ tokens: [String]) -> String {
        var text = String.UnicodeScalarView()
        for (i, token) in tokens.enumerated() {
            for c in token.unicodeScalars {
                if c != replacement { text.append(c) } else if i > 0 || prependScheme == .never { text.append(" ") }
            }
        }
        return String(text)
    }
}
