/// One encoded sequence (or pair) as huggingface/tokenizers' `Encoding` holds it: per token, its id, type id,
/// attention mask, the word it comes from, the sequence of the pair it belongs to and where it lies in its text.
public struct Encoding: Sendable, Equatable {
    public var ids: [Int]
    public var typeIDs: [Int]
    public var attentionMask: [Int]
    /// The word each token comes from; nil for special and padding tokens.
    public var wordIDs: [Int?]
    /// The sequence (0 or 1) each token belongs to; nil for special and padding tokens.
    public var sequenceIDs: [Int?]
    /// Where each token lies in its sequence's text, in code points (`offset_mapping`); `0..<0` for special and
    /// padding tokens.
    public var offsets: [Range<Int>]
    /// The text of each token (by position) that is not its vocabulary entry: an added token matched with the
    /// whitespace it strips (RoBERTa's `" <mask>"`), as huggingface/tokenizers keeps it.
    public var matchedTexts: [Int: String] = [:]

    public init(ids: [Int], typeIDs: [Int], attentionMask: [Int], wordIDs: [Int?], sequenceIDs: [Int?], offsets: [Range<Int>]? = nil) {
        (self.ids, self.typeIDs, self.attentionMask, self.wordIDs, self.sequenceIDs) = (ids, typeIDs, attentionMask, wordIDs, sequenceIDs)
        self.offsets = offsets ?? [Range<Int>](repeating: 0..<0, count: ids.count)
    }

    /// A sequence as the model cut it: every token of sequence `sequenceID`, with type id `typeID`.
    init(ids: [Int], wordIDs: [Int?], offsets: [Range<Int>], sequenceID: Int, typeID: Int) {
        self.init(ids: ids, typeIDs: [Int](repeating: typeID, count: ids.count), attentionMask: [Int](repeating: 1, count: ids.count),
                  wordIDs: wordIDs, sequenceIDs: [Int?](repeating: sequenceID, count: ids.count), offsets: offsets)
    }

    /// An empty encoding with room for `capacity` tokens.
    init(capacity: Int) {
        self.init(ids: [], typeIDs: [], attentionMask: [], wordIDs: [], sequenceIDs: [])
        ids.reserveCapacity(capacity)
        typeIDs.reserveCapacity(capacity)
        attentionMask.reserveCapacity(capacity)
        wordIDs.reserveCapacity(capacity)
        sequenceIDs.reserveCapacity(capacity)
        offsets.reserveCapacity(capacity)
    }

    public var count: Int { ids.count }

    /// The tokens in `range`.
    func slice(_ range: Range<Int>) -> Encoding {
        var out = Encoding(ids: Array(ids[range]), typeIDs: Array(typeIDs[range]), attentionMask: Array(attentionMask[range]),
                           wordIDs: Array(wordIDs[range]), sequenceIDs: Array(sequenceIDs[range]), offsets: Array(offsets[range]))
        out.matchedTexts = matchedTexts.moved(by: -range.lowerBound, below: range.count)
        return out
    }

    /// The token at `position`'s text: its matched text, else its vocabulary entry.
    public func text(at position: Int, in vocabulary: Vocabulary) -> String? {
        matchedTexts[position] ?? vocabulary.token(ids[position])
    }

    /// The windows of `length` tokens that cover this encoding, each starting `length - stride` after the one
    /// before, the last ending at its end (huggingface/tokenizers' truncation with overflowing parts).
    func windows(length: Int, stride: Int) throws -> [Encoding] {
        guard count > length else { return [self] }
        guard length > 0, stride < length else {
            throw TokenizerError("stride (\(stride)) must be less than the \(length) tokens of the sequence each window can hold")
        }
        var windows = [Encoding]()
        for start in Swift.stride(from: 0, to: count, by: length - stride) {
            let stop = Swift.min(start + length, count)
            windows.append(slice(start..<stop))
            if stop == count { break }
        }
        return windows
    }

    /// Keeps the first `length` tokens.
    mutating func truncate(to length: Int) {
        let excess = Swift.max(0, count - length)
        ids.removeLast(excess)
        typeIDs.removeLast(excess)
        attentionMask.removeLast(excess)
        wordIDs.removeLast(excess)
        sequenceIDs.removeLast(excess)
        offsets.removeLast(excess)
        matchedTexts = matchedTexts.moved(by: 0, below: count)
    }

    /// Appends `other`'s tokens, with type id `typeID` if given.
    mutating func append(_ other: Encoding, typeID: Int? = nil) {
        matchedTexts.merge(other.matchedTexts.moved(by: count, below: .max)) { $1 }
        ids += other.ids
        if let typeID { typeIDs.append(contentsOf: repeatElement(typeID, count: other.count)) } else { typeIDs += other.typeIDs }
        attentionMask += other.attentionMask
        wordIDs += other.wordIDs
        sequenceIDs += other.sequenceIDs
        offsets += other.offsets
    }

    /// Appends special tokens: type `typeID`, attended to, of no word and no sequence.
    mutating func appendSpecial(_ special: [Int], typeID: Int) {
        ids += special
        typeIDs.append(contentsOf: repeatElement(typeID, count: special.count))
        attentionMask.append(contentsOf: repeatElement(1, count: special.count))
        wordIDs.append(contentsOf: repeatElement(nil, count: special.count))
        sequenceIDs.append(contentsOf: repeatElement(nil, count: special.count))
        offsets.append(contentsOf: repeatElement(0..<0, count: special.count))
    }

    /// Adds `n` padding tokens (`padID`, type `typeID`, mask 0) on `side`.
    mutating func pad(_ n: Int, id padID: Int, typeID: Int, side: PaddingSide) {
        func padded<T>(_ values: [T], with value: T) -> [T] {
            var out = [T]()
            out.reserveCapacity(values.count + n)
            if side == .left { out.append(contentsOf: repeatElement(value, count: n)) }
            out += values
            if side == .right { out.append(contentsOf: repeatElement(value, count: n)) }
            return out
        }
        if side == .left { matchedTexts = matchedTexts.moved(by: n, below: .max) }
        ids = padded(ids, with: padID)
        typeIDs = padded(typeIDs, with: typeID)
        attentionMask = padded(attentionMask, with: 0)
        wordIDs = padded(wordIDs, with: nil)
        sequenceIDs = padded(sequenceIDs, with: nil)
        offsets = padded(offsets, with: 0..<0)
    }
}

extension [Int: String] {
    /// The entries with each position moved by `distance`, keeping those that land in `0..<limit`.
    func moved(by distance: Int, below limit: Int) -> [Int: String] {
        guard !isEmpty else { return self }
        var out = [Int: String]()
        for (position, text) in self where (0..<limit).contains(position + distance) { out[position + distance] = text }
        return out
    }
}
