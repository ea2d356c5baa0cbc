import TensorCore

/// huggingface/tokenizers' `Tokenizer`: the five stages and the added vocabulary, and the encoding that does not
/// depend on the model: added-token splitting, truncation, special tokens, padding, word and sequence ids.
///
/// ```swift
/// let tokenizer = try TokenizerJSON(url: url).tokenizer()
/// let encoding = try tokenizer.encode("Hello there!", pair: "General Kenobi.")
/// ```
public struct Tokenizer: Sendable {
    public var normalizer: (any Normalizer)?
    public var preTokenizer: (any PreTokenizer)?
    public var model: any TokenizerModel
    public var postProcessor: (any PostProcessor)?
    public var decoder: (any TokenDecoder)?
    public var addedVocabulary: AddedVocabulary
    /// The model's vocabulary and the added tokens it lacks (T5's `<extra_id_N>`).
    public let vocabulary: Vocabulary

    /// The stages; `addedIDs` gives the ids of added tokens outside the model's vocabulary (`tokenizer.json`'s
    /// `added_tokens`).
    public init(normalizer: (any Normalizer)?, preTokenizer: (any PreTokenizer)?, model: any TokenizerModel,
                postProcessor: (any PostProcessor)?, decoder: (any TokenDecoder)?, addedTokens: [AddedToken], addedIDs: [String: Int] = [:]) {
        self.normalizer = normalizer
        self.preTokenizer = preTokenizer
        self.model = model
        self.postProcessor = postProcessor
        self.decoder = decoder
        vocabulary = model.vocabulary.adding(addedIDs)
        addedVocabulary = AddedVocabulary(addedTokens, vocabulary: vocabulary)
    }

    // MARK: Text to ids

    /// How many special tokens encoding adds to one sequence or a pair (`num_special_tokens_to_add`).
    public func numSpecialTokensToAdd(isPair: Bool) -> Int { postProcessor?.addedTokens(isPair: isPair) ?? 0 }

    /// `text` (and `pair`) encoded, truncated to `truncation`'s length with the special tokens counted, then
    /// joined by the post-processor.
    public func encode(_ text: String, pair: String? = nil, truncation: TruncationParams? = nil,
                       addSpecialTokens: Bool = true) throws -> Encoding {
        try encode(.text(text), pair: pair.map(TextInput.text), truncation: truncation, addSpecialTokens: addSpecialTokens)
    }

    /// `input` (and `pair`), texts or texts split into words, encoded as `encode(_:pair:)` encodes texts.
    public func encode(_ input: TextInput, pair: TextInput?, truncation: TruncationParams? = nil,
                       addSpecialTokens: Bool = true) throws -> Encoding {
        var first = encodeSequence(input, sequenceID: 0), second = pair.map { encodeSequence($0, sequenceID: 1) }
        if let truncation {
            let added = addSpecialTokens ? numSpecialTokensToAdd(isPair: second != nil) : 0
            try truncation.truncate(&first, &second, to: truncation.maxLength - added)
        }
        if let processed = postProcessor?.process(first, second, addSpecialTokens: addSpecialTokens) { return processed }
        if let second { first.append(second) }
        return first
    }

    /// `text` (and `pair`) truncated as `truncation` says, the tokens cut off kept in further encodings that overlap
    /// by `truncation.stride` (`return_overflowing_tokens=True`): one encoding per window of the truncated sequence,
    /// each joined with the whole other one by the post-processor.
    public func encodeWindows(_ input: TextInput, pair: TextInput? = nil, truncation: TruncationParams,
                              addSpecialTokens: Bool = true) throws -> [Encoding] {
        let first = encodeSequence(input, sequenceID: 0), second = pair.map { encodeSequence($0, sequenceID: 1) }
        let budget = truncation.maxLength - (addSpecialTokens ? numSpecialTokensToAdd(isPair: second != nil) : 0)
        let excess = first.count + (second?.count ?? 0) - budget
        guard excess > 0, truncation.strategy != .doNotTruncate else {
            return [try encode(input, pair: pair, truncation: nil, addSpecialTokens: addSpecialTokens)]
        }
        let pairs: [(Encoding, Encoding?)]
        switch (truncation.strategy, second) {
        case (.onlySecond, let b?):
            guard b.count > excess else { throw TokenizerError.sequenceTooShort }
            pairs = try b.windows(length: b.count - excess, stride: truncation.stride).map { (first, $0) }
        case (.onlySecond, nil): throw TokenizerError.noSecondSequence
        case (_, nil), (.onlyFirst, _):
            guard first.count > excess else { throw TokenizerError.sequenceTooShort }
            pairs = try first.windows(length: first.count - excess, stride: truncation.stride).map { ($0, second) }
        default:
            throw TokenizerError("sbpl returns overflowing tokens only when one sequence is truncated: use truncation='only_first' or 'only_second' for a pair")
        }
        return pairs.map { a, b in
            postProcessor?.process(a, b, addSpecialTokens: addSpecialTokens) ?? b.map { var joined = a; joined.append($0); return joined } ?? a
        }
    }

    /// One input sequence: a text, or its words, each a word of the encoding whatever the pre-tokenizer makes of it,
    /// with offsets within the word (`is_split_into_words=True`).
    func encodeSequence(_ input: TextInput, sequenceID: Int) -> Encoding {
        let words: [String]
        switch input {
        case .text(let text): return encodeSequence(text, sequenceID: sequenceID)
        case .words(let list): words = list
        }
        var out = Encoding(ids: [], wordIDs: [], offsets: [], sequenceID: sequenceID, typeID: sequenceID)
        for (index, word) in words.enumerated() {
            var encoded = encodeSequence(word, sequenceID: sequenceID)
            encoded.wordIDs = encoded.wordIDs.map { _ in index }
            out.append(encoded)
        }
        return out
    }

