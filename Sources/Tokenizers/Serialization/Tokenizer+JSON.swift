import PythonText

extension Tokenizer {
    /// This tokenizer as `tokenizer.json` holds it (huggingface/tokenizers' `to_str`): its added tokens by id,
    /// then each stage's section and the model's. A stage sbpl cannot write is an error naming it.
    public func json() throws -> JSONValue {
        let added = addedVocabulary.contents.compactMap { token in vocabulary.id(token.content).map { (token, $0) } }.sorted { $0.1 < $1.1 }
        return .object(JSONObject([
            ("version", "1.0"), ("truncation", .null), ("padding", .null),
            ("added_tokens", .array(added.map { token, id in
                ["id": .int(id), "content": .string(token.content), "single_word": .bool(token.singleWord), "lstrip": .bool(token.leftStrip),
                 "rstrip": .bool(token.rightStrip), "normalized": false, "special": true]
            })),
            ("normalizer", try normalizer.map(Self.section) ?? .null), ("pre_tokenizer", try preTokenizer.map(Self.section) ?? .null),
            ("post_processor", try postProcessor.map(Self.section) ?? .null), ("decoder", try decoder.map(Self.section) ?? .null),
            ("model", try Self.section(model)),
        ]))
    }

    /// A stage's section in `tokenizer.json`; a sequence's holds its stages'.
    public static func section(_ stage: Any) throws -> JSONValue {
        switch stage {
        case let sequence as NormalizerSequence:
            return .object(JSONObject([("type", "Sequence"), ("normalizers", .array(try sequence.normalizers.map(section)))]))
        case let sequence as PreTokenizerSequence:
            return .object(JSONObject([("type", "Sequence"), ("pretokenizers", .array(try sequence.preTokenizers.map(section)))]))
        case let described as JSONDescribed: return described.json
        default: throw TokenizerError("sbpl cannot write a \(type(of: stage)) to tokenizer.json yet")
        }
    }
}

extension JSONValue {
    /// The text serde_json writes for this value: compact (`{"a":1}`), or `pretty` with two-space indents, keys in
    /// their order; strings escaped as it escapes them, which is as Python's `json.dumps(ensure_ascii=False)` does.
    public func serialized(pretty: Bool = false) -> String {
        var out = ""
        write(to: &out, pretty: pretty, indent: "")
        return out
    }

    private func write(to out: inout String, pretty: Bool, indent: String) {
        switch self {
        case .null: out += "null"
        case .bool(let flag): out += flag ? "true" : "false"
        case .int(let number): out += String(number)
        case .bigInteger(let digits): out += digits
        case .double(let number): out += Self.serdeNumber(number)
        case .string(let text): out += PythonJSON.string(text, ensureASCII: false)
        case .array(let items):
            writeContainer(items.map { (nil, $0) }, open: "[", close: "]", to: &out, pretty: pretty, indent: indent)
        case .object(let object):
            writeContainer(object.map { ($0.key, $0.value) }, open: "{", close: "}", to: &out, pretty: pretty, indent: indent)
        }
    }

    /// A float as serde_json writes it (ryu's shortest digits): `-1.5`, `0.00015`, `1e-7`, `1.5e16`; null when not finite.
    private static func serdeNumber(_ number: Double) -> String {
        guard number.isFinite else { return "null" }
        // Swift's description has the same shortest digits: split it into sign, digits and decimal exponent
        let text = String(number.magnitude), parts = text.split(separator: "e")
        let mantissa = parts[0], exponent = parts.count > 1 ? Int(parts[1])! : 0
        let point = mantissa.firstIndex(of: ".") ?? mantissa.endIndex
        var digits = String(mantissa[..<point]) + String(mantissa[point...].dropFirst())
        var position = mantissa.distance(from: mantissa.startIndex, to: point) + exponent  // where the point goes in digits
        while digits.count > 1, digits.first == "0" { digits.removeFirst(); position -= 1 }
        while digits.count > 1, digits.last == "0" { digits.removeLast() }
        let sign = number.sign == .minus ? "-" : ""
        if digits == "0" { return sign + "0.0" }
        let length = digits.count
        if length <= position && position <= 16 { return sign + digits + String(repeating: "0", count: position - length) + ".0" }
        if 0 < position && position <= 16 { return sign + digits.prefix(position) + "." + digits.dropFirst(position) }
        if -5 < position && position <= 0 { return sign + "0." + String(repeating: "0", count: -position) + digits }
        let scientific = length == 1 ? digits : digits.prefix(1) + "." + digits.dropFirst()
        return sign + scientific + "e" + String(position - 1)
    }

    private func writeContainer(_ entries: [(String?, JSONValue)], open: String, close: String, to out: inout String, pretty: Bool,
                                indent: String) {
        guard !entries.isEmpty else { return out += open + close }
        let inner = indent + "  "
        out += open
        for (i, (key, value)) in entries.enumerated() {
            if i > 0 { out += "," }
            if pretty { out += "\n" + inner }
            if let key {
                out += PythonJSON.string(key, ensureASCII: false)
                out += pretty ? ": " : ":"
            }
            value.write(to: &out, pretty: pretty, indent: inner)
        }
        out += (pretty ? "\n" + indent : "") + close
    }
}
