import FuzzInput
import Tokenizers

/// Texts with what tokenizers treat specially: accents, CJK, emoji, special tokens, spaces, punctuation.
let texts = ["Hello, world! I've been waiting for a HuggingFace course my whole life.", "héllo  wörld 日本語 🤗 [MASK] <s>",
             "", " \t\n", "don't stop-believing... 1234.5"]

/// libFuzzer's entry point: the bytes as a checkpoint's `tokenizer.json` when they start with `{`, as its
/// SentencePiece `spiece.model` (read as T5TokenizerFast converts it) when they start with a protobuf's first field
/// (`\n`), else as its `vocab.txt` (a BERT vocabulary), loaded as `from_pretrained` loads it; then texts tokenized,
/// encoded alone and as padded, truncated pairs with offsets, and the ids decoded back.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let (name, className): (String, String?) = switch size > 0 ? data[0] : 0 {
    case UInt8(ascii: "{"): ("tokenizer.json", nil)
    case UInt8(ascii: "\n"): ("spiece.model", "T5TokenizerFast")
    default: ("vocab.txt", nil)
    }
    guard let tokenizer = try? PreTrainedTokenizer.load(Scratch.checkpoint(holding: data, size, as: name), as: className) else { return 0 }
    for text in texts { _ = tokenizer.tokenize(text) }
    var options = EncodingOptions()
    options.padding = .longest
    options.truncation = .longestFirst
    options.maxLength = 12
    options.stride = 2
    options.returnOverflowingTokens = true
    options.returnOffsetsMapping = tokenizer.isFast
    for batch in [try? tokenizer.encode(texts), try? tokenizer.encode(texts, pairs: texts.reversed(), options: options)] {
        for ids in (try? batch?["input_ids"]?.rows()) ?? [] {
            _ = tokenizer.decode(ids)
            _ = tokenizer.decode(ids, skipSpecialTokens: true)
        }
    }
    return 0
}

/// The harness's entry point: libFuzzer's driver on `fuzz`.
@main enum Harness {
    static func main() { Fuzzer.run(fuzz) }
}
