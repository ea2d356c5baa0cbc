import PythonText
import TensorCore

/// A layer that projects `x` and can add a residual in the same pass: `Linear`, `Conv1D`.
protocol Projection {
    func callAsFunction(_ x: Tensor) throws -> Tensor
    /// `projection(x) + residual`, the residual added in the same pass.
    func callAsFunction(_ x: Tensor, adding residual: Tensor) throws -> Tensor
}

/// `nn.Linear`: `y = x W^T + b`, the weight stored `[out, in]` as in the checkpoint; `bias` nil for `bias=False`.
/// The one place that says how a layer multiplies: in float32 on the packed GEMM, or, in a model made by
/// `quantize_dynamic`, as PyTorch's `DynamicQuantizedLinear` (an int8 weight, activations quantized per call, once
/// for the layers that read one input: `Tensor.quantizedActivations()`).
struct Linear: Module, Projection {
    let weight: Tensor
    let bias: Tensor?
    /// The int8 weight of a dynamically quantized layer; nil for a float32 one.
    let quantized: QuantizedWeight?

    /// Whether the layers made now are dynamically quantized: set while `quantize_dynamic` rebuilds a model.
    @TaskLocal static var quantizing = false

    /// The layer `scope` names; without `bias` (`bias=False`) it has none.
    init(_ scope: WeightScope, in inputs: Int, out outputs: Int, bias: Bool = true) throws {
        self.init(weight: try scope.tensor("weight", [outputs, inputs], initial: .normal()),
                  bias: bias ? try scope.tensor("bias", [outputs], initial: .zeros) : nil)
    }

    /// A layer over given tensors: a decoder tied to the word embeddings.
    init(weight: Tensor, bias: Tensor?) {
        self.weight = weight
        self.bias = bias
        quantized = Linear.quantizing ? QuantizedWeight(weight) : nil
    }

    func callAsFunction(_ x: Tensor) throws -> Tensor {
        if let quantized { return try x.quantizedLinear(quantized, bias: bias) }
        return try x.linear(weight: weight, bias: bias)
    }

    /// `activation(linear(x))`, a GELU applied by each core on its block of the output right after its product (the
    /// float32 path adds the bias there too; the int8 kernel adds it in its own output stage).
    func callAsFunction(_ x: Tensor, then activation: Activation) throws -> Tensor {
        if activation == .gelu, let quantized { return try x.quantizedLinearGELU(quantized, bias: bias) }
        if activation == .gelu, let bias { return try x.linearGELU(weight: weight, bias: bias) }
        return try activation(callAsFunction(x))
    }

    /// `linear(x) + residual`, the residual added in the same pass.
    func callAsFunction(_ x: Tensor, adding residual: Tensor) throws -> Tensor {
        if let quantized { return try x.quantizedLinear(quantized, bias: bias, adding: residual) }
        return try x.linear(weight: weight, bias: bias, adding: residual)
    }

    var className: String { quantized == nil ? "Linear" : "DynamicQuantizedLinear" }
    var settings: String {
        let features = "in_features=\(weight.shape[1]), out_features=\(weight.shape[0])"
        return quantized == nil ? "\(features), bias=\(bias == nil ? "False" : "True")"
            : "\(features), dtype=torch.qint8, qscheme=torch.per_tensor_affine"
    }
    /// A quantized layer's weight and bias are packed parameters, not `nn.Parameter`s, as in torch.
    var parameters: [(name: String, tensor: Tensor)] {
        quantized != nil ? [] : [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }
    var absentParameters: [String] { bias == nil && quantized == nil ? ["bias"] : [] }
}

/// transformers' `Conv1D` (GPT-2's projections): a linear layer whose weight is stored `[in, out]`.
struct Conv1D: Module, Projection {
    let weight: Tensor
    let bias: Tensor

    init(_ scope: WeightScope, in inputs: Int, out outputs: Int) throws {
        weight = try scope.tensor("weight", [inputs, outputs], initial: .normal())
        bias = try scope.tensor("bias", [outputs], initial: .zeros)
    }

    func callAsFunction(_ x: Tensor) throws -> Tensor { try x.conv1D(weight: weight, bias: bias) }

    /// `conv1d(x) + residual` in one pass.
    func callAsFunction(_ x: Tensor, adding residual: Tensor) throws -> Tensor {
        try x.conv1D(weight: weight, bias: bias, adding: residual)
    }

    var settings: String { "nf=\(weight.shape[1]), nx=\(weight.shape[0])" }
    var parameters: [(name: String, tensor: Tensor)] { [("weight", weight), ("bias", bias)] }
}

/// `nn.LayerNorm` over the last dimension.
struct LayerNorm: Module {
    let weight: Tensor
    let bias: Tensor
    /// As the config gives it (the kernel uses it as a float32, as torch does).
    let eps: Double

    init(_ scope: WeightScope, dim: Int, eps: Double) throws {
        weight = try scope.tensor("weight", [dim], initial: .ones)
        bias = try scope.tensor("bias", [dim], initial: .zeros)
        self.eps = eps
    }

