import Foundation
import PythonText

/// huggingface/tokenizers' `UnigramTrainer` (0.20.3, `models/unigram/trainer.rs`): learns a Unigram model from word
/// counts. The seed pieces are every character and every repeated substring of the words (from a suffix array, as
/// esaxx finds them), scored by frequency times length; then EM rounds (an E-step over each word's lattice, a
/// digamma M-step that drops pieces expected less than half a time) alternate with pruning, which keeps the pieces
/// whose removal would cost the likelihood most, until the vocabulary is within a tenth of `vocabularySize`; last,
/// every character of the words joins, and the special tokens come first.
///
/// tokenizers walks the words in a hash map's order and splits the E-step over threads, so its scores change in the
/// last digits from run to run. This trainer is one such run, the same every time: the words in the order first
/// seen, the characters in the order first seen, the E-step summed as one chunk (one thread's order; its lattices
/// are worked out on every core). It matches, float for float, the emulation verified against tokenizers 0.20.3
/// (scripts/fixtures/unigram_trainer_emulation.py) run that way.
/// Where tokenizers never ends (rounds that prune nothing, as with `vocab_size=0` or a shrinking factor of 1 or more),
/// this one stops after `stalledRoundsLimit` such rounds and keeps what it has.
public struct UnigramTrainer: Sendable {
    /// How many pieces to learn, special tokens included (`vocab_size`); often a few less are kept.
    public var vocabularySize = 8000
    /// The EM rounds between two prunings (`n_sub_iterations`).
    public var subIterations = 2
    /// The share of the pieces each pruning keeps at least (`shrinking_factor`).
    public var shrinkingFactor = 0.75
    /// The tokens that come first in the vocabulary (`special_tokens`).
    public var specialTokens: [String] = []
    /// Characters in the vocabulary even when the texts lack them (`initial_alphabet`).
    public var initialAlphabet: [Unicode.Scalar] = []
    /// The unknown piece (`unk_token`): the special token that is it, or one put first when none is.
    public var unknownToken: String?
    /// The most characters a piece may have (`max_piece_length`).
    public var maximumPieceLength = 16
    /// The most seed pieces (`seed_size`; the characters always stay).
    public var seedSize = 1_000_000

    public init() {}

    /// What training learned: the pieces with their scores (the id of each is its position) and the unknown id.
    public struct Result: Sendable {
        public let pieces: [(piece: String, score: Double)]
        public let unknownID: Int?
    }

    /// The reasons training stops, in tokenizers' words.
    public enum Failure: PythonRaisable, Equatable {
        /// tokenizers raises them as `Exception` (its panics as `PanicException`, which sbpl does not have).
        public var exceptionKind: ExceptionKind { .exception }

        /// More distinct characters than `vocabularySize`.
        case alphabetTooLarge
        /// A word whose likelihood is not a number: it holds the trainer's own `<UNK>` piece, whose score is NaN
        /// (tokenizers panics there).
        case likelihoodIsNaN
        /// A pruning loss that is not a number (tokenizers panics there too).
        case lossIsNaN

        public var description: String {
            switch self {
            case .alphabetTooLarge: "The vocabulary is not large enough to contain all chars"
            case .likelihoodIsNaN: "likelihood is NAN. Input sentence may be too long. (a text holds '<UNK>', the piece "
                + "tokenizers' UnigramTrainer keeps for itself, on which tokenizers 0.20.3 panics)"
            case .lossIsNaN: "a piece's pruning loss is NAN (tokenizers 0.20.3 panics here)"
            }
        }
    }

