import Foundation

/// A huggingface/tokenizers `tokenizer.json`, one `Decodable` section per stage, and the factories that build
/// each stage from its section by its `type`. Errors name the file, the section or field, and the problem.
///
/// ```swift
/// let tokenizer = try TokenizerJSON(url: url).tokenizer()
/// ```
public struct TokenizerJSON: Sendable {
    /// Where it was read from, for error messages.
    public let path: String
    let file: File

    /// Reads and decodes `url`.
    public init(url: URL) throws {
        path = url.path
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw TokenizerError("\(path) cannot be read (\(error.localizedDescription))")
        }
        do { file = try JSONDecoder().decode(File.self, from: data) } catch let error as DecodingError {
            throw TokenizerError("\(path)\(Self.describe(error))")
        }
    }

    /// The file's top level.
    struct File: Decodable {
        var addedTokens: [AddedTokenSection]?
        var normalizer: NormalizerSection?
        var preTokenizer: PreTokenizerSection?
        var model: ModelSection
        var postProcessor: PostProcessorSection?
        var decoder: DecoderSection?
        var truncation: TruncationSection?
        var padding: PaddingSection?

        enum CodingKeys: String, CodingKey {
            case addedTokens = "added_tokens", normalizer, preTokenizer = "pre_tokenizer", model,
                 postProcessor = "post_processor", decoder, truncation, padding
        }
    }

    // MARK: Building the stages

    /// The tokenizer the file describes.
    public func tokenizer() throws -> Tokenizer {
        let model = try self.model()
        return Tokenizer(normalizer: try file.normalizer.map(normalizer), preTokenizer: try file.preTokenizer.map(preTokenizer),
                         model: model, postProcessor: try file.postProcessor.map(postProcessor),
                         decoder: try file.decoder.map(decoder), addedTokens: addedTokens,
                         addedIDs: Dictionary((file.addedTokens ?? []).compactMap { t in t.id.map { (t.content, $0) } }, uniquingKeysWith: { a, _ in a }))
    }

    /// The `added_tokens`, with how each is matched.
    public var addedTokens: [AddedToken] {
        (file.addedTokens ?? []).map {
            AddedToken($0.content, leftStrip: $0.lstrip ?? false, rightStrip: $0.rstrip ?? false, singleWord: $0.singleWord ?? false)
        }
    }

    /// The model's `unk_token` (WordPiece's default `[UNK]`; BPE may have none).
    public var unknownToken: String? {
        file.model.unkToken ?? (file.model.type == ModelType.wordPiece.rawValue ? "[UNK]" : nil)
    }

    /// The stage types sbpl builds, by section: each factory switches over one of these.
    enum ModelType: String, CaseIterable { case wordPiece = "WordPiece", bpe = "BPE", unigram = "Unigram" }
    enum NormalizerType: String, CaseIterable {
        case bertNormalizer = "BertNormalizer", lowercase = "Lowercase", nfc = "NFC", nfd = "NFD", nfkc = "NFKC", nfkd = "NFKD",
             precompiled = "Precompiled", replace = "Replace", strip = "Strip", stripAccents = "StripAccents", sequence = "Sequence"
    }
    enum PreTokenizerType: String, CaseIterable {
        case bertPreTokenizer = "BertPreTokenizer", whitespace = "Whitespace", whitespaceSplit = "WhitespaceSplit", punctuation = "Punctuation",
             digits = "Digits", byteLevel = "ByteLevel", metaspace = "Metaspace", sequence = "Sequence"
    }
    enum PostProcessorType: String, CaseIterable {
        case templateProcessing = "TemplateProcessing", bertProcessing = "BertProcessing", robertaProcessing = "RobertaProcessing",
             byteLevel = "ByteLevel"
    }
    enum DecoderType: String, CaseIterable { case wordPiece = "WordPiece", byteLevel = "ByteLevel", metaspace = "Metaspace" }

    /// The known type named `name` in `section`, or an error naming the file, the section and the type.
    private func known<T: CaseIterable & RawRepresentable>(_: T.Type, _ name: String, in section: String) throws -> T where T.RawValue == String {
        guard let type = T(rawValue: name) else {
            throw TokenizerError("\(path): \(section) type \(name) is not supported by sbpl (it has \(T.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        return type
    }

    private func model() throws -> any TokenizerModel {
        let section = file.model
        let type = try known(ModelType.self, section.type, in: "model")
        guard let vocab = section.vocab else { throw TokenizerError("\(path): model.vocab is missing (\(type.rawValue) needs it)") }
        do {
            switch type {
            case .wordPiece:
                return try WordPiece(vocabulary: Vocabulary(vocab.ids(type)), unknownToken: unknownToken ?? "[UNK]",
                                     continuingPrefix: section.continuingSubwordPrefix ?? "##",
                                     maxInputCharsPerWord: section.maxInputCharsPerWord ?? 100)
            case .bpe:
                guard let merges = section.merges else { throw TokenizerError("model.merges is missing (BPE needs it)") }
                return try BPE(vocabulary: Vocabulary(vocab.ids(type)), merges: merges.map(\.parts), unknownToken: unknownToken,
                               continuingPrefix: section.continuingSubwordPrefix ?? "", endOfWordSuffix: section.endOfWordSuffix ?? "")
            case .unigram:
                return try Unigram(pieces: vocab.scoredPieces(), unknownID: section.unkID, byteFallback: section.byteFallback ?? false)
            }
        } catch let error as TokenizerError {
            throw TokenizerError("\(path): \(error.message)")
        }
    }

    private func normalizer(_ section: NormalizerSection) throws -> any Normalizer {
        do {
            switch try known(NormalizerType.self, section.type, in: "normalizer") {
            case .bertNormalizer:
                return BertNormalizer(cleanText: section.cleanText ?? true, handleChineseChars: section.handleChineseChars ?? true,
                                      stripAccents: section.stripAccents, lowercase: section.lowercase ?? true)
            case .lowercase: return Lowercase()
            case .nfc: return NFC()
            case .nfd: return NFD()
            case .nfkc: return NFKC()
            case .nfkd: return NFKD()
            case .stripAccents: return StripAccents()
            case .precompiled: return Precompiled(charsmap: try section.charsmap())
            case .replace: return try Replace(pattern: try section.replacePattern(), content: section.content ?? "")
            case .strip: return Strip(left: section.stripLeft ?? true, right: section.stripRight ?? true)
            case .sequence: return NormalizerSequence(try (section.normalizers ?? []).map(normalizer))
            }
        } catch let error as TokenizerError where !error.message.hasPrefix(path) {
            throw TokenizerError("\(path): normalizer: \(error.message)")
        }
    }

    private func preTokenizer(_ section: PreTokenizerSection) throws -> any PreTokenizer {
        switch try known(PreTokenizerType.self, section.type, in: "pre_tokenizer") {
        case .bertPreTokenizer: return BertPreTokenizer()
        case .whitespace: return Whitespace()
        case .whitespaceSplit: return WhitespaceSplit()
        case .digits: return Digits(individualDigits: section.individualDigits ?? false)
        case .punctuation:
            let name = section.behavior ?? "Isolated"
            guard let behavior = DelimiterBehavior.allCases.first(where: { $0.jsonName == name }) else {
                throw TokenizerError("\(path): pre_tokenizer: Punctuation's behavior should be one of \(DelimiterBehavior.allCases.map(\.jsonName).joined(separator: ", ")), not '\(name)'")
            }
            return Punctuation(behavior: behavior)
        case .byteLevel: return ByteLevel(addPrefixSpace: section.addPrefixSpace ?? true, useRegex: section.useRegex ?? true)
        case .metaspace:
            do {
                return Metaspace(replacement: try section.metaspace.replacementScalar(), prependScheme: try section.metaspace.scheme(),
                                 split: section.split ?? true)
            } catch let error as TokenizerError { throw TokenizerError("\(path): pre_tokenizer: \(error.message)") }
        case .sequence: return PreTokenizerSequence(try (section.pretokenizers ?? []).map(preTokenizer))
        }
    }

    private func postProcessor(_ section: PostProcessorSection) throws -> any PostProcessor {
        do {
            switch try known(PostProcessorType.self, section.type, in: "post_processor") {
            case .templateProcessing:
                return try TemplateProcessing(single: try (section.single ?? []).map { try $0.piece() },
                                              pair: try (section.pair ?? []).map { try $0.piece() },
                                              specialTokens: (section.specialTokens ?? [:]).mapValues(\.ids))
            case .bertProcessing:
                guard let cls = section.cls, let sep = section.sep else {
                    throw TokenizerError("BertProcessing needs cls and sep")
                }
                return TemplateProcessing.bert(classifier: (cls.token, cls.id), separator: (sep.token, sep.id))
            case .robertaProcessing:
                let cls = section.cls ?? TokenAndID(token: "<s>", id: 0), sep = section.sep ?? TokenAndID(token: "</s>", id: 2)
                return RobertaProcessing(classifier: (cls.token, cls.id), separator: (sep.token, sep.id), trimming: trimming(section))
            case .byteLevel:
                return ByteLevelProcessing(trimming: trimming(section))
            }
        } catch let error as TokenizerError where !error.message.hasPrefix(path) {
            throw TokenizerError("\(path): post_processor: \(error.message)")
        }
    }

    /// The byte-level processors' offset trimming (`trim_offsets`, on unless set off).
    private func trimming(_ section: PostProcessorSection) -> ByteLevelOffsetTrimming? {
        section.trimOffsets ?? true ? ByteLevelOffsetTrimming(addPrefixSpace: section.addPrefixSpace ?? true) : nil
    }

    private func decoder(_ section: DecoderSection) throws -> any TokenDecoder {
        switch try known(DecoderType.self, section.type, in: "decoder") {
        case .wordPiece: return WordPieceDecoder(prefix: section.prefix ?? "##", cleanup: section.cleanup ?? true)
        case .byteLevel: return ByteLevelDecoder()
        case .metaspace:
            do {
                return MetaspaceDecoder(replacement: try section.metaspace.replacementScalar(), prependScheme: try section.metaspace.scheme())
            } catch let error as TokenizerError { throw TokenizerError("\(path): decoder: \(error.message)") }
        }
    }

    // MARK: Settings for transformers

    /// What a fast tokenizer adds to its `tokenizer_config.json` from the `truncation` and `padding` sections, in
    /// the order transformers sets them (each only if not already set): JSON values (`NSNull` for null).
    public var configDefaults: [(String, Any)] {
        var defaults = [(String, Any)]()
        if let truncation = file.truncation {
            defaults += [("max_length", truncation.maxLength ?? NSNull()), ("truncation_side", Self.side(truncation.direction)),
                         ("stride", truncation.stride ?? 0), ("truncation_strategy", Self.snakeCase(truncation.strategy ?? "LongestFirst"))]
        }
        if let padding = file.padding {
            defaults += [("pad_token", padding.padToken ?? "[PAD]"), ("pad_token_type_id", padding.padTypeID ?? 0),
                         ("padding_side", Self.side(padding.direction)), ("max_length", padding.strategy?.fixed ?? NSNull()),
                         ("pad_to_multiple_of", padding.padToMultipleOf ?? NSNull())]
        }
        return defaults
    }

    /// `"Right"` -> `"right"`, as the tokenizers library reports a direction to transformers.
    private static func side(_ direction: String?) -> String { direction?.lowercased() ?? "right" }

    /// `"LongestFirst"` -> `"longest_first"`.
    private static func snakeCase(_ name: String) -> String {
        name.enumerated().map { $0.offset > 0 && $0.element.isUppercase ? "_" + $0.element.lowercased() : $0.element.lowercased() }.joined()
    }

    /// A decoding error as `: field model.vocab should be ...`, or ` is not valid JSON`.
    static func describe(_ error: DecodingError) -> String {
        func field(_ path: [any CodingKey]) -> String {
            path.map { $0.intValue.map { "[\($0)]" } ?? "." + $0.stringValue }.joined().drop { $0 == "." }.description
        }
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty: return " is not valid JSON"
        case .dataCorrupted(let context): return ": field \(field(context.codingPath)) is not valid: \(context.debugDescription)"
        case .keyNotFound(let key, let context): return ": field \(field(context.codingPath + [key])) is missing"
        case .typeMismatch(let type, let context): return ": field \(field(context.codingPath)) should be \(describe(type))"
        case .valueNotFound(let type, let context): return ": field \(field(context.codingPath)) is null, it should be \(describe(type))"
        @unknown default: return ": \(error)"
        }
    }

    /// A Swift type as its JSON kind.
    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Int.Type: return "an integer"
        case is Bool.Type: return "true or false"
        case is [Any].Type: return "an array"
        default: return "an object"
        }
    }
}

