import TensorCore

/// A transformers output dataclass (`SequenceClassifierOutput`, ...): named fields in order, some None.
/// Fields are read by name (`outputs.logits`, `outputs["logits"]`) or by index over the non-None ones
/// (`outputs[0]`), as `ModelOutput` allows.
public struct ModelOutput: Sendable, CustomStringConvertible {
    /// A field's value: one tensor, a tuple of them (`hidden_states`: one per layer), or a tuple of tuples
    /// (`past_key_values`: each layer's key and value).
    public enum Field: Sendable, CustomStringConvertible {
        case tensor(Tensor)
        /// A tuple of tensors (None in the place of a layer that was skipped).
        case tensors([Tensor?])
        case layers([[Tensor]])

        /// As the dataclass prints it: a tuple as Python prints one, `(tensor(...), tensor(...))`.
        public var description: String {
            switch self {
            case .tensor(let t): t.description
            case .tensors(let ts): Self.tuple(ts.map { $0?.description ?? "None" })
            case .layers(let layers): Self.tuple(layers.map { Self.tuple($0.map(\.description)) })
            }
        }

        private static func tuple(_ items: [String]) -> String {
            "(" + items.joined(separator: ", ") + (items.count == 1 ? ",)" : ")")
        }
    }

    /// The dataclass name, e.g. `SequenceClassifierOutput`.
    public let typeName: String
    /// Every field in declaration order, None ones included (they print).
    public private(set) var fields: [(name: String, value: Field?)]

    public init(_ typeName: String, _ fields: [(String, Tensor?)]) {
        self.typeName = typeName
        self.fields = fields.map { (name: $0.0, value: $0.1.map(Field.tensor)) }
    }

    /// `outputs.keys()`: the names of the fields that are set.
    public var keys: [String] { fields.filter { $0.value != nil }.map(\.name) }

    /// The tensor field `name` if it is set.
    public subscript(name: String) -> Tensor? {
        if case .tensor(let t) = field(name) { return t }
        return nil
    }

    /// The field `name` if it is set.
    public func field(_ name: String) -> Field? { fields.first { $0.name == name }?.value ?? nil }

    /// Whether `name` is a field of this output type (set or None).
    public func hasField(_ name: String) -> Bool { fields.contains { $0.name == name } }

    /// `outputs[i]`: the i-th set field (negative from the end).
    public func at(_ index: Int) -> Field? {
        let set = fields.compactMap(\.value)
        let i = index < 0 ? index + set.count : index
        return set.indices.contains(i) ? set[i] : nil
    }

    /// The output with `name` set to `value`, when the dataclass has that field.
    public func setting(_ name: String, _ value: Field?) -> ModelOutput {
        var copy = self
        if let i = fields.firstIndex(where: { $0.name == name }) { copy.fields[i].value = value }
        return copy
    }

    /// `repr(outputs)`, as the dataclass prints: `SequenceClassifierOutput(loss=None, logits=tensor(...), ...)`.
    public var description: String {
        typeName + "(" + fields.map { "\($0.name)=\($0.value?.description ?? "None")" }.joined(separator: ", ") + ")"
    }

    static func base(_ hidden: Tensor) -> ModelOutput {
        ModelOutput("BaseModelOutput", [("last_hidden_state", hidden), ("hidden_states", nil), ("attentions", nil)])
    }

    static func pooled(_ hidden: Tensor, _ pooled: Tensor?) -> ModelOutput {
        ModelOutput("BaseModelOutputWithPoolingAndCrossAttentions", [
            ("last_hidden_state", hidden), ("pooler_output", pooled), ("hidden_states", nil),
            ("past_key_values", nil), ("attentions", nil), ("cross_attentions", nil),
        ])
    }

    /// `SequenceClassifierOutput`: `logits` `[batch, num_labels]`, and the loss when the inputs have labels.
    static func classification(_ logits: Tensor, _ inputs: ModelInputs, problemType: ProblemType) throws -> ModelOutput {
        Self.logits(logits, loss: try Losses.classification(logits, inputs.labels, problemType: problemType), as: "SequenceClassifierOutput")
    }

    /// `MaskedLMOutput`: `logits` `[batch, seq, vocab]`, and the loss when the inputs have labels.
    static func maskedLM(_ logits: Tensor, _ inputs: ModelInputs) throws -> ModelOutput {
        Self.logits(logits, loss: try Losses.perToken(logits, inputs.labels), as: "MaskedLMOutput")
    }

    /// `TokenClassifierOutput`: `logits` `[batch, seq, num_labels]`, and the loss when the inputs have labels.
    static func tokenClassification(_ logits: Tensor, _ inputs: ModelInputs) throws -> ModelOutput {
        Self.logits(logits, loss: try Losses.perToken(logits, inputs.labels), as: "TokenClassifierOutput")
    }

    /// The outputs whose one tensor is `logits`.
    private static func logits(_ logits: Tensor, loss: Tensor?, as typeName: String) -> ModelOutput {
        ModelOutput(typeName, [("loss", loss), ("logits", logits), ("hidden_states", nil), ("attentions", nil)])
    }

