import Language
import TensorCore
import Tokenizers

/// What a tokenizer call returns, as transformers' `BatchEncoding` (a `UserDict`): a mapping of its fields that
/// prints as a dict, each key also an attribute (`encoding.input_ids`), with the dict methods and the fast
/// tokenizer's `tokens()`, `word_ids()` and `sequence_ids()`.
final class EncodingObject: MappingObject {
    /// The fields, as values: lists of ids, tensors, or numpy arrays.
    let data = PyDict()
    let encoding: BatchEncoding

    /// `encoding` as values; its tensors as numpy arrays if `numpy`.
    init(_ encoding: BatchEncoding, numpy: Bool = false) throws {
        self.encoding = encoding
        for key in encoding.keys {
            switch encoding[key]! {
            case .ids(let ids): try data.set(.str(key), .list(PyList(ids.map(Value.int))))
            case .batch(let rows):  // made on every core as the rows were, unless TOKENIZERS_PARALLELISM is off
                try data.set(.str(key), .list(PyList(try TokenizersParallelism.map(rows.count) { .list(PyList(rows[$0].map(Value.int))) })))
            case .tensor(let t): try data.set(.str(key), numpy ? .object(NDArrayObject(t)) : .tensor(t))
            case .offsets(let rows, let batched):
                let lists = rows.map { Value.list(PyList($0.map { .tuple([.int($0.lowerBound), .int($0.upperBound)]) })) }
                try data.set(.str(key), batched ? .list(PyList(lists)) : lists.first ?? .list(PyList([])))
            }
        }
    }

    /// A copy of `other`'s fields (`encoding.copy()`), or the fields of a dict (`BatchEncoding(data)`).
    private init(_ encoding: BatchEncoding, fields: [(Value, Value)]) throws {
        self.encoding = encoding
        for (key, value) in fields { try data.set(key, value) }
    }

    /// `transformers.BatchEncoding`: `BatchEncoding(data=None, tensor_type=None)` makes one of a dict's fields.
    static var type: Value {
        .object(TypeObject("BatchEncoding", qualified: "transformers.tokenization_utils_base.BatchEncoding") { arguments in
            let a = try arguments.bind("BatchEncoding", ["data", "encoding", "tensor_type", "prepend_batch_axis", "n_sequences"])
            let fields = try a[0].given.map { try Iteration.mappingItems($0) } ?? []
            let made = try EncodingObject(BatchEncoding(tensors: []), fields: fields)
            return .object(try made.converted(to: a[2], prependingBatchAxis: try a[3]?.isTruthy() ?? false))
        })
    }

    /// `convert_to_tensors(tensor_type)`: each field made a tensor ("pt") or numpy array ("np"), in place, with
    /// transformers' error for ragged lists; None leaves them as they are.
    private func converted(to kind: Value?, prependingBatchAxis: Bool) throws -> EncodingObject {
        guard let kind = kind.given else { return self }
        let name = try kind.asString("tensor_type"), numpy = name == "np"
        guard numpy || name == "pt" else {
            throw PyError.value("sbpl converts a BatchEncoding to PyTorch tensors ('pt') or numpy arrays ('np'), not \(kind.repr)")
        }
        for key in mappingKeys {
            guard let value = mappingValue(key) else { continue }
            if case .tensor = value, !numpy, !prependingBatchAxis { continue }
            let tensor = try Self.fieldTensor(key, prependingBatchAxis ? .list(PyList([value])) : value)
            try data.set(.str(key), numpy ? .object(NDArrayObject(tensor)) : .tensor(tensor))
        }
        return self
    }

    /// A field's values as one tensor, as `BatchEncoding` makes it (`torch.tensor(values)`), with transformers'
    /// error when they do not make one (sequences of different lengths, text).
    static func fieldTensor(_ key: String, _ values: Value) throws -> Tensor {
        do { return try TorchModule.tensor(from: values, dtype: nil) } catch is PyError {
            throw PyError.value("Unable to create tensor, you should probably activate truncation and/or padding with 'padding=True' 'truncation=True' to have batched tensors with the same length. Perhaps your features (`\(key)` in this case) have excessive nesting (inputs type `list` where type `int` is expected).")
        }
    }

    var typeName: String { "BatchEncoding" }
    /// A BatchEncoding is a UserDict: unhashable.
    var isHashable: Bool { false }
    var repr: String { Value.dict(data).repr }
    var qualifiedTypeName: String? { "transformers.tokenization_utils_base.BatchEncoding" }

    var mappingKeys: [String] { data.keys.compactMap { if case .str(let k) = $0 { k } else { nil } } }
    func mappingValue(_ key: String) -> Value? { data.string(key) }
    func setMappingValue(_ key: String, _ value: Value) throws { try data.set(.str(key), value) }

