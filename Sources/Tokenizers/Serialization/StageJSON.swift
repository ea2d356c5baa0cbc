import PythonText

/// A stage as `tokenizer.json` writes it: its section, with huggingface/tokenizers' field names in its order.
public protocol JSONDescribed {
    /// The section.
    var json: JSONValue { get }
}

/// A stage's section from its type name and fields.
private func section(_ type: String, _ fields: (String, JSONValue)...) -> JSONValue {
    .object(JSONObject([("type", .string(type))] + fields))
}

private func optional(_ text: String) -> JSONValue { text.isEmpty ? .null : .string(text) }

extension BertNormalizer: JSONDescribed {
    public var json: JSONValue {
        section("BertNormalizer", ("clean_text", .bool(cleanText)), ("handle_chinese_chars", .bool(handleChineseChars)),
                ("strip_accents", stripAccents.map(JSONValue.bool) ?? .null), ("lowercase", .bool(lowercase)))
    }
}

extension Lowercase: JSONDescribed { public var json: JSONValue { section("Lowercase") } }
extension NFC: JSONDescribed { public var json: JSONValue { section("NFC") } }
extension NFD: JSONDescribed { public var json: JSONValue { section("NFD") } }
extension NFKC: JSONDescribed { public var json: JSONValue { section("NFKC") } }
extension NFKD: JSONDescribed { public var json: JSONValue { section("NFKD") } }
extension StripAccents: JSONDescribed { public var json: JSONValue { section("StripAccents") } }
extension Strip: JSONDescribed {
    public var json: JSONValue { section("Strip", ("strip_left", .bool(left)), ("strip_right", .bool(right))) }
}

extension Replace: JSONDescribed {
    public var json: JSONValue {
        let kind: (String, String) = switch pattern {
        case .string(let text): ("String", text)
        case .regex(let source): ("Regex", source)
        }
        return section("Replace", ("pattern", .object(JSONObject([(kind.0, .string(kind.1))]))), ("content", .string(content)))
    }
}

extension BertPreTokenizer: JSONDescribed { public var json: JSONValue { section("BertPreTokenizer") } }
extension Whitespace: JSONDescribed { public var json: JSONValue { section("Whitespace") } }
extension WhitespaceSplit: JSONDescribed { public var json: JSONValue { section("WhitespaceSplit") } }
extension Punctuation: JSONDescribed { public var json: JSONValue { section("Punctuation", ("behavior", .string(behavior.jsonName))) } }
extension Digits: JSONDescribed { public var json: JSONValue { section("Digits", ("individual_digits", .bool(individualDigits))) } }

extension ByteLevel: JSONDescribed {
    public var json: JSONValue {
        section("ByteLevel", ("add_prefix_space", .bool(addPrefixSpace)), ("trim_offsets", true), ("use_regex", .bool(useRegex)))
    }
}

extension Metaspace: JSONDescribed {
    public var json: JSONValue {
        section("Metaspace", ("replacement", .string(String(replacement))), ("prepend_scheme", .string(prependScheme.rawValue)),
                ("split", .bool(split)))
    }
}

extension TemplateProcessing: JSONDescribed {
    public var json: JSONValue {
        func pieces(_ template: [Piece]) -> JSONValue {
            .array(template.map { piece in
                switch piece {
                case .sequence(let id, let typeID): ["Sequence": ["id": .string(id.rawValue), "type_id": .int(typeID)]]
                case .specialToken(let name, let typeID): ["SpecialToken": ["id": .string(name), "type_id": .int(typeID)]]
                }
            })
        }
        let tokens = specialTokens.keys.sorted().map { name in  // tokenizers writes them in key order
            (name, JSONValue.object(["id": .string(name), "ids": .array(specialTokens[name]!.map(JSONValue.int)), "tokens": [.string(name)]]))
        }
        return section("TemplateProcessing", ("single", pieces(single)), ("pair", pieces(pair)), ("special_tokens", .object(JSONObject(tokens))))
    }
}

extension RobertaProcessing: JSONDescribed {
    public var json: JSONValue {
        func token(_ piece: TemplateProcessing.Piece?) -> JSONValue {
            guard case .specialToken(let name, _)? = piece else { return .null }
            return [.string(name), .int(template.specialTokens[name]?.first ?? 0)]
        }
        return section("RobertaProcessing", ("sep", token(template.single.last)), ("cls", token(template.single.first)),
                       ("trim_offsets", .bool(trimming != nil)), ("add_prefix_space", .bool(trimming?.addPrefixSpace ?? true)))
    }
}

extension ByteLevelProcessing: JSONDescribed {
    public var json: JSONValue {
        section("ByteLevel", ("add_prefix_space", true), ("trim_offsets", .bool(trimming != nil)), ("use_regex", true))
    }
}

extension WordPieceDecoder: JSONDescribed {
    public var json: JSONValue { section("WordPiece", ("prefix", .string(prefix)), ("cleanup", .bool(cleanup))) }
}

extension ByteLevelDecoder: JSONDescribed {
    public var json: JSONValue { section("ByteLevel", ("add_prefix_space", true), ("trim_offsets", true), ("use_regex", true)) }
}

extension MetaspaceDecoder: JSONDescribed {
    public var json: JSONValue {
        section("Metaspace", ("replacement", .string(String(replacement))), ("prepend_scheme", .string(prependScheme.rawValue)), ("split", true))
    }
}

extension Vocabulary {
    /// The tokens by id, in id order, as `tokenizer.json` writes a vocabulary.
    var json: JSONValue {
        .object(JSONObject((0..<count).compactMap { id in token(id).map { ($0, JSONValue.int(id)) } }))
    }
}

extension BPE: JSONDescribed {
    public var json: JSONValue {
        section("BPE", ("dropout", .null), ("unk_token", unknownToken.map(JSONValue.string) ?? .null),
                ("continuing_subword_prefix", optional(continuingPrefix)), ("end_of_word_suffix", optional(endOfWordSuffix)),
                ("fuse_unk", false), ("byte_fallback", false), ("ignore_merges", false), ("vocab", vocabulary.json),
                ("merges", .array(mergeList.map { [.string($0.0), .string($0.1)] })))
    }
}

extension Unigram: JSONDescribed {
    public var json: JSONValue {
        section("Unigram", ("unk_id", unknownID.map(JSONValue.int) ?? .null),
                ("vocab", .array(scores.enumerated().map { [.string(vocabulary.token($0) ?? ""), .double($1)] })),
                ("byte_fallback", .bool(byteFallback)))
    }
}

extension WordPiece: JSONDescribed {
    public var json: JSONValue {
        section("WordPiece", ("unk_token", unknownToken.map(JSONValue.string) ?? .null), ("continuing_subword_prefix", .string(continuingPrefix)),
                ("max_input_chars_per_word", .int(maxInputCharsPerWord)), ("vocab", vocabulary.json))
    }
}
