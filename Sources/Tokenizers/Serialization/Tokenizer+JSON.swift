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
        case .double(let number): out += String(number)
        case .string(let text): out += PythonJSON.string(text, ensureASCII: false)
        case .array(let items):
            writeContainer(items.map { (nil, $0) }, open: "[", close: "]", to: &out, pretty: pretty, indent: indent)
        case .object(let object):
            writeContainer(object.map { ($0.key, $0.value) }, open: "{", close: "}", to: &out, pretty: pretty, indent: indent)
        }
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
