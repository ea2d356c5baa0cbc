/// GPT-2's byte-level alphabet (`bytes_to_unicode`): each of the 256 byte values as one printable code point, so
/// that any text is a string over 256 symbols. Printable Latin-1 bytes stand for themselves; the others (control
/// characters, space, ...) take the code points from U+0100 on, in byte order: the space is `Ġ`, a newline `Ċ`.
public enum ByteAlphabet {
    /// The code point of each byte.
    public static let scalars: [Unicode.Scalar] = {
        var shifted: UInt32 = 256
        return (0...255).map { (byte: UInt32) -> Unicode.Scalar in
            let printable = (33...126).contains(byte) || (161...172).contains(byte) || (174...255).contains(byte)
            if printable { return Unicode.Scalar(byte)! }
            defer { shifted += 1 }
            return Unicode.Scalar(shifted)!
        }
    }()

    /// The byte each alphabet code point stands for.
    static let bytes: [Unicode.Scalar: UInt8] = Dictionary(uniqueKeysWithValues: scalars.enumerated().map { ($1, UInt8($0)) })

    /// Appends the alphabet code points of `word`'s UTF-8 bytes to `out`, and for each the index in `word` of the
    /// code point its byte belongs to, to `origins`.
    static func map(_ word: ArraySlice<Unicode.Scalar>, into out: inout [Unicode.Scalar], origins: inout [Int]) {
        for i in word.indices {
            for byte in UTF8.encode(word[i])! {
                out.append(scalars[Int(byte)])
                origins.append(i)
            }
        }
    }

    /// Whether `c` is a space: the alphabet's `Ġ` or any whitespace, as `trim_offsets` counts them.
    static func isSpace(_ c: Unicode.Scalar) -> Bool { c == scalars[32] || c.properties.isWhitespace }
}

/// `pre_tokenizers.ByteLevel`: splits text as GPT-2's pattern does (contractions, letters, numbers, other symbols,
/// each with the space before them, and runs of whitespace), optionally after a space put in front, then has the
/// model cut each word's UTF-8 bytes, written in the `ByteAlphabet`.
public struct ByteLevel: PreTokenizer {
    public var addPrefixSpace: Bool
    public var useRegex: Bool

    public init(addPrefixSpace: Bool = false, useRegex: Bool = true) {
        (self.addPrefixSpace, self.useRegex) = (addPrefixSpace, useRegex)
    }

    public var mapsBytes: Bool { true }

    public func prepare(_ text: inout NormalizedText) {
        if addPrefixSpace, let first = text.scalars.first, first != " " { text.prepend(" ") }
    }

    public func split(_ text: ArraySlice<Unicode.Scalar>, into words: inout [Range<Int>]) {
        guard useRegex else { if !text.isEmpty { words.append(text.indices) }; return }
        var i = text.startIndex
        while i < text.endIndex {
            let end = Self.wordEnd(text, from: i)
            words.append(i..<end)
            i = end
        }
    }

    /// The end of the match of `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+` at `start`.
    static func wordEnd(_ text: ArraySlice<Unicode.Scalar>, from start: Int) -> Int {
        let end = text.endIndex
        func run(from i: Int, while kind: (Unicode.Scalar) -> Bool) -> Int {
            var j = i
            while j < end && kind(text[j]) { j += 1 }
            return j
        }
        if text[start] == "'", let length = contraction(text[(start + 1)...]) { return start + 1 + length }
        let body = text[start] == " " && start + 1 < end ? start + 1 : start
        for kind in [isLetter, isNumber, isOtherSymbol] where kind(text[body]) { return run(from: body, while: kind) }
        let spaces = run(from: start, while: \.properties.isWhitespace)
        // a run of whitespace leaves its last one to the word it precedes; a single one is a word of its own
        return spaces < end && spaces - start > 1 ? spaces - 1 : spaces
    }

    /// The length of the contraction (`s`, `t`, `re`, `ve`, `m`, `ll`, `d`) that `rest` starts with.
    private static func contraction(_ rest: ArraySlice<Unicode.Scalar>) -> Int? {
        guard let first = rest.first else { return nil }
        let second = rest.dropFirst().first
        switch (first, second) {
        case ("r", "e"), ("v", "e"), ("l", "l"): return 2
        case ("s", _), ("t", _), ("m", _), ("d", _): return 1
        default: return nil
        }
    }

    static func isLetter(_ c: Unicode.Scalar) -> Bool {
        switch c.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return false
        }
    }

    static func isNumber(_ c: Unicode.Scalar) -> Bool {
        switch c.properties.generalCategory {
        case .decimalNumber, .letterNumber, .otherNumber: return true
        default: return false
        }
    }

    static func isOtherSymbol(_ c: Unicode.Scalar) -> Bool { !c.properties.isWhitespace && !isLetter(c) && !isNumber(c) }
}