    /// Learns from `words` (each word and how often it was seen, in the order first seen).
    public func train(_ words: [(word: String, count: Int)]) throws -> Result {
        let sentences = words.map { (scalars: Array($0.word.unicodeScalars), count: $0.count) }
        let seeds = seedPieces(sentences)
        let requiredCharacters = requiredCharacters(sentences)
        guard requiredCharacters.count <= vocabularySize else { throw Failure.alphabetTooLarge }
        let lexicon = Lexicon(["<UNK>"] + seeds.map(\.piece))
        let corpus = try Corpus(sentences, lexicon)
        var pieces = [Piece(seed: 0, score: .nan)] + seeds.enumerated().map { Piece(seed: $0 + 1, score: $1.score) }
        var model = lexicon.model(pieces)
        let desiredSize = vocabularySize * 11 / 10
        var stalledRounds = 0
        while true {
            let before = pieces.count
            for _ in 0..<subIterations {
                let expected = try expectedCounts(model, corpus)
                pieces = maximized(pieces, expected)
                model = lexicon.model(pieces)
            }
            if pieces.count <= desiredSize { break }
            pieces = try pruned(model, corpus)
            model = lexicon.model(pieces)
            // where tokenizers loops forever (nothing left to prune below a vocabulary too small, or a shrinking
            // factor of 1 or more), stop after a few rounds that remove nothing
            stalledRounds = pieces.count < before ? 0 : stalledRounds + 1
            if stalledRounds == Self.stalledRoundsLimit { break }
        }
        return finalized(model, requiredCharacters)
    }

    /// How many EM and pruning rounds in a row may leave the vocabulary as large before training stops.
    static let stalledRoundsLimit = 20

    /// A piece of a model being trained: its seed's number (0 for `<UNK>`) and its score.
    struct Piece {
        let seed: Int
        var score: Double
    }

    /// Every seed piece's text, once, in a trie (`Unigram::from`'s: a seed repeating `<UNK>` takes its place), and
    /// the model of a set of them.
    struct Lexicon {
        let texts: [String]
        let trie: PieceTrie

        init(_ texts: [String]) {
            self.texts = texts
            trie = PieceTrie(texts, repeated: .last)
        }

        /// A seed piece in a word: where it starts, its length and its seed's number.
        struct Match {
            let start: Int32, length: Int32, seed: Int32
        }

        /// The seed pieces `word` holds, by position, the shortest first (as tokenizers' trie finds them).
        func matches(in word: [Unicode.Scalar]) -> [Match] {
            var matches = [Match]()
            for start in word.indices {
                trie.prefixes(of: word[start...]) { matches.append(Match(start: Int32(start), length: Int32($0), seed: Int32($1))) }
            }
            return matches
        }

        func model(_ pieces: [Piece]) -> Model {
            var ids = [Int](repeating: -1, count: texts.count)
            for (id, piece) in pieces.enumerated() { ids[piece.seed] = id }
            let minimum = pieces.reduce(Double.infinity) { $1.score < $0 ? $1.score : $0 }  // NaN never lower
            return Model(pieces: pieces, ids: ids, minimumScore: minimum, lexicon: self)
        }
    }

    /// The words trained on, with their counts and the seed pieces each holds, found once: every model after the
    /// seeds keeps some of them.
    struct Corpus {
        let lengths: [Int]
        let counts: [Int]
        let matches: [[Lexicon.Match]]

        init(_ sentences: [(scalars: [Unicode.Scalar], count: Int)], _ lexicon: Lexicon) throws {
            lengths = sentences.map(\.scalars.count)
            counts = sentences.map(\.count)
            matches = try TokenizersParallelism.map(sentences.count) { lexicon.matches(in: sentences[$0].scalars) }
        }

        var count: Int { counts.count }
    }

    /// A Unigram model while training (tokenizers' `Unigram` with `unk_id` 0): its pieces, the id of each seed it
    /// keeps (-1 for the others) and its lowest score.
    struct Model {
        let pieces: [Piece]
        let ids: [Int]
        let minimumScore: Double
        let lexicon: Lexicon

        /// The text of piece `id`.
        func text(_ id: Int) -> String { lexicon.texts[pieces[id].seed] }