// MARK: Sections

extension TokenizerJSON {
    struct AddedTokenSection: Decodable {
        var id: Int?
        var content: String
        var lstrip: Bool?
        var rstrip: Bool?
        var singleWord: Bool?

        enum CodingKeys: String, CodingKey { case id, content, lstrip, rstrip, singleWord = "single_word" }
    }

    struct ModelSection: Decodable {
        var type: String
        var vocab: ModelVocab?
        var unkToken: String?
        /// Unigram's unknown piece and byte fallback.
        var unkID: Int?
        var byteFallback: Bool?
        var continuingSubwordPrefix: String?
        var maxInputCharsPerWord: Int?
        /// BPE's merges.
        var merges: [Merge]?
        var endOfWordSuffix: String?

        enum CodingKeys: String, CodingKey {
            case type, vocab, unkToken = "unk_token", unkID = "unk_id", byteFallback = "byte_fallback", continuingSubwordPrefix = "continuing_subword_prefix",
                 maxInputCharsPerWord = "max_input_chars_per_word", merges, endOfWordSuffix = "end_of_word_suffix"
        }
    }

    /// A model's vocabulary: token -> id (WordPiece, BPE) or `[piece, score]` pairs whose position is the id (Unigram).
    enum ModelVocab: Decodable {
        case ids([String: Int])
        case scored([(String, Double)])