    /// A layer over given tensors (`nn.LayerNorm(dim)` made on its own).
    init(weight: Tensor, bias: Tensor, eps: Double) {
        (self.weight, self.bias, self.eps) = (weight, bias, eps)
    }

    func callAsFunction(_ x: Tensor) throws -> Tensor { try x.layerNorm(weight: weight, bias: bias, eps: Float(eps)) }

    var settings: String { "(\(weight.shape[0]),), eps=\(pythonRepr(eps)), elementwise_affine=True, bias=True" }
    var parameters: [(name: String, tensor: Tensor)] { [("weight", weight), ("bias", bias)] }
}

/// `nn.Embedding`: rows of a table looked up by id.
struct Embedding: Module {
    let weight: Tensor
    /// The row of the padding token (zero when drawn fresh); nil when there is none.
    let paddingIdx: Int?
    /// The subclass `print(model)` names (BART's `BartScaledWordEmbedding`), else `Embedding`.
    let className: String

    init(_ scope: WeightScope, count: Int, dim: Int, paddingIdx: Int? = nil, className: String = "Embedding") throws {
        weight = try scope.tensor("weight", [count, dim], initial: .normal(zeroRow: paddingIdx))
        self.paddingIdx = paddingIdx
        self.className = className
    }

    /// A table of given rows (`nn.Embedding(count, dim)` made on its own).
    init(weight: Tensor, paddingIdx: Int?) {
        (self.weight, self.paddingIdx, className) = (weight, paddingIdx, "Embedding")
    }

    /// A table shared with another module (BART's encoder and decoder read the model's `shared` one).
    init(tied other: Embedding, className: String) {
        (weight, paddingIdx, self.className) = (other.weight, other.paddingIdx, className)
    }

    /// `[batch, seq]` ids -> `[batch, seq, dim]`.
    func callAsFunction(_ ids: Tensor) throws -> Tensor { try weight.gatherRows(ids, paddingIdx: paddingIdx) }

    var settings: String { "\(weight.shape[0]), \(weight.shape[1])" + (paddingIdx.map { ", padding_idx=\($0)" } ?? "") }
    var parameters: [(name: String, tensor: Tensor)] { [("weight", weight)] }
}

/// `nn.Dropout`: the identity in eval mode, `Tensor.dropout` in training mode.
public struct Dropout: TrainingAware {
    /// The probability of zeroing an element.
    public let p: Double
    let mode = ModuleMode()

    init(_ p: Double) { self.p = p }

    /// Whether `self.dropout(x)` drops: the layer is in training mode and has something to drop.
    var isDropping: Bool { p > 0 && mode.isTraining }

    /// `self.dropout(x)` in a model's forward: `x` itself in eval mode; in training mode each element zeroed with
    /// probability `p` from torch's generator and the others scaled by `1 / (1 - p)`, as torch draws them.
    func callAsFunction(_ x: Tensor) throws -> Tensor { isDropping ? try x.dropout(p: p) : x }

    /// `dropout(projection(x)) + residual`, as a block's output is formed; in eval mode the residual is added in the
    /// projection's own pass.
    func callAsFunction(_ projection: some Projection, _ x: Tensor, adding residual: Tensor) throws -> Tensor {
        try dropping(p, projection, x, adding: residual)
    }

    public var settings: String { "p=\(pythonRepr(p)), inplace=False" }
}

/// `nn.Tanh`, as BERT's pooler registers it.
struct Tanh: Module {}

/// `nn.CrossEntropyLoss`, which DistilBERT's masked-LM head registers (sbpl computes no loss).
struct CrossEntropyLoss: Module {}

/// The feed-forward activations sbpl implements.
public enum Activation: String, CaseIterable, Sendable, Module {
    /// `silu` and `swish` (Marian's) are one function, `nn.SiLU`.
    case gelu, relu, geluNew = "gelu_new", silu, swish

    /// transformers' module for it.
    public var className: String {
        switch self {
        case .gelu: "GELUActivation"
        case .relu: "ReLU"
        case .geluNew: "NewGELUActivation"
        case .silu, .swish: "SiLU"
        }
    }

    /// The activation of `x`.
    func callAsFunction(_ x: Tensor) -> Tensor {
        switch self {
        case .gelu: x.gelu()
        case .relu: x.relu()
        case .geluNew: x.geluTanh()
        case .silu, .swish: x.silu()
        }
    }
}

// The layers torch calls on one tensor, as `model.classifier(x)` calls them.
extension Linear: TensorModule { func forward(_ x: Tensor) throws -> Tensor { try self(x) } }
extension Conv1D: TensorModule { func forward(_ x: Tensor) throws -> Tensor { try self(x) } }
extension LayerNorm: TensorModule { func forward(_ x: Tensor) throws -> Tensor { try self(x) } }
extension Embedding: TensorModule { func forward(_ x: Tensor) throws -> Tensor { try self(x) } }
extension Dropout: TensorModule { public func forward(_ x: Tensor) throws -> Tensor { x } }
extension Tanh: TensorModule { func forward(_ x: Tensor) throws -> Tensor { x.tanh() } }
extension Activation: TensorModule { public func forward(_ x: Tensor) throws -> Tensor { self(x) } }
