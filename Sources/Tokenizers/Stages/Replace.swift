/// `normalizers.Replace`: each match of a pattern (a literal string, or a regular expression matched over code
/// points) replaced by `content`, aligned as huggingface/tokenizers' `NormalizedString::replace` aligns it: the
/// match is dropped and the content inserted after it, each of its code points coming from the match's last one.
/// T5's hub file collapses runs of spaces with it (`" {2,}"` -> `" "`), SentencePiece conversions too (-> `"▁"`).
public struct Replace: Normalizer {
    /// What is replaced.
    public enum Pattern: Sendable {
        case string(String)
        case regex(String)
    }

    public let pattern: Pattern
    public let content: String
    private let matcher: Matcher

    /// A Replace; an invalid regular expression is an error naming it.
    public init(pattern: Pattern, content: String) throws {
        (self.pattern, self.content) = (pattern, content)
        switch pattern {
        case .string(let text):
            guard !text.isEmpty else { throw TokenizerError("Replace's pattern should not be empty") }
            matcher = .string(Array(text.unicodeScalars))
        case .regex(let source):
            guard let regex = try? Regex(source) else {
                throw TokenizerError("Replace's pattern /\(source)/ is not a regular expression sbpl can read")
            }
            matcher = .regex(regex.matchingSemantics(.unicodeScalar))
        }
    }

    private enum Matcher: @unchecked Sendable {  // a Regex is immutable once made
        case string([Unicode.Scalar])
        case regex(Regex<AnyRegexOutput>)
    }

    public func aligned(_ text: Substring) -> NormalizedText {
        var out = NormalizedText(text)
        out.replace(matches(in: text), with: Array(content.unicodeScalars))
        return out
    }

    /// The non-overlapping matches in `text`, leftmost first, in code points.
    private func matches(in text: Substring) -> [Range<Int>] {
        switch matcher {
        case .string(let needle):
            let scalars = Array(text.unicodeScalars)
            var found = [Range<Int>](), i = 0
            while i + needle.count <= scalars.count {
                if scalars[i..<i + needle.count].elementsEqual(needle) {
                    found.append(i..<i + needle.count)
                    i += needle.count
                } else {
                    i += 1
                }
            }
            return found
        case .regex(let regex):
            let scalars = text.unicodeScalars
            var found = [Range<Int>](), index = scalars.startIndex, offset = 0  // counted on from the match before
            for match in text.matches(of: regex) {
                let start = offset + scalars.distance(from: index, to: match.range.lowerBound)
                let end = start + scalars.distance(from: match.range.lowerBound, to: match.range.upperBound)
                found.append(start..<end)
                (index, offset) = (match.range.upperBound, end)
            }
            return found
        }
    }
}
