import Language
import Tokenizers

/// transformers' `TextStreamer(tokenizer, skip_prompt=False, **decode_kwargs)`: passed as `streamer=` to `generate`
/// or a text-generation pipeline, it prints the text as the tokens come, a word at a time (the whole line at a
/// newline), and the rest with a newline at the end.
final class TextStreamerObject: PyObject {
    let tokenizer: PreTrainedTokenizer
    let skipPrompt: Bool
    let skipSpecialTokens: Bool
    private var cache = [Int](), printed = 0, nextIsPrompt = true

    init(tokenizer: PreTrainedTokenizer, skipPrompt: Bool, skipSpecialTokens: Bool) {
        (self.tokenizer, self.skipPrompt, self.skipSpecialTokens) = (tokenizer, skipPrompt, skipSpecialTokens)
    }

    /// `TextStreamer(tokenizer, skip_prompt=False, skip_special_tokens=False)`.
    static func make(_ arguments: Arguments) throws -> Value {
        let a = try arguments.bind("TextStreamer", ["tokenizer", "skip_prompt", "skip_special_tokens"], required: 1)
        guard case .object(let tokenizer as TokenizerObject) = a[0]! else {
            throw PyError.type("TextStreamer needs a tokenizer, not \(a[0]!.typeName)")
        }
        return .object(TextStreamerObject(tokenizer: tokenizer.tokenizer, skipPrompt: try a[1]?.isTruthy() ?? false,
                                          skipSpecialTokens: try a[2]?.isTruthy() ?? false))
    }

    /// `streamer=`'s value, which must be a TextStreamer.
    static func from(_ value: Value) throws -> TextStreamerObject {
        guard case .object(let streamer as TextStreamerObject) = value else { throw PyError.type("streamer must be a TextStreamer, not \(value.typeName)") }
        return streamer
    }

    var typeName: String { "TextStreamer" }
    var qualifiedTypeName: String? { "transformers.generation.streamers.TextStreamer" }
    var repr: String { "<transformers.generation.streamers.TextStreamer object>" }
    var str: String { repr }
    var help: String? { "TextStreamer(tokenizer, skip_prompt=False): prints generated text as it comes; pass it as streamer= to generate()" }
    var attributeNames: [String] { [] }
    func attribute(_ name: String, _ interpreter: Interpreter) throws -> Value? { nil }
    func call(_ arguments: Arguments, _ interpreter: Interpreter) throws -> Value? { nil }

    /// `put(value)`: the prompt first (skipped with `skip_prompt`), then each new token.
    func put(_ ids: [Int], _ write: (String) -> Void) {
        if skipPrompt && nextIsPrompt { nextIsPrompt = false; return }
        nextIsPrompt = false
        cache += ids
        let text = tokenizer.decode(cache, skipSpecialTokens: skipSpecialTokens).unicodeScalars
        let printable: Substring.UnicodeScalarView
        if text.last == "\n" {
            printable = text.dropFirst(printed)[...]
            (cache, printed) = ([], 0)
        } else if let last = text.last, CharacterClassCJK.contains(last) {
            printable = text.dropFirst(printed)[...]
            printed += printable.count
        } else {
            let end = text.lastIndex(of: " ").map { text.distance(from: text.startIndex, to: $0) + 1 } ?? 0
            printable = end > printed ? text.dropFirst(printed).prefix(end - printed)[...] : Substring.UnicodeScalarView()
            printed = max(printed, end)
        }
        write(String(printable))
    }

    /// `end()`: the rest of the text and a newline.
    func end(_ write: (String) -> Void) {
        let text = tokenizer.decode(cache, skipSpecialTokens: skipSpecialTokens).unicodeScalars
        write(String(String.UnicodeScalarView(text.dropFirst(printed))) + "\n")
        (cache, printed, nextIsPrompt) = ([], 0, true)
    }
}

/// transformers' `_is_chinese_char`: the CJK blocks after which the streamer prints at once.
enum CharacterClassCJK {
    static func contains(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F, 0x2B740...0x2B81F,
             0x2B820...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F: return true
        default: return false
        }
    }
}
