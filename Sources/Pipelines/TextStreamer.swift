import Tokenizers

/// transformers' `TextStreamer`: turns the ids of a generation, as they come, into the text to print, a word at a
/// time (a whole line at a newline, at once after a CJK character), and the rest at the end with a newline.
public struct TextStreamer: Sendable {
    public let tokenizer: PreTrainedTokenizer
    /// Whether the prompt's ids, put first, are left out.
    public let skipPrompt: Bool
    public let skipSpecialTokens: Bool
    private var cache = [Int](), printed = 0, nextIsPrompt = true

    public init(tokenizer: PreTrainedTokenizer, skipPrompt: Bool, skipSpecialTokens: Bool) {
        (self.tokenizer, self.skipPrompt, self.skipSpecialTokens) = (tokenizer, skipPrompt, skipSpecialTokens)
    }

    /// `put(value)`: the text to print now for `ids` (the prompt first, then each new token).
    public mutating func put(_ ids: [Int]) -> String {
        if skipPrompt && nextIsPrompt { nextIsPrompt = false; return "" }
        nextIsPrompt = false
        cache += ids
        let text = decoded()
        if text.last == "\n" {
            defer { (cache, printed) = ([], 0) }
            return String(String.UnicodeScalarView(text.dropFirst(printed)))
        }
        let end = text.last.map(CharacterClass.isChineseIdeograph) == true ? text.count : (text.lastIndex(of: " ").map { $0 + 1 } ?? 0)
        defer { printed = max(printed, end) }
        return end > printed ? String(String.UnicodeScalarView(text[printed..<end])) : ""
    }

    /// `end()`: the rest of the text and a newline; the streamer is ready for another generation.
    public mutating func end() -> String {
        defer { (cache, printed, nextIsPrompt) = ([], 0, true) }
        return String(String.UnicodeScalarView(decoded().dropFirst(printed))) + "\n"
    }

    /// The cached ids' text, as code points (Python's string indices).
    private func decoded() -> [Unicode.Scalar] { Array(tokenizer.decode(cache, skipSpecialTokens: skipSpecialTokens).unicodeScalars) }
}
