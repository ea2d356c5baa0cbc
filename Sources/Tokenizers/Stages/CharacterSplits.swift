/// What a pre-tokenizer that splits on a class of code points does with them (huggingface/tokenizers'
/// `SplitDelimiterBehavior`, named as Python passes it).
public enum DelimiterBehavior: String, CaseIterable, Sendable {
    /// Each delimiter dropped.
    case removed
    /// Each delimiter a word of its own.
    case isolated
    /// Each delimiter ends the word before it.
    case mergedWithPrevious = "merged_with_previous"
    /// Each delimiter starts the word after it.
    case mergedWithNext = "merged_with_next"
    /// Each run of delimiters a word of its own.
    case contiguous

    /// The name `tokenizer.json` gives it (`MergedWithPrevious`).
    var jsonName: String { rawValue.split(separator: "_").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined() }

    /// The words of `text` split at the code points `isDelimiter` picks, appended to `words`.
    func split(_ text: ArraySlice<Unicode.Scalar>, at isDelimiter: (Unicode.Scalar) -> Bool, into words: inout [Range<Int>]) {
        var start = text.startIndex
        func cut(_ end: Int) {
            if end > start { words.append(start..<end) }
            start = end
        }
        for i in text.indices where isDelimiter(text[i]) {
            switch self {
            case .removed: cut(i); start = i + 1
            case .isolated: cut(i); cut(i + 1)
            case .mergedWithPrevious: cut(i + 1)
            case .mergedWithNext: cut(i)
            case .contiguous:
                if i == text.startIndex || !isDelimiter(text[i - 1]) { cut(i) }
                if i + 1 == text.endIndex || !isDelimiter(text[i + 1]) { cut(i + 1) }
            }
        }
        cut(text.endIndex)
    }
}

/// `pre_tokenizers.Whitespace`: the words of `\w+|[^\w\s]+` (runs of word characters, or of other non-space
/// characters), with the whitespace between them dropped.
public struct Whitespace: PreTokenizer {
    public init() {}

    public func split(_ text: ArraySlice<Unicode.Scalar>, into words: inout [Range<Int>]) {
        var start = text.startIndex, kind: Bool? = nil  // the current run's kind: word characters or not
        for i in text.indices {
            let c = text[i], isSpace = c.properties.isWhitespace, isWord = Self.isWordCharacter(c)
            if kind != nil && (isSpace || kind != isWord) { words.append(start..<i); kind = nil }
            if !isSpace && kind == nil { (start, kind) = (i, isWord) }
        }
        if kind != nil { words.append(start..<text.endIndex) }
    }

    /// The regex crate's Unicode `\w`: alphabetic, a mark, a decimal digit, connector punctuation or a join control.
    static func isWordCharacter(_ c: Unicode.Scalar) -> Bool {
        let p = c.properties
        switch p.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .connectorPunctuation: return true
        default: return p.isAlphabetic || p.isJoinControl
        }
    }
}

/// `pre_tokenizers.Punctuation(behavior="isolated")`: splits at each punctuation mark (ASCII punctuation or a
/// Unicode P* category), which by default becomes a word of its own; whitespace is left in the words.
public struct Punctuation: PreTokenizer {
    /// What becomes of each punctuation mark.
    public let behavior: DelimiterBehavior

    public init(behavior: DelimiterBehavior = .isolated) { self.behavior = behavior }

    public func split(_ text: ArraySlice<Unicode.Scalar>, into words: inout [Range<Int>]) {
        behavior.split(text, at: CharacterClass.isPunctuation, into: &words)
    }
}

/// `pre_tokenizers.Digits(individual_digits=False)`: numbers (Unicode N* categories) split from the rest, each run
/// of them one word, or each digit its own word with `individual_digits`.
public struct Digits: PreTokenizer {
    /// Whether each digit is a word of its own, rather than each run of them.
    public let individualDigits: Bool

    public init(individualDigits: Bool = false) { self.individualDigits = individualDigits }

    public func split(_ text: ArraySlice<Unicode.Scalar>, into words: inout [Range<Int>]) {
        (individualDigits ? DelimiterBehavior.isolated : .contiguous).split(text, at: Self.isNumeric, into: &words)
    }

    /// Rust's `char::is_numeric`: the categories Nd, Nl and No.
    static func isNumeric(_ c: Unicode.Scalar) -> Bool {
        switch c.properties.generalCategory {
        case .decimalNumber, .letterNumber, .otherNumber: return true
        default: return false
        }
    }
}
