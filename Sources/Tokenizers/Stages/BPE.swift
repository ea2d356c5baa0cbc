import HeapModule

/// Byte-pair encoding (`models.BPE`): a word starts as its characters, then the adjacent pair that comes first in
/// `merges` is joined, again and again, until no pair of the word is a merge. Characters outside the vocabulary
/// become the unknown token if there is one, else are dropped (as huggingface/tokenizers does).
public struct BPE: TokenizerModel {
    public let vocabulary: Vocabulary
    public let unknownToken: String?
    public let continuingPrefix: String
    public let endOfWordSuffix: String
    /// The merges in rank order, as `merges.txt` lists them.
    public let mergeList: [(String, String)]
    /// Each merge by the ids of its two parts: its rank (its line in `merges`) and the id of the joined token.
    private let merges: [Pair: (rank: Int, id: Int)]
    private let unknownID: Int?

    /// Two adjacent token ids.
    private struct Pair: Hashable { var left: Int, right: Int }

    /// A BPE model from its vocabulary and merges (each a pair of tokens whose join is in the vocabulary).
    public init(vocabulary: Vocabulary, merges: [(String, String)], unknownToken: String? = nil,
                continuingPrefix: String = "", endOfWordSuffix: String = "") throws {
        var table = [Pair: (rank: Int, id: Int)](minimumCapacity: merges.count)
        for (rank, (left, right)) in merges.enumerated() {
            guard let a = vocabulary.id(left), let b = vocabulary.id(right) else {
                throw TokenizerError("merge \(rank + 1) ('\(left) \(right)') names a token that is not in the vocabulary")
            }
            let joined = left + (right.removingCodePointPrefix(continuingPrefix) ?? right)
            guard let id = vocabulary.id(joined) else {
                throw TokenizerError("merge \(rank + 1) ('\(left) \(right)') makes '\(joined)', which is not in the vocabulary")
            }
            table[Pair(left: a, right: b)] = (rank, id)  // a repeated merge takes its last rank, as tokenizers' map does
        }
        if let unknownToken, vocabulary.id(unknownToken) == nil {
            throw TokenizerError("the vocabulary has no unknown token '\(unknownToken)'")
        }
        self.vocabulary = vocabulary
        self.merges = table
        self.mergeList = merges
        self.unknownToken = unknownToken
        self.unknownID = unknownToken.flatMap(vocabulary.id)
        self.continuingPrefix = continuingPrefix
        self.endOfWordSuffix = endOfWordSuffix
    }

    /// One token of a word being merged: its id, where it lies in the word, and its neighbours (a linked list, so
    /// that a merge costs the same wherever it is).
    private struct Symbol {
        var id: Int
        var span: Range<Int>
        var previous: Int, next: Int
        /// False once merged into the symbol before it.
        var alive = true
    }

    /// A merge waiting in the queue: the pair starting at symbol `position`, as it was when queued.
    private struct Candidate: Comparable {
        var rank: Int, position: Int, pair: Pair, id: Int
        static func < (a: Candidate, b: Candidate) -> Bool { (a.rank, a.position) < (b.rank, b.position) }
    }

    public func tokenize(_ word: ArraySlice<Unicode.Scalar>, into ids: inout [Int], spans: inout [Range<Int>]) {
        var symbols = initialSymbols(word)
        var queue = Heap<Candidate>()
        func enqueue(_ position: Int) {
            let next = symbols[position].next
            guard next < symbols.count, let merge = merges[Pair(left: symbols[position].id, right: symbols[next].id)] else { return }
            queue.insert(Candidate(rank: merge.rank, position: position, pair: Pair(left: symbols[position].id, right: symbols[next].id), id: merge.id))
        }
        for position in symbols.indices { enqueue(position) }
        while let candidate = queue.popMin() {
            let position = candidate.position, next = symbols[position].next
            // skip merges made stale by an earlier one
            guard symbols[position].alive, next < symbols.count,
                  Pair(left: symbols[position].id, right: symbols[next].id) == candidate.pair else { continue }
            symbols[position].id = candidate.id
            symbols[position].span = symbols[position].span.lowerBound..<symbols[next].span.upperBound
            symbols[next].alive = false
            symbols[position].next = symbols[next].next
            if symbols[next].next < symbols.count { symbols[symbols[next].next].previous = position }
            if symbols[position].previous >= 0 { enqueue(symbols[position].previous) }
            enqueue(position)
        }
        for symbol in symbols where symbol.alive {
            ids.append(symbol.id)
            spans.append(symbol.span)
        }
    }

    /// The word's characters as symbols, with the continuing prefix and the end-of-word suffix; characters
    /// outside the vocabulary are each the unknown token, or dropped without one.
    private func initialSymbols(_ word: ArraySlice<Unicode.Scalar>) -> [Symbol] {
        var symbols = [Symbol]()
        symbols.reserveCapacity(word.count)
        for i in word.indices {
            var piece = i == word.startIndex ? "" : continuingPrefix
            piece.unicodeScalars.append(word[i])
            if i == word.endIndex - 1 { piece += endOfWordSuffix }
            guard let id = vocabulary.id(piece) ?? unknownID else { continue }
            symbols.append(Symbol(id: id, span: i..<i + 1, previous: symbols.count - 1, next: symbols.count + 1))
        }
        return symbols
    }
}
