import Foundation
import Hub
import PythonText

extension TokenizerFamily {
    /// Marian's tokenizer (`MarianTokenizer`, `Helsinki-NLP/opus-mt-*`; transformers has no fast class): SentencePiece's
    /// `source.spm` for inputs and `target.spm` for targets, ids from `vocab.json`, `</s>` after each sequence.
    public static let marian = TokenizerFamily(
        className: "MarianTokenizer", displayName: "Marian", modelTypes: ["marian"], modelInputNames: ["input_ids", "attention_mask"],
        specialTokens: PreTrainedTokenizer.SpecialTokens([
            .eos: AddedToken("</s>"), .unknown: AddedToken("<unk>"), .padding: AddedToken("<pad>"),
        ]),
        vocabularyFileNames: ["source.spm", "target.spm", "vocab.json"], convertSlow: MarianModel.tokenizer,
        applyInitArguments: { _, _ in }, saveInitArguments: MarianModel.saveInitArguments, vocabularyFiles: { _, _ in [] },
        slowTokensToString: nil, vocabularyData: MarianModel.vocabularyFiles, hasFastClass: false, cleansUpByDefault: false,
        defaultModelMaxLength: 512)
}

/// MarianTokenizer's `_tokenize` and its ids, for one run of text between added tokens: a `>>xx<<` language code at
/// the start of the run is a token of its own, every language code is taken out of the text (transformers'
/// `language_code_re`, `>>.+<<`, greedy, within a line), the rest is cut into pieces by SentencePiece (source.spm,
/// or target.spm for targets), and each token's id is its `vocab.json` id, the unknown id if it has none (the token
/// then keeps its text).
public struct MarianModel: TokenizerModel {
    public let vocabulary: Vocabulary
    public let unknownToken: String?
    private let unknownID: Int
    public let source: SentencePieceProcessor, target: SentencePieceProcessor
    /// Whether it cuts with target.spm.
    public private(set) var encodesTargets = false

    /// The model for inputs; `unknownToken` must be in `vocabulary`.
    public init(vocabulary: Vocabulary, unknownToken: String, source: SentencePieceProcessor, target: SentencePieceProcessor) throws {
        guard let unknownID = vocabulary.id(unknownToken) else { throw TokenizerError("vocab.json has no unknown token '\(unknownToken)'") }
        (self.vocabulary, self.unknownToken, self.unknownID) = (vocabulary, unknownToken, unknownID)
        (self.source, self.target) = (source, target)
    }

    public var targetModel: (any TokenizerModel)? {
        var model = self
        model.encodesTargets = true
        return model
    }

    public func tokenize(_ word: ArraySlice<Unicode.Scalar>, into ids: inout [Int], spans: inout [Range<Int>]) {
        var texts = [Int: String]()
        tokenize(word, into: &ids, spans: &spans, texts: &texts)
    }

    public func tokenize(_ word: ArraySlice<Unicode.Scalar>, into ids: inout [Int], spans: inout [Range<Int>], texts: inout [Int: String]) {
        func append(_ token: String, _ span: Range<Int>) {
            let id = vocabulary.id(token) ?? unknownID
            if id == unknownID && token != unknownToken { texts[ids.count] = token }
            ids.append(id)
            spans.append(span)
        }
        let codes = Self.languageCodes(in: word)
        if let code = codes.first, code.lowerBound == word.startIndex { append(String(String.UnicodeScalarView(word[code])), code) }
        // the text without its codes, and where each of its code points is in `word`
        let kept = word.indices.filter { i in !codes.contains { $0.contains(i) } }
        let text = kept.map { word[$0] }
        for (piece, span) in (encodesTargets ? target : source).encode(text[...]) {
            let start = span.lowerBound < kept.count ? kept[span.lowerBound] : word.endIndex
            let end = span.upperBound < kept.count ? kept[span.upperBound] : word.endIndex
            append(piece, start..<max(start, end))
        }
    }

    /// Where `>>.+<<` matches in `word`, leftmost first, each the longest it can be (`.` is any code point but a
    /// newline), as Python's `re` finds them.
    static func languageCodes(in word: ArraySlice<Unicode.Scalar>) -> [Range<Int>] {
        var codes = [Range<Int>](), i = word.startIndex
        while i + 1 < word.endIndex {
            guard word[i] == ">", word[i + 1] == ">" else { i += 1; continue }
            let lineEnd = word[i...].firstIndex(of: "\n") ?? word.endIndex
            let closing = stride(from: lineEnd - 2, through: i + 3, by: -1).first { word[$0] == "<" && word[$0 + 1] == "<" }
            guard let closing else { i += 1; continue }
            codes.append(i..<closing + 2)
            i = closing + 2
        }
        return codes
    }

