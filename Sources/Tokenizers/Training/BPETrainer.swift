import HeapModule
import PythonText

/// huggingface/tokenizers' `BpeTrainer`: learns a BPE model from word counts. The vocabulary starts with the special
/// tokens, then the alphabet (each character of the words, and `initialAlphabet`, in code point order), then the
/// most frequent adjacent pair of symbols is merged into a new token, again and again, until the vocabulary has
/// `vocabularySize` tokens or no pair is frequent enough. Ties go to the pair of smaller ids, as in tokenizers, so a
/// byte-level BPE (every byte in the initial alphabet) learns the same merges in the same order.
///
/// tokenizers numbers the symbols a `continuingPrefix` or `endOfWordSuffix` makes in the order of a hash map, which
/// changes from run to run (two runs of its WordPiece trainer on the same text differ); here they are numbered in
/// the order the words were first seen.
public struct BPETrainer: Sendable {
    /// How many tokens to learn, special tokens and alphabet included (`vocab_size`).
    public var vocabularySize = 30_000
    /// The fewest times a pair must be seen to be merged (`min_frequency`).
    public var minimumFrequency = 0
    /// The tokens that come first in the vocabulary (`special_tokens`).
    public var specialTokens: [String] = []
    /// The most characters the alphabet keeps, the most frequent (`limit_alphabet`).
    public var alphabetLimit: Int?
    /// Characters in the alphabet even when the texts lack them (`initial_alphabet`; a byte-level BPE's 256).
    public var initialAlphabet: [Unicode.Scalar] = []
    /// What marks a symbol that continues a word (`continuing_subword_prefix`; WordPiece's `##`).
    public var continuingPrefix: String?
    /// What marks a symbol that ends a word (`end_of_word_suffix`).
    public var endOfWordSuffix: String?
    /// The most characters a learned token may have (`max_token_length`).
    public var maximumTokenLength: Int?

    public init() {}

    /// tokenizers' `WordPieceTrainer`: a BPE trainer whose symbols after a word's first carry the `##` prefix.
    public static var wordPiece: BPETrainer {
        var trainer = BPETrainer()
        trainer.continuingPrefix = "##"
        return trainer
    }

    /// What training learned: the tokens (the id of each is its index) and the merges in rank order.
    public struct Result: Sendable {
        public let tokens: [String]
        public let merges: [(String, String)]

        /// The tokens as a vocabulary.
        public var vocabulary: Vocabulary { get throws { try Vocabulary(entries: tokens.enumerated().map { ($1, $0) }) } }
    }

    /// Learns from `words` (each word and how often it was seen, in the order first seen).
    public func train(_ words: [(word: String, count: Int)]) -> Result {
        var vocabulary = SymbolTable()
        for token in specialTokens { vocabulary.add(token) }
        addAlphabet(of: words, to: &vocabulary)
        var symbols = words.map { symbolize($0.word, in: &vocabulary) }
        let counts = words.map(\.count)
        var pairCounts = [Pair: Int](), positions = [Pair: Set<Int>]()
        for (i, word) in symbols.enumerated() {
            for (a, b) in zip(word, word.dropFirst()) {
                pairCounts[Pair(a, b), default: 0] += counts[i]
                positions[Pair(a, b), default: []].insert(i)
            }
        }
        var queue = Heap<Candidate>()
        func enqueue(_ positions: inout [Pair: Set<Int>]) {
            for (pair, words) in positions where pairCounts[pair, default: 0] > 0 {
                queue.insert(Candidate(pair: pair, count: pairCounts[pair]!, positions: words))
            }
            positions = [:]
        }
        enqueue(&positions)
        var merges = [(pair: Pair, id: Int)]()
        var lengths = [Int: Int]()  // a merged token's length in characters (others have 1)
        let longest = maximumTokenLength ?? Int.max
        while vocabulary.count < vocabularySize, var top = queue.popMax() {
            if top.count != pairCounts[top.pair, default: 0] {  // counted again since queued
                top.count = pairCounts[top.pair, default: 0]
                queue.insert(top)
                continue
            }
            guard top.count >= 1, top.count >= minimumFrequency else { break }
            let right = vocabulary.tokens[top.pair.right]
            let id = vocabulary.add(vocabulary.tokens[top.pair.left] + (continuingPrefix.flatMap(right.removingCodePointPrefix) ?? right))
            lengths[id] = lengths[top.pair.left, default: 1] + lengths[top.pair.right, default: 1]
            merges.append((top.pair, id))
            let fits = { (a: Int, b: Int) in lengths[a, default: 1] + lengths[b, default: 1] < longest }
            for i in top.positions.sorted() {
                for (pair, change) in merge(top.pair, into: id, in: &symbols[i], fits: fits) {
                    pairCounts[pair, default: 0] += change * counts[i]
                    if change > 0 { positions[pair, default: []].insert(i) }
                }
            }
            enqueue(&positions)
        }
        // a pair merged twice (queued again with other words) keeps its last rank, as tokenizers' merge map does
        let last = Dictionary(merges.enumerated().map { ($1.pair, $0) }, uniquingKeysWith: max)
        let ranked = merges.enumerated().filter { last[$1.pair] == $0 }.map { (vocabulary.tokens[$1.pair.left], vocabulary.tokens[$1.pair.right]) }
        return Result(tokens: vocabulary.tokens, merges: ranked)
    }