        init(from decoder: any Swift.Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let ids = try? container.decode([String: Int].self) { self = .ids(ids); return }
            guard let pairs = try? container.decode([ScoredPiece].self) else {
                throw DecodingError.typeMismatch([String: Int].self, .init(codingPath: decoder.codingPath,
                                                                           debugDescription: "token ids, or [piece, score] pairs"))
            }
            self = .scored(pairs.map { ($0.piece, $0.score) })
        }

        /// The token -> id map the `type` model needs.
        func ids(_ type: ModelType) throws -> [String: Int] {
            guard case .ids(let ids) = self else { throw TokenizerError("model.vocab should map each token to its id (\(type.rawValue))") }
            return ids
        }

        /// The scored pieces Unigram needs.
        func scoredPieces() throws -> [(String, Double)] {
            guard case .scored(let pieces) = self else { throw TokenizerError("model.vocab should list [piece, score] pairs (Unigram)") }
            return pieces
        }
    }

    /// `["▁the", -3.1]`.
    struct ScoredPiece: Decodable {
        var piece: String
        var score: Double

        init(from decoder: any Swift.Decoder) throws {
            var container = try decoder.unkeyedContainer()
            piece = try container.decode(String.self)
            score = try container.decode(Double.self)
        }
    }

    /// One BPE merge: `"a b"`, or `["a", "b"]` as newer files write it.
    struct Merge: Decodable {
        var parts: (String, String)

