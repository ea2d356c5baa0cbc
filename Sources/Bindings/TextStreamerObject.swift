import Language
import Pipelines

/// transformers' `TextStreamer(tokenizer, skip_prompt=False, **decode_kwargs)`: passed as `streamer=` to `generate`
/// or a text-generation pipeline, it prints the text as the tokens come, a word at a time (the whole line at a
/// newline), and the rest with a newline at the end.
final class TextStreamerObject: CallableObject {
    private var streamer: TextStreamer

    init(_ streamer: TextStreamer) { self.streamer = streamer }

    /// `TextStreamer(tokenizer, skip_prompt=False, skip_special_tokens=False)`.
    static func make(_ arguments: Arguments) throws -> Value {
        let a = try arguments.bind("TextStreamer", ["tokenizer", "skip_prompt", "skip_special_tokens"], required: 1)
        guard case .object(let tokenizer as TokenizerObject) = a[0]! else {
            throw PyError.type("TextStreamer needs a tokenizer, not \(a[0]!.typeName)")
        }
        return .object(TextStreamerObject(TextStreamer(tokenizer: tokenizer.tokenizer, skipPrompt: try a[1]?.isTruthy() ?? false,
                                                       skipSpecialTokens: try a[2]?.isTruthy() ?? false)))
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

    /// `put(value)`: prints what the streamer makes of `ids`.
    func put(_ ids: [Int], _ write: (String) -> Void) { write(streamer.put(ids)) }

    /// `end()`: prints the rest and a newline.
    func end(_ write: (String) -> Void) { write(streamer.end()) }
}
