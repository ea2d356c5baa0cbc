/// `normalizers.Strip`: whitespace removed from the left end, the right end or both (SentencePiece's converted
/// tokenizers strip the right end); the code points kept keep their origins.
public struct Strip: Normalizer {
    public var left: Bool, right: Bool

    public init(left: Bool, right: Bool) { (self.left, self.right) = (left, right) }

    public func aligned(_ text: Substring) -> NormalizedText {
        let scalars = text.unicodeScalars
        let leading = left ? scalars.prefix { $0.properties.isWhitespace }.count : 0
        let trailing = right ? scalars.reversed().prefix { $0.properties.isWhitespace }.count : 0
        let whole = NormalizedText(text)
        return whole.slice(leading..<max(leading, whole.scalars.count - trailing))
    }
}
