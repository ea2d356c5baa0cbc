import TensorCore

// BERT's encoder modules, shared by the BERT family: an architecture whose encoder transformers copies from BERT
// under its own class names ("Copied from transformers.models.bert.modeling_bert.BertLayer with Bert->Roberta")
// builds these with its `family` (`Roberta`), which prefixes the class names `print(model)` shows.

/// The stack of layers.
struct BertEncoder: Module {
    let family: String
    let layer: [BertLayer]

    init(_ s: WeightScope, _ c: BertConfig, family: String) throws {
        self.family = family
        let layers = s.child("layer")
        layer = try (0..<c.numHiddenLayers).map { try BertLayer(layers.child("\($0)"), c, family: family) }
    }

    var className: String { family + "Encoder" }

    /// The layers over `x`, `checkInterrupt` called before each; `recording` keeps `x` and each layer's output
    /// and attention probabilities when asked.
    func callAsFunction(_ x: Tensor, mask: Tensor, recording: LayerOutputs?, checkInterrupt: () throws -> Void) throws -> Tensor {
        recording?.record(hidden: x)
        return try layer.reduce(x) { x, l in
            try checkInterrupt()
            let y = try l(x, mask: mask, recording: recording)
            recording?.record(hidden: y)
            return y
        }
    }
}

/// A model whose encoder is BERT's, with its pooler: `model(**inputs)` gives the last hidden state and the pooled
/// first token.
protocol BertPooledModel {
    var pooler: BertPooler? { get }
    func hiddenStates(_ inputs: ModelInputs, checkInterrupt: () throws -> Void) throws -> Tensor
}

extension BertPooledModel {
    /// `model(**inputs)` -> `BaseModelOutputWithPoolingAndCrossAttentions`.
    public func callAsFunction(_ inputs: ModelInputs, checkInterrupt: () throws -> Void = {}) throws -> ModelOutput {
        let hidden = try hiddenStates(inputs, checkInterrupt: checkInterrupt)
        return .pooled(hidden, try pooler.map { try $0(hidden) })
    }
}

/// Post-LayerNorm layer: self-attention, add & norm, feed-forward, add & norm.
struct BertLayer: Module {
    let family: String
    let attention: BertAttention
    let intermediate: BertIntermediate
    let output: BertOutput

    init(_ s: WeightScope, _ c: BertConfig, family: String) throws {
        self.family = family
        attention = try BertAttention(s.child("attention"), c, family: family)
        intermediate = try BertIntermediate(s.child("intermediate"), c, family: family)
        output = try BertOutput(family + "Output", s.child("output"), c, in: c.intermediateSize)
    }

    var className: String { family + "Layer" }

    func callAsFunction(_ x: Tensor, mask: Tensor, recording: LayerOutputs?) throws -> Tensor {
        let q = attention.`self`
        let context = try Attention.context(q: q.query(x), k: q.key(x), v: q.value(x), mask: mask, heads: q.heads,
                                            dropout: q.whileTraining(q.dropout.p), weightsDropout: q.dropout, recording: recording)
        let attended = try attention.output(context, residual: x)
        let hidden = try intermediate.dense(attended, then: intermediate.intermediate_act_fn)
        return try output(hidden, residual: attended)
    }
}

/// Self-attention and its output projection.
struct BertAttention: Module {
    let family: String
    let `self`: BertSdpaSelfAttention
    let output: BertOutput

    init(_ s: WeightScope, _ c: BertConfig, family: String) throws {
        self.family = family
        self.`self` = try BertSdpaSelfAttention(s.child("self"), c, family: family)
        output = try BertOutput(family + "SelfOutput", s.child("output"), c, in: c.hiddenSize)
    }

    var className: String { family + "Attention" }
}

/// The query, key and value projections.
struct BertSdpaSelfAttention: TrainingAware {
    let family: String
    let query, key, value: Linear
    let dropout: Dropout
    let heads: Int
    let mode = ModuleMode()

    var className: String { family + "SdpaSelfAttention" }

    init(_ s: WeightScope, _ c: BertConfig, family: String) throws {
        self.family = family
        let h = c.hiddenSize
        query = try Linear(s.child("query"), in: h, out: h)
        key = try Linear(s.child("key"), in: h, out: h)
        value = try Linear(s.child("value"), in: h, out: h)
        dropout = Dropout(c.attentionProbsDropoutProb)
        heads = c.numAttentionHeads
    }
}

/// `BertSelfOutput` and `BertOutput` (class names given): a projection back to the hidden size, added to the residual and normalised.
struct BertOutput: Module {
    let className: String
    let dense: Linear
    let LayerNorm: LayerNorm
    let dropout: Dropout

    init(_ className: String, _ s: WeightScope, _ c: BertConfig, in inputs: Int) throws {
        self.className = className
        dense = try Linear(s.child("dense"), in: inputs, out: c.hiddenSize)
        LayerNorm = try Models.LayerNorm(s.child("LayerNorm"), dim: c.hiddenSize, eps: c.layerNormEps)
        dropout = Dropout(c.hiddenDropoutProb)
    }

    /// `LayerNorm(dropout(dense(x)) + residual)`.
    func callAsFunction(_ x: Tensor, residual: Tensor) throws -> Tensor { try LayerNorm(dropout(dense, x, adding: residual)) }
}

/// The feed-forward expansion and its activation.
struct BertIntermediate: Module {
    let family: String
    let dense: Linear
    let intermediate_act_fn: Activation

    var className: String { family + "Intermediate" }

    init(_ s: WeightScope, _ c: BertConfig, family: String) throws {
        self.family = family
        dense = try Linear(s.child("dense"), in: c.hiddenSize, out: c.intermediateSize)
        intermediate_act_fn = c.hiddenAct
    }
}

/// The pooled first token, `tanh(dense(h[:, 0]))`.
struct BertPooler: Module {
    let family: String
    let dense: Linear
    let activation = Tanh()

    var className: String { family + "Pooler" }

    init(_ s: WeightScope, _ c: BertConfig, family: String) throws {
        self.family = family
        dense = try Linear(s.child("dense"), in: c.hiddenSize, out: c.hiddenSize)
    }

    func callAsFunction(_ hidden: Tensor) throws -> Tensor {
        try dense(hidden.view(at: [.all, .at(0), .all])).tanh()
    }
}

extension BertSdpaSelfAttention: SdpaAttentionModule {
    var eagerFallbackWarning: String { sdpaFallbackWarning(sdpaUnsupported(className, alsoUnsupported: "non-absolute `position_embedding_type` or ")) }
}
