/// The Unigram model (`models.Unigram`, SentencePiece's): each piece has a log-probability score, and a word is cut
/// into the pieces whose scores sum highest (Viterbi over the word's code points, as huggingface/tokenizers'
/// `encode_optimized`). A code point no piece starts with is the unknown piece, scored 10 below the lowest score;
/// unknown pieces next to each other are fused into one. With `byteFallback`, an unknown run becomes the
/// `<0xXX>` pieces of its UTF-8 bytes when the vocabulary has them all.
public struct Unigram: TokenizerModel {
    public let vocabulary: Vocabulary
    /// Each piece's score, by id.
    public let scores: [Double]
    public let unknownID: Int?
    public let byteFallback: Bool
    private let trie: PieceTrie
    /// The score of an unknown code point: the lowest piece score minus 10 (`K_UNK_PENALTY`).
    private let unknownScore: Double

    public var unknownToken: String? { unknownID.flatMap(vocabulary.token) }
    public var keepsUnknownText: Bool { true }

    /// A Unigram model from `tokenizer.json`'s `[piece, score]` list (the id is the position; a piece listed twice is
    /// found at its last id, as in tokenizers).
    public init(pieces: [(String, Double)], unknownID: Int?, byteFallback: Bool = false) throws {
        if let unknownID, !pieces.indices.contains(unknownID) {
            throw TokenizerError("unk_id \(unknownID) is not the id of a piece (there are \(pieces.count))")
        }
        vocabulary = Vocabulary(positions: pieces.map(\.0))
        scores = pieces.map(\.1)
        trie = PieceTrie(pieces.map(\.0), repeated: .last)
        unknownScore = (scores.min() ?? 0) - 10
        self.unknownID = unknownID
        self.byteFallback = byteFallback
    }

    public func tokenize(_ word: ArraySlice<Unicode.Scalar>, into ids: inout [Int], spans: inout [Range<Int>]) {
        let best = UnigramLattice.bestPieces(word, trie: trie, unknownScore: unknownScore) { scores[$0] }
        for piece in best {
            let span = piece.span.lowerBound + word.startIndex..<piece.span.upperBound + word.startIndex
            let pieceIDs = piece.id.map { [$0] } ?? unknownPiece(word[span])
            ids += pieceIDs
            spans += repeatElement(span, count: pieceIDs.count)
        }
    }

    /// The ids of an unknown run: the piece that is its text, its bytes' pieces with `byteFallback`, or the unknown id.
    private func unknownPiece(_ text: ArraySlice<Unicode.Scalar>) -> [Int] {
        let string = String(String.UnicodeScalarView(text))
        if let id = vocabulary.id(string) { return [id] }
        if byteFallback {
            let bytes = string.utf8.map { vocabulary.id("<0x" + String($0, radix: 16, uppercase: true).leftPadded(to: 2) + ">") }
            if bytes.allSatisfy({ $0 != nil }) { return bytes.compactMap { $0 } }
        }
        return unknownID.map { [$0] } ?? []
    }
}

/// The Viterbi search Unigram models share (huggingface/tokenizers' `encode_optimized`, sentencepiece's
/// `EncodeOptimized`): for each position of a word, the best-scoring path of pieces that ends there, a code point no
/// piece covers alone being an unknown piece; `Score` is the type the scores are summed in (sentencepiece's
/// `float`, tokenizers' `f64`).
enum UnigramLattice {
    /// The best way to reach one position of the word: the score of the path, where its last piece starts and which
    /// piece it is (nil for an unknown code point).
    private struct Node<Score: BinaryFloatingPoint> {
        var score: Score = 0
        var start: Int?
        var id: Int?
    }

    /// The pieces of the best path through `word`, in order, each span counted from the word's start, unknown
    /// neighbours fused into one run; `score` gives a piece's score, nil for a piece never chosen (unused).
    static func bestPieces<Score: BinaryFloatingPoint>(_ word: ArraySlice<Unicode.Scalar>, trie: PieceTrie, unknownScore: Score,
                                                       score: (Int) -> Score?) -> [(span: Range<Int>, id: Int?)] {
        var best = [Node<Score>](repeating: Node(), count: word.count + 1)
        for start in 0..<word.count {
            let reached = best[start].score
            var coversOne = false
            func offer(_ end: Int, _ id: Int?, _ score: Score) {
                if best[end].start == nil || reached + score > best[end].score {
                    best[end] = Node(score: reached + score, start: start, id: id)
                }
            }
            trie.prefixes(of: word.dropFirst(start)) { length, id in
                guard let pieceScore = score(id) else { return }
                offer(start + length, id, pieceScore)
                if length == 1 { coversOne = true }
            }
            if !coversOne { offer(start + 1, nil, unknownScore) }
        }
        var pieces = [(span: Range<Int>, id: Int?)]()
        var end = word.count
        while end > 0, let start = best[end].start {
            if best[end].id == nil, let last = pieces.last, last.id == nil {
                pieces[pieces.count - 1].span = start..<last.span.upperBound  // fuse unknown neighbours
            } else {
                pieces.append((start..<end, best[end].id))
            }
            end = start
        }
        return pieces.reversed()
    }
}

/// The pieces of a Unigram vocabulary in a trie over code points, to find every piece a text starts with. Its edges
/// sit in one table keyed by (node, code point), so a vocabulary of a million pieces (a Unigram trainer's seeds)
/// costs no dictionary per node.
struct PieceTrie: Sendable {
    /// Which id a piece listed more than once keeps: its first (sentencepiece's) or its last (a Rust `HashMap` filled
    /// in order, as tokenizers' `Unigram::from` fills `token_to_ids`).
    enum Repeated: Sendable { case first, last }

    private var children = [UInt64: Int32]()
    /// The id of the piece that ends at each node, -1 where none does.
    private var ids: [Int32] = [-1]

    /// A trie of `pieces`, each with its position as id (empty ones are left out).
    init(_ pieces: [String], repeated: Repeated = .first) {
        for (id, piece) in pieces.enumerated() {
            var node: Int32 = 0
            for c in piece.unicodeScalars {
                let edge = Self.edge(node, c)
                if let child = children[edge] { node = child; continue }
                ids.append(-1)
                node = Int32(ids.count - 1)
                children[edge] = node
            }
            if node > 0, repeated == .last || ids[Int(node)] < 0 { ids[Int(node)] = Int32(id) }
        }
    }

    private static func edge(_ node: Int32, _ c: Unicode.Scalar) -> UInt64 { UInt64(node) << 32 | UInt64(c.value) }

    /// Calls `found` with the length and id of each piece `text` starts with, shortest first.
    func prefixes(of text: ArraySlice<Unicode.Scalar>, _ found: (Int, Int) -> Void) {
        var node: Int32 = 0
        for (length, c) in text.enumerated() {
            guard let child = children[Self.edge(node, c)] else { return }
            node = child
            if ids[Int(node)] >= 0 { found(length + 1, Int(ids[Int(node)])) }
        }
    }
}

extension String {
    /// The string with zeros in front up to `width` characters.
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