        /// Fills `lattice` for a word of `length` code points with the pieces of this model among its seed `matches`,
        /// or the unknown piece (scored 10 below the lowest) where no piece of one character starts
        /// (`Unigram::populate_nodes`).
        func populate(_ lattice: inout TrainingLattice, length: Int, _ matches: [Lexicon.Match]) {
            lattice.reset(length: length, bosID: pieces.count + 1, eosID: pieces.count + 2)
            let unknownScore = minimumScore - 10
            var next = 0
            for start in 0..<length {
                var hasOne = false
                while next < matches.count, matches[next].start == start {
                    let match = matches[next]
                    next += 1
                    let id = ids[Int(match.seed)]
                    guard id >= 0 else { continue }
                    lattice.insert(start: start, length: Int(match.length), score: pieces[id].score, id: id)
                    if match.length == 1 { hasOne = true }
                }
                if !hasOne { lattice.insert(start: start, length: 1, score: unknownScore, id: 0) }
            }
            lattice.index()
        }
    }

    /// `body` over `0..<count` in runs of a few hundred, on every core (results and errors as a loop in order gives
    /// them: the trainer's sums are then made in order, so that threads change nothing).
    private static func inChunks<T>(_ count: Int, _ body: (Range<Int>) throws -> T) throws -> [T] {
        let size = 256
        return try TokenizersParallelism.map((count + size - 1) / size) { try body($0 * size..<min(count, ($0 + 1) * size)) }
    }