    /// The characters of the words, weighted by count, and the initial alphabet; past `alphabetLimit` the rarest
    /// are left out (ties by code point); the rest join the vocabulary in code point order.
    private func addAlphabet(of words: [(word: String, count: Int)], to vocabulary: inout SymbolTable) {
        var seen = [Unicode.Scalar: Int]()
        for (word, count) in words { for c in word.unicodeScalars { seen[c, default: 0] += count } }
        for c in initialAlphabet { seen[c] = Int.max }
        var kept = seen.sorted { ($0.value, $0.key.value) < ($1.value, $1.key.value) }
        if let alphabetLimit, kept.count > alphabetLimit { kept.removeFirst(kept.count - Swift.max(alphabetLimit, 0)) }
        for c in kept.map(\.key).sorted(by: { $0.value < $1.value }) { vocabulary.add(String(c)) }
    }

    /// A word as the ids of its characters in the alphabet (others left out), the prefix on all but the first and
    /// the suffix on the last, each such form added to the vocabulary.
    private func symbolize(_ word: String, in vocabulary: inout SymbolTable) -> [Int] {
        let scalars = Array(word.unicodeScalars)
        return scalars.indices.compactMap { i in
            guard vocabulary.id(String(scalars[i])) != nil else { return nil }
            var symbol = String(scalars[i])
            if i > 0, let continuingPrefix { symbol = continuingPrefix + symbol }
            if i == scalars.count - 1, let endOfWordSuffix { symbol += endOfWordSuffix }
            return vocabulary.add(symbol)
        }
    }

    /// Merges every `pair` of `word` (left to right) into `id`, returning the pairs around each merge that went
    /// (-1) and came (+1), as tokenizers' `Word::merge` counts them (a new pair only when it `fits` the longest
    /// token allowed).
    private func merge(_ pair: Pair, into id: Int, in word: inout [Int], fits: (Int, Int) -> Bool) -> [(Pair, Int)] {
        var changes = [(Pair, Int)](), i = 0
        while i < word.count {
            if word[i] == pair.left, i + 1 < word.count, word[i + 1] == pair.right {
                if i > 0 {
                    changes.append((Pair(word[i - 1], pair.left), -1))
                    if fits(word[i - 1], id) { changes.append((Pair(word[i - 1], id), 1)) }
                }
                word.replaceSubrange(i...i + 1, with: [id])
                if i < word.count - 1 {
                    changes.append((Pair(pair.right, word[i + 1]), -1))
                    if fits(word[i + 1], id) { changes.append((Pair(id, word[i + 1]), 1)) }
                }
            }
            i += 1
        }
        return changes
    }
}

/// Two adjacent symbols' ids.
private struct Pair: Hashable {
    let left: Int, right: Int
    init(_ left: Int, _ right: Int) { (self.left, self.right) = (left, right) }
}

/// A pair waiting to be merged: its count when queued and the words it was seen in. The most frequent comes
/// first; among equals, the pair of smaller ids.
private struct Candidate: Comparable {
    let pair: Pair
    var count: Int
    let positions: Set<Int>

    static func < (a: Candidate, b: Candidate) -> Bool {
        a.count != b.count ? a.count < b.count : (a.pair.left, a.pair.right) > (b.pair.left, b.pair.right)
    }
    static func == (a: Candidate, b: Candidate) -> Bool { a.count == b.count && a.pair == b.pair }
}

/// Tokens numbered in the order they are added, told apart by their code points (as tokenizers compares bytes).
private struct SymbolTable {
    private var ids = [CodePointKey: Int]()
    private(set) var tokens = [String]()
    var count: Int { tokens.count }

    /// The token's id, if it is here.
    func id(_ token: String) -> Int? { ids[CodePointKey(token)] }

    /// The token's id, adding it if it is new.
    @discardableResult
    mutating func add(_ token: String) -> Int {
        if let id = id(token) { return id }
        ids[CodePointKey(token)] = tokens.count
        tokens.append(token)
        return tokens.count - 1
    }
}