/// `decoders.ByteLevel`: the tokens' alphabet code points back to bytes, read as UTF-8 (invalid sequences as U+FFFD);
/// a token with a code point outside the alphabet (an added token) is its own UTF-8.
public struct ByteLevelDecoder: TokenDecoder {
    public init() {}

    public func decode(_ tokens: [String]) -> String {
        var bytes = [UInt8]()
        for token in tokens {
            let mapped = token.unicodeScalars.compactMap { ByteAlphabet.bytes[$0] }
            bytes += mapped.count == token.unicodeScalars.count ? mapped : Array(token.utf8)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// The offset trimming of the byte-level post-processors (`trim_offsets`): a token's offsets leave out the spaces
/// it starts or ends with, except the one `add_prefix_space` put before the first word.
public struct ByteLevelOffsetTrimming: Sendable, Equatable {
    public var addPrefixSpace: Bool

    /// The trimming of a tokenizer that put a space before the first word (`add_prefix_space`) or not.
    public init(addPrefixSpace: Bool) { self.addPrefixSpace = addPrefixSpace }

    /// Trims `encoding`'s offsets, reading each token's text from `vocabulary`.
    func trim(_ encoding: inout Encoding, vocabulary: Vocabulary) {
        for i in encoding.ids.indices {
            guard let token = encoding.text(at: i, in: vocabulary)?.unicodeScalars else { continue }
            var leading = token.prefix(while: ByteAlphabet.isSpace).count
            let trailing = token.reversed().prefix(while: ByteAlphabet.isSpace).count
            let offsets = encoding.offsets[i]
            var (start, end) = (offsets.lowerBound, offsets.upperBound)
            if leading > 0 {
                if (i == 0 || start == 0) && addPrefixSpace && leading == 1 { leading = 0 }
                start = min(start + leading, end)
            }
            if trailing > 0 && end >= trailing { end = max(end - trailing, start) }
            encoding.offsets[i] = start..<end
        }
    }
}

/// `processors.ByteLevel`: no special tokens; the offsets trimmed if `trimOffsets`.
public struct ByteLevelProcessing: PostProcessor {
    public var trimming: ByteLevelOffsetTrimming?

    public init(trimming: ByteLevelOffsetTrimming?) { self.trimming = trimming }

    /// It names no special token.
    public func renumbered(by id: (String) -> Int?) throws -> any PostProcessor { self }

    public func addedTokens(isPair: Bool) -> Int { 0 }

    public func adjustOffsets(_ encoding: inout Encoding, vocabulary: Vocabulary) {
        trimming?.trim(&encoding, vocabulary: vocabulary)
    }

    public func process(_ first: Encoding, _ second: Encoding?, addSpecialTokens: Bool) -> Encoding {
        var out = first
        if let second { out.append(second) }
        return out
    }
}

/// `processors.RobertaProcessing`: `<s> A </s>` and `<s> A </s> </s> B </s>`, every type id 0, with the byte-level
/// offset trimming if `trimOffsets`.
public struct RobertaProcessing: PostProcessor {
    public private(set) var template: TemplateProcessing
    public var trimming: ByteLevelOffsetTrimming?

    public init(classifier: (token: String, id: Int), separator: (token: String, id: Int), trimming: ByteLevelOffsetTrimming?) {
        let (cls, sep) = (classifier.token, separator.token)
        template = TemplateProcessing(
            checked: [.specialToken(cls, typeID: 0), .sequence(.a, typeID: 0), .specialToken(sep, typeID: 0)],
            [.specialToken(cls, typeID: 0), .sequence(.a, typeID: 0), .specialToken(sep, typeID: 0),
             .specialToken(sep, typeID: 0), .sequence(.b, typeID: 0), .specialToken(sep, typeID: 0)],
            [cls: [classifier.id], sep: [separator.id]])
        self.trimming = trimming
    }

    public func addedTokens(isPair: Bool) -> Int { template.addedTokens(isPair: isPair) }

    public func adjustOffsets(_ encoding: inout Encoding, vocabulary: Vocabulary) {
        trimming?.trim(&encoding, vocabulary: vocabulary)
    }

    public func renumbered(by id: (String) -> Int?) throws -> any PostProcessor {
        var copy = self
        copy.template = try template.renumberedTemplate(by: id)
        return copy
    }

    public func process(_ first: Encoding, _ second: Encoding?, addSpecialTokens: Bool) -> Encoding {
        template.process(first, second, addSpecialTokens: addSpecialTokens)
    }
}
