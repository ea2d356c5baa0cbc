import Foundation

/// A decoder of huggingface/tokenizers (`Decoder` there; renamed so as not to shadow Swift's `Decoder`): turns
/// tokens back into text. Built from `tokenizer.json`'s `decoder` section.
public protocol TokenDecoder: Sendable {
    /// The text of `tokens`.
    func decode(_ tokens: [String]) -> String
}

/// `decoders.WordPiece`: tokens joined by spaces, `prefix` pieces glued to the one before (a first token keeps its
/// prefix: `decode(["##ak"])` is `##ak`), each token cleaned up with its leading space when `cleanup` is set.
public struct WordPieceDecoder: TokenDecoder, Equatable {
    public var prefix = "##"
    public var cleanup = true

    public init(prefix: String = "##", cleanup: Bool = true) {
        (self.prefix, self.cleanup) = (prefix, cleanup)
    }

    public func decode(_ tokens: [String]) -> String {
        var text = ""
        for (i, token) in tokens.enumerated() {
            var piece = token
            if i > 0 {
                piece = token.removingCodePointPrefix(prefix) ?? " " + token
            }
            text += cleanup ? Self.cleaned(piece) : piece
        }
        return text
    }

    /// The clean-up of one token with its leading space: transformers' `clean_up_tokenization` and `do not`.
    private static func cleaned(_ piece: String) -> String {
        guard piece.hasPrefix(" ") else { return piece }
        return cleanUpTokenization(piece).replacingOccurrences(of: " do not", with: " don't")
    }
}

/// transformers' `clean_up_tokenization`: no space before punctuation and English contractions.
public func cleanUpTokenization(_ text: String) -> String {
    [(" .", "."), (" ?", "?"), (" !", "!"), (" ,", ","), (" ' ", "'"), (" n't", "n't"), (" 'm", "'m"),
     (" 's", "'s"), (" 've", "'ve"), (" 're", "'re")]
        .reduce(text) { $0.replacingOccurrences(of: $1.0, with: $1.1) }
}
