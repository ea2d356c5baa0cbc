extension String {
    /// The rest of this string after `prefix`, compared code point by code point as huggingface/tokenizers compares
    /// bytes (`"##ि"` starts with `"##"`, though its first `Character` is `#ि`); nil when it does not start with it.
    func removingCodePointPrefix(_ prefix: String) -> String? {
        guard unicodeScalars.starts(with: prefix.unicodeScalars) else { return nil }
        return String(unicodeScalars.dropFirst(prefix.unicodeScalars.count))
    }
}