    private static let members = MemberTable<EncodingObject>("BatchEncoding", [
        .method("to", "device", "the encoding itself: its tensors are on the CPU, where sbpl computes") { e, _ in .object(e) },
        .attribute("is_fast", "whether a fast tokenizer made it (its tokens, words and offsets are known)") { .bool(!$0.encoding.tokens.isEmpty) },
        .attribute("n_sequences", "1 or 2: the texts each input holds (None unless a fast tokenizer made it)") { e in
            e.encoding.tokens.isEmpty ? .none : .int(e.encoding.sequenceIDs.contains { $0.contains(1) } ? 2 : 1)
        },
        .attribute("data", "the fields as a dict (the same one)") { .dict($0.data) },
        .method("copy", "", "a new BatchEncoding with the same fields") { e, _ in
            .object(try EncodingObject(e.encoding, fields: e.data.items))
        },
        .method("convert_to_tensors", "tensor_type=None, prepend_batch_axis=False", "the fields made tensors ('pt') or numpy arrays ('np'), in place; returns the encoding") { e, call in
            .object(try e.converted(to: call[0], prependingBatchAxis: try call[1]?.isTruthy() ?? false))
        },
        .method("tokens", "batch_index=0", "the tokens of sequence batch_index") { e, call in
            try e.perSequence(e.encoding.tokens, call, Value.str)
        },
        .method("word_ids", "batch_index=0", "for each token of sequence batch_index, the index of its word (None for special tokens)") { e, call in
            try e.perSequence(e.encoding.wordIDs, call) { $0.map(Value.int) ?? .none }
        },
        .method("sequence_ids", "batch_index=0", "for each token of sequence batch_index, 0 or 1 for the sequence of a pair it is in (None for special tokens)") { e, call in
            try e.perSequence(e.encoding.sequenceIDs, call) { $0.map(Value.int) ?? .none }
        },
        .method("char_to_token", "batch_or_char_index, char_index=None, sequence_index=0", "the token that holds a character (None if none does)") { e, call in
            let (batch, char) = try e.indices(call, "char_index")
            return e.encoding.charToToken(batch, char, sequence: try call[2]?.asInt("sequence_index") ?? 0).map(Value.int) ?? .none
        },
        .method("char_to_word", "batch_or_char_index, char_index=None, sequence_index=0", "the word of the token that holds a character") { e, call in
            let (batch, char) = try e.indices(call, "char_index")
            return e.encoding.charToWord(batch, char, sequence: try call[2]?.asInt("sequence_index") ?? 0).map(Value.int) ?? .none
        },
        .method("token_to_chars", "batch_or_token_index, token_index=None", "CharSpan(start, end) of a token in its text (None for a special token)") { e, call in
            let (batch, token) = try e.indices(call, "token_index")
            return span("CharSpan", e.encoding.tokenToChars(batch, try unsigned(token)))
        },
        .method("token_to_word", "batch_or_token_index, token_index=None", "the word a token comes from (None for a special token)") { e, call in
            let (batch, token) = try e.indices(call, "token_index")
            return e.encoding.tokenToWord(batch, try unsigned(token)).map(Value.int) ?? .none
        },
        .method("token_to_sequence", "batch_or_token_index, token_index=None", "0 or 1: the sequence of a pair a token is in (None for a special token)") { e, call in
            let (batch, token) = try e.indices(call, "token_index")
            return e.encoding.tokenToSequence(batch, try unsigned(token)).map(Value.int) ?? .none
        },
        .method("word_to_tokens", "batch_or_word_index, word_index=None, sequence_index=0", "TokenSpan(start, end) of a word's tokens") { e, call in
            let (batch, word) = try e.indices(call, "word_index")
            return span("TokenSpan", e.encoding.wordToTokens(batch, word, sequence: try call[2]?.asInt("sequence_index") ?? 0))
        },
        .method("word_to_chars", "batch_or_word_index, word_index=None, sequence_index=0", "CharSpan(start, end) of a word in its text") { e, call in
            let (batch, word) = try e.indices(call, "word_index")
            return span("CharSpan", e.encoding.wordToChars(batch, word, sequence: try call[2]?.asInt("sequence_index") ?? 0))
        },
    ])

    /// transformers' `(batch_or_index, index=None)`: one index is into sequence 0, two are (batch, index).
    private func indices(_ call: Call, _ what: String) throws -> (batch: Int, index: Int) {
        let first = try call[0]!.asInt(what)
        let (batch, index) = try call[1].given.map { (first, try $0.asInt(what)) } ?? (0, try Self.unsigned(first))
        guard encoding.tokens.indices.contains(batch) else { throw PyError.index("list index out of range") }
        return (batch, index)
    }

    /// An index the tokenizers library takes as unsigned: a negative one is its OverflowError.
    private static func unsigned(_ index: Int) throws -> Int {
        guard index >= 0 else { throw PyError(.overflowError, "can't convert negative int to unsigned") }
        return index
    }

    /// `CharSpan(start=1, end=4)` / `TokenSpan(...)`, or None.
    private static func span(_ name: String, _ range: Range<Int>?) -> Value {
        range.map { .object(NamedTuple(name, [("start", .int($0.lowerBound)), ("end", .int($0.upperBound))], fieldPerLine: false)) } ?? .none
    }

    private func perSequence<T>(_ rows: [[T]], _ call: Call, _ value: (T) -> Value) throws -> Value {
        let i = try call[0]?.asInt("batch_index") ?? 0
        guard rows.indices.contains(i) else { throw PyError.index("list index out of range") }
        return .list(PyList(rows[i].map(value)))
    }

    var attributeNames: [String] { mappingKeys + Self.members.names + DictMethods.table.names }

    /// A key, then the encoding's own methods, then the dict methods on its fields.
    func attribute(_ name: String, _ interpreter: Interpreter) throws -> Value? {
        if let value = mappingValue(name) { return value }
        return try Self.members.value(of: name, for: self, interpreter) ?? DictMethods.table.value(of: name, for: data, interpreter)
    }

    var help: String? {
        "BatchEncoding (the tokenizer's output) with keys \(mappingKeys.map { Value.str($0).repr }.joined(separator: ", ")); read them as enc['input_ids'] or enc.input_ids, or pass it to a model as model(**enc)."
    }
}
