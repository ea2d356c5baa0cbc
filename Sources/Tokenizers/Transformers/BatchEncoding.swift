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
