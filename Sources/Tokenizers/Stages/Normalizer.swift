/// A normalizer of huggingface/tokenizers: the first stage, which cleans a run of text before it is split into
/// words. Built from `tokenizer.json`'s `normalizer` section (`TokenizerJSON.NormalizerSection`).
public protocol Normalizer: Sendable {
    /// The normalised code points of `text`.
    func normalize(_ text: Substring) -> [Unicode.Scalar]
}

/// `normalizers.Sequence`: each normalizer applied to what the one before it produced.
public struct NormalizerSequence: Normalizer {
    public let normalizers: [any Normalizer]

    public init(_ normalizers: [any Normalizer]) { self.normalizers = normalizers }

    public func normalize(_ text: Substring) -> [Unicode.Scalar] {
        var scalars = Array(text.unicodeScalars)
        for normalizer in normalizers {
            scalars = normalizer.normalize(Substring(String(String.UnicodeScalarView(scalars))))
        }
        return scalars
    }
}

/// `normalizers.Lowercase`: each code point's full lowercase mapping, as Rust's `char::to_lowercase`.
public struct Lowercase: Normalizer {
    public init() {}

    public func normalize(_ text: Substring) -> [Unicode.Scalar] {
        var out = [Unicode.Scalar]()
        out.reserveCapacity(text.unicodeScalars.count)
        for c in text.unicodeScalars { CharacterClass.appendLowercase(c, to: &out) }
        return out
    }
}
