#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The backward function torch records for an operation (`type(y.grad_fn).__name__`), named as PyTorch 2.x names
/// it. Operations whose derivative sbpl knows (Derivatives.swift) record it with their node; `backward()` through
/// one that does not raises, naming it.
public enum GradFunction: String, Sendable {
    case add = "AddBackward0", sub = "SubBackward0", reverseSub = "RsubBackward1", mul = "MulBackward0",
         div = "DivBackward0", neg = "NegBackward0"
    case mm = "MmBackward0", addmm = "AddmmBackward0", dot = "DotBackward0", mv = "MvBackward0"
    case sum = "SumBackward0", sumDim = "SumBackward1", mean = "MeanBackward0", meanDim = "MeanBackward1"
    case max = "MaxBackward1", maxDim = "MaxBackward0"
    case softmax = "SoftmaxBackward0", gelu = "GeluBackward0", relu = "ReluBackward0", tanh = "TanhBackward0",
         exp = "ExpBackward0", abs = "AbsBackward0", sqrt = "SqrtBackward0"
    case layerNorm = "NativeLayerNormBackward0", embedding = "EmbeddingBackward0"
    case select = "SelectBackward0", slice = "SliceBackward0", alias = "AliasBackward0"
    case unsqueeze = "UnsqueezeBackward0", squeeze = "SqueezeBackward0", squeezeDim = "SqueezeBackward1",
         squeezeDims = "SqueezeBackward4"
    case transpose = "TransposeBackward0", permute = "PermuteBackward0", unbind = "UnbindBackward0"
    case toCopy = "ToCopyBackward0"
    case view = "ViewBackward0", unsafeView = "UnsafeViewBackward0", reshapeAlias = "ReshapeAliasBackward0", clone = "CloneBackward0", indexSelect = "IndexSelectBackward0", index = "IndexBackward0", indexPut = "IndexPutBackward0", indexFill = "IndexFillBackward0", conditional = "WhereBackward0"
    case scaledDotProductAttention = "ScaledDotProductFlashAttentionForCpuBackward0"
    case nllLoss = "NllLossBackward0", mseLoss = "MseLossBackward0", binaryCrossEntropy = "BinaryCrossEntropyBackward0",
         binaryCrossEntropyWithLogits = "BinaryCrossEntropyWithLogitsBackward0"
    case log = "LogBackward0", sigmoid = "SigmoidBackward0", silu = "SiluBackward0", floor = "FloorBackward0", ceil = "CeilBackward0",
         round = "RoundBackward0", roundDecimals = "RoundBackward1"
    case clamp = "ClampBackward1"
    case pow = "PowBackward0", powTensor = "PowBackward1", powScalarBase = "PowBackward2"
    case min = "MinBackward1", minDim = "MinBackward0", variance = "VarBackward0", standardDeviation = "StdBackward0",
         logSoftmax = "LogSoftmaxBackward0"
    case sort = "SortBackward0", topk = "TopkBackward0"
    case cat = "CatBackward0", stack = "StackBackward0", split = "SplitBackward0", splitWithSizes = "SplitWithSizesBackward0"
    case maskedFill = "MaskedFillBackward0", triu = "TriuBackward0", tril = "TrilBackward0", remainder = "RemainderBackward0", cumsum = "CumsumBackward0",
         prod = "ProdBackward0", prodDim = "ProdBackward1", norm = "LinalgVectorNormBackward0",
         expand = "ExpandBackward0", repeated = "RepeatBackward0", t = "TBackward0"
    /// What torch records for an operation it cannot differentiate (`x // 2`).
    case notImplemented = "NotImplemented"
    /// What torch records for a quantized operation (a dynamically quantized linear layer's output).
    case warnNotImplemented = "WarnNotImplemented"
    case sin = "SinBackward0", cos = "CosBackward0"
    case gather = "GatherBackward0", flip = "FlipBackward0", roll = "RollBackward0", maskedSelect = "MaskedSelectBackward0"
    case rsqrt = "RsqrtBackward0", log1p = "Log1PBackward0", expm1 = "Expm1Backward0", reciprocal = "ReciprocalBackward0",
         sign = "SignBackward0", erf = "ErfBackward0", log2 = "Log2Backward0", log10 = "Log10Backward0"
    case maximum = "MaximumBackward0", minimum = "MinimumBackward0", bmm = "BmmBackward0"
    case unique2 = "Unique2Backward0"
    case scatter = "ScatterBackward0", scatterValue = "ScatterBackward1", scatterAdd = "ScatterAddBackward0", indexAdd = "IndexAddBackward0",
         diagEmbed = "DiagEmbedBackward0", diagonal = "DiagonalBackward0_copy", trace = "TraceBackward0"
    case leakyRelu = "LeakyReluBackward0", softplus = "SoftplusBackward0", elu = "EluBackward0"
    case amax = "AmaxBackward0", amin = "AminBackward0", logSumExp = "LogsumexpBackward0", constantPad = "ConstantPadNdBackward0"
    /// A tensor written through an index with values autograd records (`d[0] = x[1]`).
    case copySlices = "CopySlices"

    /// Whether the result shares its input's elements (a view), so that writing into it writes into the input.
    var isView: Bool {
        [.select, .slice, .alias, .unsqueeze, .squeeze, .squeezeDim, .squeezeDims, .transpose, .permute, .unbind, .view,
         .reshapeAlias, .split, .splitWithSizes, .expand, .t].contains(self)
    }