    /// The seed pieces (`make_seed_sentence_pieces`): the characters by count (ties by the higher code point), then the
    /// repeated substrings of the words (each distinct word once) of two to `maximumPieceLength` characters, scored by
    /// occurrences times length, the highest first (ties by the higher code points, a longer string first), up to
    /// `seedSize` pieces; scores as log-probabilities over their sum.
    func seedPieces(_ sentences: [(scalars: [Unicode.Scalar], count: Int)]) -> [(piece: String, score: Double)] {
        var flat = [UInt32](), characterCounts = [UInt32: Int]()
        for (scalars, count) in sentences where !scalars.isEmpty {
            for c in scalars {
                flat.append(c.value)
                if c.value != 0 { characterCounts[c.value, default: 0] += count }
            }
            flat.append(0)
        }
        // where the next separator is, to tell a substring that crosses words
        var nextSeparator = [Int](repeating: flat.count, count: flat.count + 1)
        for i in stride(from: flat.count - 1, through: 0, by: -1) { nextSeparator[i] = flat[i] == 0 ? i : nextSeparator[i + 1] }
        var substrings = [(score: UInt32, text: ArraySlice<UInt32>)]()
        for node in SuffixArray.repeats(in: flat)
        where node.length > 1 && node.length <= maximumPieceLength && nextSeparator[node.start] >= node.start + node.length {
            substrings.append((UInt32(truncatingIfNeeded: node.count * node.length), flat[node.start..<node.start + node.length]))
        }
        substrings.sort { $0.score != $1.score ? $0.score > $1.score : $1.text.lexicographicallyPrecedes($0.text) }
        let characters = characterCounts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key > $1.key }
        var seeds = characters.map { (piece: String(Unicode.Scalar($0.key)!), score: Double($0.value)) }
        for (score, text) in substrings {
            seeds.append((String(String.UnicodeScalarView(text.map { Unicode.Scalar($0)! })), Double(score)))
            if seeds.count >= seedSize { break }
        }
        var sum = 0.0
        for seed in seeds { sum += seed.score }
        let logSum = log(sum)
        return seeds.map { ($0.piece, log($0.score) - logSum) }
    }

    /// Every character of the words, then of the initial alphabet, once, in the order first seen.
    private func requiredCharacters(_ sentences: [(scalars: [Unicode.Scalar], count: Int)]) -> [Unicode.Scalar] {
        var seen = Set<Unicode.Scalar>(), order = [Unicode.Scalar]()
        for (scalars, _) in sentences { for c in scalars where seen.insert(c).inserted { order.append(c) } }
        for c in initialAlphabet where seen.insert(c).inserted { order.append(c) }
        return order
    }

    /// The E-step (`run_e_step`, in one chunk): each piece's expected count over all words, summed word after word
    /// (the words' lattices worked out on every core, their shares added in order).
    private func expectedCounts(_ model: Model, _ corpus: Corpus) throws -> [Double] {
        let shares = try Self.inChunks(corpus.count) { words in
            var lattice = TrainingLattice(), shares = [(id: Int, share: Double)]()
            for i in words {
                model.populate(&lattice, length: corpus.lengths[i], corpus.matches[i])
                let z = lattice.populateMarginal(frequency: Double(corpus.counts[i]), into: &shares)
                if z.isNaN { throw Failure.likelihoodIsNaN }
            }
            return shares
        }
        var expected = [Double](repeating: 0, count: model.pieces.count)
        for run in shares { for (id, share) in run { expected[id] += share } }
        return expected
    }

    /// The M-step (`run_m_step`): the pieces expected at least half a time (and `<UNK>`), each scored
    /// digamma(expected) - digamma(total).
    private func maximized(_ pieces: [Piece], _ expected: [Double]) -> [Piece] {
        var kept = [Piece](), sum = 0.0
        for (i, piece) in pieces.enumerated() {
            if i == 0 {
                kept.append(Piece(seed: piece.seed, score: .nan))
                continue
            }
            if expected[i] < 0.5 { continue }
            kept.append(Piece(seed: piece.seed, score: expected[i]))
            sum += expected[i]
        }
        let logSum = Self.digamma(sum)
        for i in kept.indices.dropFirst() { kept[i].score = Self.digamma(kept[i].score) - logSum }
        return kept
    }

    /// `value as usize`, as Rust converts: NaN and below zero as 0, past the largest as the largest.
    private static func saturatingInt(_ value: Double) -> Int {
        value.isNaN || value <= 0 ? 0 : value >= Double(Int.max) ? Int.max : Int(value)
    }

    /// trainer.rs's `digamma`, evaluated as it is written.
    static func digamma(_ value: Double) -> Double {
        var x = value, result = 0.0
        while x < 7 {
            result -= 1 / x
            x += 1
        }
        x -= 1.0 / 2.0
        let xx = 1 / x, xx2 = xx * xx, xx4 = xx2 * xx2
        let head = log(x) + (1.0 / 24.0) * xx2 - 7.0 / 960.0 * xx4  // one expression in Rust, left to right
        result += head + (31.0 / 8064.0) * xx4 * xx2 - (127.0 / 30720.0) * xx4 * xx4
        return result
    }

    /// One pruning (`prune_sentence_pieces`): each piece that another cut of its own text could replace loses the
    /// likelihood its removal would cost, and the pieces that lose most are kept, up to the larger of a tenth over
    /// `vocabularySize` and `shrinkingFactor` of the pieces. Pieces no other cut replaces stay.
    private func pruned(_ model: Model, _ corpus: Corpus) throws -> [Piece] {
        let pieces = model.pieces, count = pieces.count
        // whether each piece stays whatever its loss, and the other cut of its text (`nbest(2)` of the piece alone)
        let choices = try Self.inChunks(count) { ids in
            var lattice = TrainingLattice()
            return ids.map { i -> (alwaysKeep: Bool, alternatives: [Int]) in
                if i == 0 { return (false, []) }
                let text = Array(model.text(i).unicodeScalars)
                model.populate(&lattice, length: text.count, model.lexicon.matches(in: text))
                let best = lattice.nbest(2)
                if best.count <= 1 { return (true, []) }
                if best[0].count >= 2 { return (false, []) }
                if best[0].count == 1 { return (true, best[1].map { lattice.ids[$0] }) }
                return (true, [])
            }
        }.flatMap { $0 }
        let alternatives = choices.map(\.alternatives)
        // the best cut of each word: how often each piece is used
        let paths = try Self.inChunks(corpus.count) { words in
            var lattice = TrainingLattice()
            return words.map { i in
                model.populate(&lattice, length: corpus.lengths[i], corpus.matches[i])
                return lattice.viterbi().map { lattice.ids[$0] }
            }
        }.flatMap { $0 }
        var frequency = [Double](repeating: 0, count: count), total = 0.0
        for (index, path) in paths.enumerated() {
            total += Double(corpus.counts[index])
            for id in path { frequency[id] += Double(corpus.counts[index]) }
        }
        var sum = 0.0
        for f in frequency { sum += f }
        let logSum = log(sum)
        var candidates = [(id: Int, loss: Double)](), kept = [pieces[0]]
        for i in 1..<count {
            if frequency[i] == 0 && !choices[i].alwaysKeep { continue }
            if alternatives[i].isEmpty {
                kept.append(pieces[i])
                continue
            }
            // tokenizers sums the counts of the words in the piece's inverted list, which are the same counts in the same
            // order as its frequency's
            var f = frequency[i]
            if f == 0 || f.isNaN { continue }
            f /= total
            let logProbability = log(frequency[i]) - logSum
            // tokenizers counts all the pieces here (`alternatives.len()`), not this piece's alternatives
            let logSumAlternative = log(sum + frequency[i] * Double(count - 1))
            var logProbabilityAlternative = 0.0
            for n in alternatives[i] { logProbabilityAlternative += log(frequency[n] + frequency[i]) - logSumAlternative }
            let loss = f * (logProbability - logProbabilityAlternative)
            if loss.isNaN { throw Failure.lossIsNaN }
            candidates.append((i, loss))
        }
        let prunedSize = max(vocabularySize * 11 / 10, Self.saturatingInt(Double(count) * shrinkingFactor))
        candidates.sort { $0.loss != $1.loss ? $0.loss > $1.loss : $0.id < $1.id }  // stable
        for (id, _) in candidates {
            if kept.count == prunedSize { break }
            kept.append(pieces[id])
        }
        return kept
    }

    /// The vocabulary (`finalize`): the required characters (with the model's score, or just below its lowest), then
    /// the model's pieces up to the size asked, sorted by score (NaN as 0), after the special tokens and, when the
    /// unknown token is none of them, the unknown token.
    private func finalized(_ model: Model, _ requiredCharacters: [Unicode.Scalar]) -> Result {
        var scores = [CodePointKey: Double]()  // pieces told apart by code points, as tokenizers compares bytes
        for id in model.pieces.indices { scores[CodePointKey(model.text(id))] = model.pieces[id].score }
        var pieces = [(piece: String, score: Double)](), inserted: Set = [CodePointKey("<UNK>")], penalty = 0.0
        for c in requiredCharacters.map(String.init) {
            inserted.insert(CodePointKey(c))
            if let score = scores[CodePointKey(c)] {
                pieces.append((c, score))
            } else {
                pieces.append((c, model.minimumScore + penalty))
                penalty += 0.0001
            }
        }
        var unknownID: Int?, addsUnknown = false
        if let unknownToken {
            unknownID = specialTokens.firstIndex { CodePointKey($0) == CodePointKey(unknownToken) }
            if unknownID == nil { (unknownID, addsUnknown) = (0, true) }
        }
        let limit = vocabularySize - specialTokens.count - (addsUnknown ? 1 : 0)  // below 0 never reached, as in Rust
        for (id, piece) in model.pieces.enumerated() {
            let text = model.text(id)
            guard inserted.insert(CodePointKey(text)).inserted else { continue }
            pieces.append((text, piece.score.isNaN ? 0 : piece.score))
            if pieces.count == limit { break }
        }
        let sorted = pieces.enumerated().sorted { $0.element.score != $1.element.score ? $0.element.score > $1.element.score : $0.offset < $1.offset }
        let special = (addsUnknown ? [unknownToken ?? ""] : []) + specialTokens
        return Result(pieces: special.map { ($0, 0.0) } + sorted.map(\.element), unknownID: unknownID)
    }
}