    /// MarianTokenizer's pipeline from a checkpoint's `source.spm`, `target.spm` and `vocab.json`: this model,
    /// `$A </s>` (a pair is `$A $B </s>`), and `MarianDecoder`.
    static func tokenizer(_ checkpoint: Checkpoint, _ special: PreTrainedTokenizer.SpecialTokens, _ config: [String: Any],
                          _ addedTokens: [AddedToken]) throws -> Tokenizer {
        guard config["separate_vocabs"] as? Bool != true else {
            throw TokenizerError("sbpl does not support Marian tokenizers with separate_vocabs=True yet (\(checkpoint.name))")
        }
        func processor(_ file: String) throws -> SentencePieceProcessor {
            try SentencePieceProcessor(try SentencePieceModel(url: try checkpoint.requiredFile(file)))
        }
        let (source, target) = (try processor("source.spm"), try processor("target.spm"))
        let vocabURL = try checkpoint.requiredFile("vocab.json")
        guard let vocab = try JSONFile.object(at: vocabURL) as? [String: Int] else {
            throw TokenizerError("\(vocabURL.path) should map each token to its id")
        }
        let vocabulary = try Vocabulary(vocab)
        let model = try MarianModel(vocabulary: vocabulary, unknownToken: special[.unknown] ?? "<unk>", source: source, target: target)
        let eos = special[.eos] ?? "</s>"
        guard let eosID = vocabulary.id(eos) else { throw TokenizerError("vocab.json has no special token '\(eos)'") }
        let post = try TemplateProcessing(single: [.sequence(.a, typeID: 0), .specialToken(eos, typeID: 0)],
                                          pair: [.sequence(.a, typeID: 0), .sequence(.b, typeID: 0), .specialToken(eos, typeID: 0)],
                                          specialTokens: [eos: [eosID]])
        return Tokenizer(normalizer: nil, preTokenizer: nil, model: model, postProcessor: post,
                         decoder: MarianDecoder(target: target, specialTokens: Set(addedTokens.map(\.content))), addedTokens: addedTokens)
    }
}

extension MarianModel {
    /// `save_vocabulary`: the two models as they were read, and `vocab.json` as `json.dump(indent=2)` writes it (in id
    /// order, non-ASCII escaped, no newline at the end).
    static func vocabularyFiles(_ backend: Tokenizer) -> [Data] {
        guard let model = backend.model as? MarianModel else { return [] }
        let vocabulary = model.vocabulary
        let entries = (0..<vocabulary.count).compactMap { id in vocabulary.token(id).map { "  \(PythonJSON.string($0, ensureASCII: true)): \(id)" } }
        return [Data(model.source.model.bytes), Data(model.target.model.bytes), Data(("{\n" + entries.joined(separator: ",\n") + "\n}").utf8)]
    }

    /// The `__init__` arguments MarianTokenizer saves (sbpl reads only shared vocabularies, without sentencepiece
    /// options).
    static func saveInitArguments(_: Tokenizer, into fields: inout [String: Any]) {
        fields["separate_vocabs"] = false
        fields["sp_model_kwargs"] = [String: Any]()
    }
}

/// MarianTokenizer's `convert_tokens_to_string`: the runs of tokens between special tokens decoded by the target
/// SentencePiece model, each special token written as it is with a space after it, `▁` left over made a space,
/// and whitespace stripped from both ends.
public struct MarianDecoder: TokenDecoder {
    public let target: SentencePieceProcessor
    public let specialTokens: Set<String>

    public func decode(_ tokens: [String]) -> String {
        var text = "", run = [String]()
        for token in tokens {
            guard specialTokens.contains(token) else { run.append(token); continue }
            text += target.decode(run) + token + " "
            run.removeAll()
        }
        text += target.decode(run)
        let scalars = text.replacingOccurrences(of: "▁", with: " ").unicodeScalars
        let start = scalars.firstIndex { !$0.properties.isWhitespace } ?? scalars.endIndex
        let end = scalars.lastIndex { !$0.properties.isWhitespace }.map(scalars.index(after:)) ?? start
        return String(scalars[start..<max(start, end)])
    }
}
