import TensorCore

/// What a tokenizer call returns: named fields in order (`input_ids`, `token_type_ids`, `attention_mask`), each
/// a list of ids, a list of lists, or an int64 tensor, printed as Python prints the dict.
public struct BatchEncoding: Sendable, CustomStringConvertible {
    /// One field's value.
    public enum Field: Sendable {
        case ids([Int])
        case batch([[Int]])
        case tensor(Tensor)
        /// `offset_mapping` as lists: `(start, end)` tuples, one list per sequence when `batched`.
        case offsets([[Range<Int>]], batched: Bool)

        /// The field as an int64 tensor of shape `[batch, length]` (a single sequence is a batch of one).
        public func asTensor() throws -> Tensor {
            switch self {
            case .tensor(let t): return t.rank == 1 ? try t.unsqueezed(0) : t
            case .offsets: throw TokenizerError("offset_mapping is not a model input")
            case .ids(let ids): return Tensor(ints: ids.map(Int64.init), shape: [1, ids.count])
            case .batch(let rows):
                let width = rows.first?.count ?? 0
                guard rows.allSatisfy({ $0.count == width }) else {
                    throw TokenizerError("sequences in the batch have different lengths: pad them (padding=True) to make a tensor")
                }
                return Tensor(ints: rows.flatMap { $0.map(Int64.init) }, shape: [rows.count, width])
            }
        }

        /// The field's ids, one list per sequence (a single sequence is a batch of one).
        public func rows() throws -> [[Int]] {
            let t = try asTensor(), width = t.shape[1]
            let flat = t.int64s().map(Int.init)
            return (0..<t.shape[0]).map { Array(flat[$0 * width..<($0 + 1) * width]) }
        }

        var repr: String {
            switch self {
            case .ids(let ids): return "[" + ids.map(String.init).joined(separator: ", ") + "]"
            case .batch(let rows): return "[" + rows.map { Field.ids($0).repr }.joined(separator: ", ") + "]"
            case .tensor(let t): return t.description
            case .offsets(let rows, let batched):
                let lists = rows.map { "[" + $0.map { "(\($0.lowerBound), \($0.upperBound))" }.joined(separator: ", ") + "]" }
                return batched ? "[" + lists.joined(separator: ", ") + "]" : lists.first ?? "[]"
            }
        }
    }

    /// Field names, in the order transformers returns them.
    public private(set) var keys: [String] = []
    private var fields: [String: Field] = [:]
    /// The WordPiece tokens of each sequence (`encoding.tokens(i)`).
    public let tokens: [[String]]
    /// For each token of each sequence, the index of the word it comes from (`encoding.word_ids(i)`) and the
    /// sequence of a pair it belongs to (`encoding.sequence_ids(i)`); nil for special and padding tokens.
    public let wordIDs: [[Int?]]
    public let sequenceIDs: [[Int?]]
    /// Where each token of each sequence lies in its text, in code points (`offset_mapping`).
    public let offsets: [[Range<Int>]]

    init(tokens: [[String]], wordIDs: [[Int?]], sequenceIDs: [[Int?]], offsets: [[Range<Int>]]) {
        self.tokens = tokens
        self.wordIDs = wordIDs
        self.sequenceIDs = sequenceIDs
        self.offsets = offsets
    }

    /// An encoding of given tensors, with no tokens behind them (`tokenizer.pad(...)` of features, a data collator's
    /// batch).
    public init(tensors: [(name: String, tensor: Tensor)]) {
        self.init(tokens: [], wordIDs: [], sequenceIDs: [], offsets: [])
        for (name, tensor) in tensors { self[name] = .tensor(tensor) }
    }

    /// The field `key`, if present.
    public subscript(key: String) -> Field? {
        get { fields[key] }
        set {
            if fields[key] == nil { keys.append(key) }
            fields[key] = newValue
            if newValue == nil { keys.removeAll { $0 == key } }
        }
    }

    /// `repr(encoding)`: `{'input_ids': tensor([[  101, ...]]), 'attention_mask': ...}`.
    public var description: String {
        "{" + keys.map { "'\($0)': \(fields[$0]!.repr)" }.joined(separator: ", ") + "}"
    }
}

/// The fast tokenizer's alignment methods (`encoding.char_to_token(7)`, `word_to_tokens(1)`, ...): between
/// characters of a text, its words and its tokens, for sequence `batch` of the encoding; nil where transformers
/// gives None (a special or padding token, a position no token covers).
extension BatchEncoding {
    /// The token of sequence `sequence` (0 or 1 of a pair) whose span holds character `char`.
    public func charToToken(_ batch: Int, _ char: Int, sequence: Int = 0) -> Int? {
        row(batch).indices.first { sequenceIDs[batch][$0] == sequence && offsets[batch][$0].contains(char) }
    }

    /// The characters token `token` covers, nil for a special token.
    public func tokenToChars(_ batch: Int, _ token: Int) -> Range<Int>? {
        guard row(batch).indices.contains(token), sequenceIDs[batch][token] != nil else { return nil }
        return offsets[batch][token]
    }

    /// The word token `token` comes from.
    public func tokenToWord(_ batch: Int, _ token: Int) -> Int? {
        row(batch).contains(token) ? wordIDs[batch][token] : nil
    }

    /// The sequence of a pair (0 or 1) token `token` is in.
    public func tokenToSequence(_ batch: Int, _ token: Int) -> Int? {
        row(batch).contains(token) ? sequenceIDs[batch][token] : nil
    }

    /// The tokens `start..<end` of word `word` in sequence `sequence`.
    public func wordToTokens(_ batch: Int, _ word: Int, sequence: Int = 0) -> Range<Int>? {
        let tokens = row(batch).indices.filter { wordIDs[batch][$0] == word && sequenceIDs[batch][$0] == sequence }
        guard let first = tokens.first, let last = tokens.last else { return nil }
        return first..<(last + 1)
    }

    /// The characters word `word` of sequence `sequence` spans.
    public func wordToChars(_ batch: Int, _ word: Int, sequence: Int = 0) -> Range<Int>? {
        wordToTokens(batch, word, sequence: sequence).map { offsets[batch][$0.lowerBound].lowerBound..<offsets[batch][$0.upperBound - 1].upperBound }
    }

    /// The word of the token that holds character `char`.
    public func charToWord(_ batch: Int, _ char: Int, sequence: Int = 0) -> Int? {
        charToToken(batch, char, sequence: sequence).flatMap { wordIDs[batch][$0] }
    }

    private func row(_ batch: Int) -> Range<Int> { tokens.indices.contains(batch) ? tokens[batch].indices : 0..<0 }
}
