import Foundation
import Testing
import Tokenizers

/// The rows of a `.jsonl` golden under `Tests/TokenizersTests/Fixtures` (scripts/fixtures/tokenizer_goldens.py).
enum FixtureRows {
    /// Each line of `Fixtures/<name>` decoded as a `Row`.
    static func load<Row: Decodable>(_ name: String) throws -> [Row] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")
        let decoder = JSONDecoder()
        return try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map {
            try decoder.decode(Row.self, from: Data($0.utf8))
        }
    }
}

/// Whether the MiniLM checkpoint the goldens were made from is here; under CI its absence fails the tests
/// instead of disabling them.
/// One text of `parity.jsonl`: its tokens, ids and word ids without special tokens.
struct ParityRow: Decodable, Sendable, CustomTestStringConvertible {
    var text: String
    var tokens: [String]
    var ids: [Int]
    var words: [Int?]
    /// Each token's `(start, end)` in the text, in code points.
    var offsets: [[Int]]

    var testDescription: String { text.debugDescription }
}

/// A string or a list of strings, as a tokenizer call takes `text` and `text_pair`.
enum TextInput: Decodable, Sendable {
    case single(String)
    case batch([String])

    init(from decoder: any Swift.Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) { self = .single(text) } else { self = .batch(try container.decode([String].self)) }
    }

    var texts: [String] {
        switch self {
        case .single(let text): return [text]
        case .batch(let texts): return texts
        }
    }
}

/// A bool or a strategy name, as `padding=` and `truncation=` take them.
enum Strategy: Decodable, Sendable {
    case flag(Bool)
    case name(String)

    init(from decoder: any Swift.Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let flag = try? container.decode(Bool.self) { self = .flag(flag) } else { self = .name(try container.decode(String.self)) }
    }
}

/// One tokenizer call of `calls.jsonl` and what transformers printed (or the error it raised).
struct CallRow: Decodable, Sendable, CustomTestStringConvertible {
    /// The keyword arguments of the call; any other key in the fixture fails decoding.
    struct Kwargs: Decodable, Sendable {
        var padding: Strategy?
        var truncation: Strategy?
        var maxLength: Int?
        var returnTensors: String?
        var addSpecialTokens: Bool?
        var returnAttentionMask: Bool?
        var returnTokenTypeIDs: Bool?
        var padToMultipleOf: Int?
        var paddingSide: String?
        var returnOffsetsMapping: Bool?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case padding, truncation, maxLength = "max_length", returnTensors = "return_tensors",
                 addSpecialTokens = "add_special_tokens", returnAttentionMask = "return_attention_mask",
                 returnTokenTypeIDs = "return_token_type_ids", padToMultipleOf = "pad_to_multiple_of", paddingSide = "padding_side",
                 returnOffsetsMapping = "return_offsets_mapping"
        }

        /// Any key names one of `CodingKeys`.
        private struct AnyKey: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        init(from decoder: any Swift.Decoder) throws {
            for key in try decoder.container(keyedBy: AnyKey.self).allKeys where CodingKeys(rawValue: key.stringValue) == nil {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "fixture uses unknown keyword \(key.stringValue)"))
            }
            let c = try decoder.container(keyedBy: CodingKeys.self)
            padding = try c.decodeIfPresent(Strategy.self, forKey: .padding)
            truncation = try c.decodeIfPresent(Strategy.self, forKey: .truncation)
            maxLength = try c.decodeIfPresent(Int.self, forKey: .maxLength)
            returnTensors = try c.decodeIfPresent(String.self, forKey: .returnTensors)
            addSpecialTokens = try c.decodeIfPresent(Bool.self, forKey: .addSpecialTokens)
            returnAttentionMask = try c.decodeIfPresent(Bool.self, forKey: .returnAttentionMask)
            returnTokenTypeIDs = try c.decodeIfPresent(Bool.self, forKey: .returnTokenTypeIDs)
            padToMultipleOf = try c.decodeIfPresent(Int.self, forKey: .padToMultipleOf)
            paddingSide = try c.decodeIfPresent(String.self, forKey: .paddingSide)
            returnOffsetsMapping = try c.decodeIfPresent(Bool.self, forKey: .returnOffsetsMapping)
        }

        /// The call's options, as transformers reads the keywords.
        func options() throws -> EncodingOptions {
            var options = EncodingOptions()
            switch padding {
            case .flag(let on)?: options.padding = on ? .longest : .doNotPad
            case .name(let name)?: options.padding = try #require(Padding(rawValue: name))
            case nil: break
            }
            switch truncation {
            case .flag(let on)?: options.truncation = on ? .longestFirst : .doNotTruncate
            case .name(let name)?: options.truncation = .some(try #require(Truncation(rawValue: name)))
            case nil: break
            }
            options.maxLength = maxLength
            options.returnTensors = returnTensors == "pt"
            options.addSpecialTokens = addSpecialTokens ?? true
            options.returnAttentionMask = returnAttentionMask
            options.returnTokenTypeIDs = returnTokenTypeIDs
            options.padToMultipleOf = padToMultipleOf
            options.paddingSide = try paddingSide.map { try #require(PaddingSide(rawValue: $0)) }
            options.returnOffsetsMapping = returnOffsetsMapping ?? false
            return options
        }
    }

    var family: String
    var text: TextInput
    var pair: TextInput?
    var kwargs: Kwargs
    var output: String?
    var tokens: [[String]]?
    var wordIDs: [[Int?]]?
    var sequenceIDs: [[Int?]]?
    var error: String?

    enum CodingKeys: String, CodingKey {
        case family, text, pair, kwargs, output, tokens, wordIDs = "word_ids", sequenceIDs = "sequence_ids", error
    }

    var testDescription: String { "\(family) \(text.texts) \(pair?.texts ?? []) \(kwargs.keys)" }
}

extension CallRow.Kwargs {
    /// The keywords given, for the case's name.
    var keys: [String] {
        let given: [(CodingKeys, Bool)] = [(.padding, padding != nil), (.truncation, truncation != nil), (.maxLength, maxLength != nil),
                                          (.returnTensors, returnTensors != nil), (.addSpecialTokens, addSpecialTokens != nil),
                                          (.returnAttentionMask, returnAttentionMask != nil), (.returnTokenTypeIDs, returnTokenTypeIDs != nil),
                                          (.padToMultipleOf, padToMultipleOf != nil), (.paddingSide, paddingSide != nil)]
        return given.filter(\.1).map(\.0.rawValue)
    }
}

/// One `decode.jsonl` row: ids, and the text and tokens transformers gave for them.
struct DecodeRow: Decodable, Sendable, CustomTestStringConvertible {
    var family: String
    var ids: [Int]
    var skipSpecialTokens: Bool
    var text: String
    var tokens: [String?]

    enum CodingKeys: String, CodingKey { case family, ids, skipSpecialTokens = "skip_special_tokens", text, tokens }

    var testDescription: String { "\(family) \(ids.prefix(6))… skip_special_tokens=\(skipSpecialTokens)" }
}

/// One `saved.jsonl` row: the files transformers' `save_pretrained` wrote for a family loaded as a class.
struct SavedRow: Decodable, Sendable, CustomTestStringConvertible {
    var family: String
    var className: String?
    var files: [String: String]

    enum CodingKeys: String, CodingKey { case family, className = "class", files }

    var testDescription: String { "\(family) as \(className ?? "AutoTokenizer")" }
}