    /// `QuestionAnsweringModelOutput` from `qa_outputs`' `[batch, seq, 2]`: split into start and end, each made
    /// contiguous as transformers does (`split`, `squeeze(-1)`, `contiguous()`), and the loss when the inputs have
    /// `start_positions` and `end_positions`.
    static func spans(_ logits: Tensor, _ inputs: ModelInputs) throws -> ModelOutput {
        let start = try logits.view(at: [.all, .all, .at(0)]).contiguous(), end = try logits.view(at: [.all, .all, .at(1)]).contiguous()
        return ModelOutput("QuestionAnsweringModelOutput", [
            ("loss", try Losses.spans(start, end, inputs.startPositions, inputs.endPositions)), ("start_logits", start),
            ("end_logits", end), ("hidden_states", nil), ("attentions", nil),
        ])
    }
}

/// A model's inputs: `input_ids` `[batch, seq]` and the optional `attention_mask` and `token_type_ids`; with
/// `labels` (or question answering's `start_positions` and `end_positions`) the heads also compute their loss.
public struct ModelInputs: Sendable {
    public var inputIDs: Tensor
    public var attentionMask: Tensor?
    public var tokenTypeIDs: Tensor?
    public var labels: Tensor?
    /// An encoder-decoder's decoder input (`decoder_input_ids`); without it BART shifts the labels or the input
    /// right, T5 the labels.
    public var decoderInputIDs: Tensor?
    public var startPositions: Tensor?, endPositions: Tensor?
    /// `output_hidden_states=True` and `output_attentions=True`: the output then also holds each layer's output
    /// and attention probabilities (BERT, DistilBERT and RoBERTa record them).
    public var outputHiddenStates = false, outputAttentions = false
    /// `use_cache=True` (a decoder config's default): a decoder-only model also returns each layer's keys and
    /// values, `past_key_values`.
    public var useCache = false
    /// Where the pass records them; set by `LoadedModel` when either is asked for.
    var layerOutputs: LayerOutputs?

    public init(inputIDs: Tensor, attentionMask: Tensor? = nil, tokenTypeIDs: Tensor? = nil) {
        self.inputIDs = inputIDs
        self.attentionMask = attentionMask
        self.tokenTypeIDs = tokenTypeIDs
    }

    /// Whether `pad_token_id` is the first or last id of some sequence: transformers' cue to warn that an
    /// attention mask is missing (it looks only there).
    public func hasPaddingAtEdges(padTokenID: Int?) -> Bool {
        guard let pad = padTokenID, inputIDs.rank == 2, inputIDs.dtype == .int64, inputIDs.shape[1] > 0 else { return false }
        let (rows, length) = (inputIDs.shape[0], inputIDs.shape[1])
        let ids = inputIDs.int64s()
        return (0..<rows).contains { ids[$0 * length] == Int64(pad) || ids[$0 * length + length - 1] == Int64(pad) }
    }

    /// Checks shapes and types against a model, with the errors a user needs.
    func validated(maxPositions: Int, vocabSize: Int) throws -> (ids: Tensor, mask: Tensor) {
        let ids = inputIDs
        guard ids.rank == 2, ids.dtype == .int64 else {
            throw ModelError("input_ids must be an int64 tensor of shape [batch, seq], got \(ids.dtype.torchName) of shape \(TensorShape(inputIDs.shape))")
        }
        guard ids.shape[1] <= maxPositions else {
            throw ModelError("input_ids has \(ids.shape[1]) tokens, more than this model's max_position_embeddings (\(maxPositions)): truncate the input (truncation=True)")
        }
        if let bad = ids.int64s().first(where: { $0 < 0 || $0 >= vocabSize }) {
            throw ModelError("input_ids holds token id \(bad), outside this model's vocabulary of \(vocabSize)")
        }
        var mask = attentionMask ?? Tensor(ints: [Int64](repeating: 1, count: ids.count), shape: ids.shape)
        if mask.rank == 1 { mask = try mask.unsqueezed(0) }
        guard mask.shape == ids.shape else {
            throw ModelError("attention_mask has shape \(TensorShape(mask.shape)) but input_ids has shape \(TensorShape(ids.shape))")
        }
        return (ids, mask.to(.int64))
    }
}

extension ModelOutput {
    /// An encoder-decoder output (BART, T5): `fields`, then the decoder's and encoder's: the cache when the pass
    /// kept one, the encoder's last state; the recorded layers are set later.
    static func seq2seq(_ typeName: String, _ fields: [(String, Tensor?)], encoded: Tensor, past: Field? = nil) -> ModelOutput {
        ModelOutput(typeName, fields + [
            ("past_key_values", nil), ("decoder_hidden_states", nil), ("decoder_attentions", nil), ("cross_attentions", nil),
            ("encoder_last_hidden_state", encoded), ("encoder_hidden_states", nil), ("encoder_attentions", nil),
        ]).setting("past_key_values", past)
    }
}