        init(from decoder: any Swift.Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let pair = try? container.decode([String].self), pair.count == 2 { parts = (pair[0], pair[1]); return }
            let line = try container.decode(String.self)
            guard let space = line.firstIndex(of: " ") else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "a merge should be two tokens, not '\(line)'")
            }
            parts = (String(line[..<space]), String(line[line.index(after: space)...]))
        }
    }

    struct NormalizerSection: Decodable {
        var type: String
        var cleanText: Bool?
        var handleChineseChars: Bool?
        var stripAccents: Bool?
        var lowercase: Bool?
        /// A `Sequence`'s normalizers.
        var normalizers: [NormalizerSection]?
        /// `Precompiled`'s rules, base64.
        var precompiledCharsmap: String?
        /// `Replace`'s pattern and what replaces it.
        var pattern: PatternSection?
        var content: String?
        /// `Strip`'s ends.
        var stripLeft: Bool?
        var stripRight: Bool?

        enum CodingKeys: String, CodingKey {
            case type, cleanText = "clean_text", handleChineseChars = "handle_chinese_chars", stripAccents = "strip_accents",
                 lowercase, normalizers, precompiledCharsmap = "precompiled_charsmap", pattern, content, stripLeft = "strip_left",
                 stripRight = "strip_right"
        }

        /// `{"String": " "}` or `{"Regex": " {2,}"}`.
        struct PatternSection: Decodable {
            var string: String?
            var regex: String?

            enum CodingKeys: String, CodingKey { case string = "String", regex = "Regex" }
        }

        func charsmap() throws -> PrecompiledCharsmap {
            guard let text = precompiledCharsmap else { throw TokenizerError("Precompiled needs precompiled_charsmap") }
            guard let data = Data(base64Encoded: text) else { throw TokenizerError("Precompiled's precompiled_charsmap is not base64") }
            return try PrecompiledCharsmap(Array(data))
        }

        func replacePattern() throws -> Replace.Pattern {
            if let string = pattern?.string { return .string(string) }
            guard let regex = pattern?.regex else { throw TokenizerError("Replace needs a pattern, {\"String\": ...} or {\"Regex\": ...}") }
            return .regex(regex)
        }
    }

    struct PreTokenizerSection: Decodable {
        var type: String
        /// A `Sequence`'s pre-tokenizers.
        var pretokenizers: [PreTokenizerSection]?
        /// `ByteLevel`'s settings.
        var addPrefixSpace: Bool?
        var useRegex: Bool?
        /// `Metaspace`'s settings.
        var replacement: String?
        var prependScheme: String?
        var split: Bool?
        /// `Punctuation`'s (`Isolated`, ...) and `Digits`' settings.
        var behavior: String?
        var individualDigits: Bool?

        enum CodingKeys: String, CodingKey {
            case type, pretokenizers, addPrefixSpace = "add_prefix_space", useRegex = "use_regex", replacement,
                 prependScheme = "prepend_scheme", split, behavior, individualDigits = "individual_digits"
        }

        var metaspace: MetaspaceSettings { MetaspaceSettings(replacement: replacement, prependScheme: prependScheme, addPrefixSpace: addPrefixSpace) }
    }

    /// The Metaspace settings the pre-tokenizer and the decoder share.
    struct MetaspaceSettings {
        var replacement: String?
        var prependScheme: String?
        /// Older files' setting: `true` is the `always` scheme, `false` `never`.
        var addPrefixSpace: Bool?

        func replacementScalar() throws -> Unicode.Scalar {
            guard let text = replacement else { return "▁" }
            guard text.unicodeScalars.count == 1, let c = text.unicodeScalars.first else {
                throw TokenizerError("Metaspace's replacement should be one character, not '\(text)'")
            }
            return c
        }

        func scheme() throws -> PrependScheme {
            guard let name = prependScheme else { return addPrefixSpace == false ? .never : .always }
            guard let scheme = PrependScheme(rawValue: name) else {
                throw TokenizerError("Metaspace's prepend_scheme should be always, never or first, not '\(name)'")
            }
            return scheme
        }
    }

    struct PostProcessorSection: Decodable {
        var type: String
        /// `TemplateProcessing`'s templates and the ids of the special tokens they name.
        var single: [TemplatePieceSection]?
        var pair: [TemplatePieceSection]?
        var specialTokens: [String: SpecialTokenSection]?
        /// `BertProcessing`'s tokens.
        var cls: TokenAndID?
        var sep: TokenAndID?
        /// The byte-level processors' settings.
        var trimOffsets: Bool?
        var addPrefixSpace: Bool?

        enum CodingKeys: String, CodingKey {
            case type, single, pair, specialTokens = "special_tokens", cls, sep, trimOffsets = "trim_offsets",
                 addPrefixSpace = "add_prefix_space"
        }
    }

    /// `{"SpecialToken": {"id": "[CLS]", "type_id": 0}}` or `{"Sequence": {"id": "A", "type_id": 0}}`.
    struct TemplatePieceSection: Decodable {
        struct Body: Decodable {
            var id: String
            var typeID: Int
            enum CodingKeys: String, CodingKey { case id, typeID = "type_id" }
        }

        var specialToken: Body?
        var sequence: Body?

        enum CodingKeys: String, CodingKey { case specialToken = "SpecialToken", sequence = "Sequence" }

        func piece() throws -> TemplateProcessing.Piece {
            if let specialToken { return .specialToken(specialToken.id, typeID: specialToken.typeID) }
            guard let sequence else { throw TokenizerError("a template piece must be a SpecialToken or a Sequence") }
            guard let id = TemplateProcessing.SequenceID(rawValue: sequence.id) else {
                throw TokenizerError("a template Sequence must be A or B, not \(sequence.id)")
            }
            return .sequence(id, typeID: sequence.typeID)
        }
    }

    struct SpecialTokenSection: Decodable {
        var ids: [Int]
    }

    /// `["[SEP]", 102]`.
    struct TokenAndID: Decodable {
        var token: String
        var id: Int

        init(token: String, id: Int) { (self.token, self.id) = (token, id) }

        init(from decoder: any Swift.Decoder) throws {
            var container = try decoder.unkeyedContainer()
            token = try container.decode(String.self)
            id = try container.decode(Int.self)
        }
    }

    struct DecoderSection: Decodable {
        var type: String
        var prefix: String?
        var cleanup: Bool?
        /// `Metaspace`'s settings.
        var replacement: String?
        var prependScheme: String?
        var addPrefixSpace: Bool?

        enum CodingKeys: String, CodingKey {
            case type, prefix, cleanup, replacement, prependScheme = "prepend_scheme", addPrefixSpace = "add_prefix_space"
        }

        var metaspace: MetaspaceSettings { MetaspaceSettings(replacement: replacement, prependScheme: prependScheme, addPrefixSpace: addPrefixSpace) }
    }

    struct TruncationSection: Decodable {
        var maxLength: Int?
        var strategy: String?
        var stride: Int?
        var direction: String?

        enum CodingKeys: String, CodingKey { case maxLength = "max_length", strategy, stride, direction }
    }

    struct PaddingSection: Decodable {
        /// `"BatchLongest"` or `{"Fixed": 128}`.
        struct Strategy: Decodable {
            var fixed: Int?

            enum CodingKeys: String, CodingKey { case fixed = "Fixed" }

            init(from decoder: any Swift.Decoder) throws {
                if (try? decoder.singleValueContainer().decode(String.self)) != nil { fixed = nil; return }
                fixed = try decoder.container(keyedBy: CodingKeys.self).decode(Int.self, forKey: .fixed)
            }
        }

        var strategy: Strategy?
        var direction: String?
        var padToMultipleOf: Int?
        var padTypeID: Int?
        var padToken: String?

        enum CodingKeys: String, CodingKey {
            case strategy, direction, padToMultipleOf = "pad_to_multiple_of", padTypeID = "pad_type_id", padToken = "pad_token"
        }
    }
}