    /// The name torch prints: `grad_fn=<AddmmBackward0>`.
    public var name: String { rawValue }

    /// What `grad_fn.name()` answers: the name, with its C++ namespace for the one torch defines outside the
    /// generated functions (`torch::autograd::NotImplemented`).
    public var qualifiedName: String { [.notImplemented, .warnNotImplemented, .copySlices].contains(self) ? "torch::autograd::\(rawValue)" : rawValue }
}

/// Whether operations record their `grad_fn` (torch's grad mode), per thread as in torch: off under
/// `torch.no_grad()` and `torch.inference_mode()`.
public enum GradMode {
    /// A per-thread slot that is non-nil while recording is off (so a new thread starts with it on).
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    /// Runs `body` with recording off on this thread, as `torch.no_grad()` does (generation and pipelines run so in
    /// transformers), then restores the mode.
    public static func withoutRecording<T>(_ body: () throws -> T) rethrows -> T {
        let wasEnabled = isEnabled
        isEnabled = false
        defer { isEnabled = wasEnabled }
        return try body()
    }

    /// `torch.is_grad_enabled()` on this thread.
    public static var isEnabled: Bool {
        get { pthread_getspecific(key) == nil }
        set { pthread_setspecific(key, newValue ? nil : UnsafeRawPointer(bitPattern: 1)) }
    }
}

extension Tensor {
    /// `tensor.requires_grad`.
    public var requiresGrad: Bool {
        if case .none = gradHistory { return false }
        return true
    }

    /// `tensor.is_leaf`: not made by a recorded operation.
    public var isLeaf: Bool {
        if case .result = gradHistory { return false }
        return true
    }

    /// `tensor.grad_fn`: the function that made it, nil for a leaf.
    public var gradFunction: GradFunction? {
        if case .result(let node) = gradHistory { return node.function }
        return nil
    }

    /// This tensor as a leaf that requires grad (`requires_grad=True`), or as a constant. Only floating-point
    /// tensors can require grad, as in torch.
    public func requiringGrad(_ requiresGrad: Bool = true) throws -> Tensor {
        guard !requiresGrad || dtype.isFloatingPoint else {
            throw TensorError("Only Tensors of floating point and complex dtype can require gradients")
        }
        var out = self
        out.gradHistory = requiresGrad ? .leaf(GradLeaf()) : .none
        return out
    }

    /// `x.requires_grad_(flag)` and `x.requires_grad = flag`: this tensor, and every copy of it (the variable, the
    /// model's parameter), starts or stops requiring grad. Only leaves, as in torch.
    public func setRequiresGrad(_ requiresGrad: Bool) throws {
        if requiresGrad == self.requiresGrad { return }
        guard isLeaf else {
            throw TensorError("you can only change requires_grad flags of leaf variables. If you want to use a computed variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach().")
        }
        guard !requiresGrad || dtype.isFloatingPoint else {
            throw TensorError("only Tensors of floating point dtype can require gradients")
        }
        gradState.history = requiresGrad ? .leaf(GradLeaf()) : .none
    }

    /// `nn.Parameter(self, requires_grad)`: the same values, printed as a parameter.
    public func asParameter(requiresGrad: Bool = true) throws -> Tensor {
        var out = try requiringGrad(requiresGrad)
        out.isParameter = true
        return out
    }

    /// `tensor.to(dtype)`, `tensor.double()`: itself when it has the type already, else a copy autograd records
    /// (`ToCopyBackward0`, the gradient converted back).
    public func converted(to dtype: DType) -> Tensor {
        dtype == self.dtype ? self : to(dtype).recorded(.toCopy, from: self, derivative: .identity(self))
    }

    /// Whether `other` is this very tensor (Python's `is`): a copy of the same value, not another view or result.
    public func isSameTensor(as other: Tensor) -> Bool {
        gradState === other.gradState && dataIdentity == other.dataIdentity && shape == other.shape && strides == other.strides
            && dtype == other.dtype
    }

    /// `tensor.detach()`: the same storage, cut from the graph.
    public func detached() -> Tensor {
        Tensor(storage: storage, dtype: dtype, shape: shape, strides: strides, offset: offset)
    }

    /// This result of `function` on `inputs`, with the history torch gives it: made by `function` when grad mode is
    /// on, the result is floating point and an input requires grad; a constant otherwise. `derivative` gives the
    /// gradient for each of `inputs` (nil ones included) from the result's; without one, `backward()` through this
    /// node raises. Operations record themselves; a binding that composes several names the one torch function it
    /// stands for.
    public func recorded(_ function: GradFunction, from inputs: Tensor?...,
                         derivative: @autoclosure () -> Derivative? = nil) -> Tensor {
        recorded(function, fromList: inputs, derivative: derivative)
    }

    /// `recorded(function, from:)` for an operation on a list of tensors (`torch.cat`).
    public func recorded(_ function: GradFunction, from inputs: [Tensor],
                         derivative: @autoclosure () -> Derivative? = nil) -> Tensor {
        recorded(function, fromList: inputs, derivative: derivative)
    }

    private func recorded(_ function: GradFunction, fromList inputs: [Tensor?], derivative: () -> Derivative?) -> Tensor {
        var out = detached()
        if dtype.isFloatingPoint && inputs.contains(where: { $0?.requiresGrad ?? false }) && GradMode.isEnabled {
            var formula = derivative()
            formula?.markResult(storage)
            out.gradHistory = .result(GradNode(function, inputs: inputs.map { $0?.gradEdge }, derivative: formula))
        }
        return out
    }
}