    /// One sequence through the added vocabulary, the normalizer, the pre-tokenizer and the model, with the word
    /// of each token (the words are what the pre-tokenizer splits, an added token in the text being one too) and
    /// its offsets in `text`, in code points (Python's string indices). `inputStart` says where `text` starts in the
    /// input when it is a part of one (what Metaspace's `first` scheme looks at); the offsets count from there.
    func encodeSequence(_ text: String, sequenceID: Int, inputStart: Int = 0) -> Encoding {
        var ids = [Int](), words = [Int?](), offsets = [Range<Int>](), word = 0, ranges = [Range<Int>](), spans = [Range<Int>]()
        var matchedTexts = [Int: String]()
        var start = inputStart  // where the segment starts in the input
        let mapsBytes = preTokenizer?.mapsBytes ?? false
        var bytes = [Unicode.Scalar](), byteOrigins = [Int]()  // a word's bytes, and the code point of each
        func endWord() {
            words.append(contentsOf: repeatElement(Optional(word), count: ids.count - words.count))
            word += 1
        }
        for segment in addedVocabulary.split(text) {
            let length = segment.text.unicodeScalars.count
            defer { start += length }
            if let added = segment.added {
                if vocabulary.token(added).map({ $0.unicodeScalars.count != length }) ?? true { matchedTexts[ids.count] = String(segment.text) }
                ids.append(added)
                offsets.append(start..<start + length)
                endWord()
                continue
            }
            var normalized = normalizer?.aligned(segment.text) ?? NormalizedText(segment.text)
            normalized.inputOffset = start
            ranges.removeAll(keepingCapacity: true)
            // without a pre-tokenizer the whole run is one word
            if preTokenizer?.preTokenize(&normalized, into: &ranges) == nil { ranges.append(normalized.scalars.indices) }
            for range in ranges {
                spans.removeAll(keepingCapacity: true)
                if mapsBytes {
                    bytes.removeAll(keepingCapacity: true)
                    byteOrigins.removeAll(keepingCapacity: true)
                    ByteAlphabet.map(normalized.scalars[range], into: &bytes, origins: &byteOrigins)
                    model.tokenize(bytes[...], into: &ids, spans: &spans)
                    for span in spans {
                        offsets.append(normalized.original(byteOrigins[span.lowerBound]..<byteOrigins[span.upperBound - 1] + 1).shifted(by: start))
                    }
                } else {
                    model.tokenize(normalized.scalars[range], into: &ids, spans: &spans, texts: &matchedTexts)
                    for span in spans { offsets.append(normalized.original(span).shifted(by: start)) }
                }
                endWord()
            }
        }
        var encoding = Encoding(ids: ids, wordIDs: words, offsets: offsets, sequenceID: sequenceID, typeID: sequenceID)
        encoding.matchedTexts = matchedTexts
        postProcessor?.adjustOffsets(&encoding, vocabulary: vocabulary)
        return encoding
    }

    /// Pads every encoding as `params` says, on every core if `parallel`.
    public func pad(_ encodings: inout [Encoding], _ params: PaddingParams, parallel: Bool = TokenizersParallelism.isEnabled) throws {
        var target: Int
        switch params.strategy {
        case .batchLongest: target = encodings.map(\.count).max() ?? 0
        case .fixed(let length): target = length
        }
        if let multiple = params.padToMultipleOf, target % multiple != 0 {
            let rounded = target.addingReportingOverflow(multiple - target % multiple)
            try Tensor.checkAllocation(bytes: rounded.overflow ? nil : rounded.partialValue)
            target = rounded.partialValue
        }
        // ids, token types and mask, 8 bytes an entry, for every sequence
        try Tensor.checkAllocation([encodings.count, 3, target], dtype: .int64)
        try encodings.withUnsafeMutableBufferPointer { encodings in  // in place: each worker frees what it replaces
            try TokenizersParallelism.forEach(encodings.count, parallel: parallel) { i in
                if encodings[i].count < target { encodings[i].pad(target - encodings[i].count, id: params.padID, typeID: params.padTypeID, side: params.direction) }
            }
        }
    }

    // MARK: Ids to text

    /// The token of each id (nil outside the vocabulary).
    public func token(forID id: Int) -> String? { vocabulary.token(id) }

    /// The text of `ids` through the decoder (tokens joined by spaces without one), skipping the added tokens
    /// if `skipSpecialTokens`; ids outside the vocabulary are left out.
    public func decode(_ ids: [Int], skipSpecialTokens: Bool = false) -> String {
        let special = skipSpecialTokens ? addedVocabulary.ids : []
        return decode(tokens: ids.filter { !special.contains($0) }.compactMap(vocabulary.token))
    }

    /// The text of `tokens` through the decoder.
    public func decode(tokens: [String]) -> String { decoder?.decode(tokens) ?? tokens.joined(separator: " ") }
}

/// One input sequence: a text, or a text already split into words (`is_split_into_words=True`).
public enum TextInput: Sendable, Equatable {
    case text(String)
    case words([String])
}

extension Range<Int> {
    /// The range moved by `distance`.
    func shifted(by distance: Int) -> Range<Int> { lowerBound + distance..<upperBound + distance }
}
