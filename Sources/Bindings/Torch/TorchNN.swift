import Language
import Models
import TensorCore

/// `torch.nn` and `torch.nn.functional`: the functions the course calls and the parameter-free modules that wrap
/// them (`nn.Softmax(dim=-1)`, `nn.CrossEntropyLoss()`), each module declared once as a `FunctionModule`.
extension TorchModule {
    static func makeNN() -> PythonModule {
        var members: [String: Value] = [
            "functional": .object(makeFunctional()),
            "Parameter": .object(TypeObject("Parameter", qualified: "torch.nn.parameter.Parameter") { args in
                let a = try args.bind("Parameter", ["data", "requires_grad"])
                let data = try a[0].map { try $0.asTensor("data") } ?? Tensor(zeros: [0])
                return .tensor(try data.asParameter(requiresGrad: try a[1]?.isTruthy() ?? true))
            }),
        ]
        members["utils"] = .object(makeUtilities())
        members["init"] = .object(TorchInit.make())
        members["Module"] = ModuleBase.type
        members["Sequential"] = ModuleContainers.sequentialType
        members["ModuleList"] = ModuleContainers.moduleListType
        members["ModuleDict"] = ModuleContainers.moduleDictType
        for module in FunctionModule.all { members[module.name] = .object(module.type) }
        for layer in LayerClass.all { members[layer.name] = .object(layer.type) }
        return PythonModule("torch.nn", members, planned: TorchNames.nn)
    }

    /// `torch.nn.utils`: `clip_grad_norm_`, as training loops bound their gradients.
    static func makeUtilities() -> PythonModule {
        PythonModule("torch.nn.utils", ["clip_grad_norm_": builtin("clip_grad_norm_") { args in
            let a = try args.bind("clip_grad_norm_", ["parameters", "max_norm", "norm_type", "error_if_nonfinite", "foreach"], required: 2)
            if let norm = a[2], try norm.asDouble("norm_type") != 2 { throw PyError.notImplemented("clip_grad_norm_(..., norm_type=\(norm.repr))") }
            let parameters = if case .tensor(let single) = a[0]! { [single] } else { try Iteration.materialize(a[0]!).map { try $0.asTensor("parameters") } }
            let total = try GradientClipping.clipNorm(of: parameters, maxNorm: try a[1]!.asDouble("max_norm"))
            if try a[3]?.isTruthy() ?? false, !total.floats()[0].isFinite {
                throw PyError(.runtimeError, "The total norm of order 2.0 for gradients from `parameters` is non-finite, so it cannot be clipped. To disable this error and scale the gradients by the non-finite norm anyway, set `error_if_nonfinite=False`")
            }
            return .tensor(total)
        }])
    }

    static func makeFunctional() -> PythonModule {
        // the functions that are also tensor methods come from their one declaration, as torch's do
        let shared = derivedFunctions().filter { ["log_softmax", "relu", "sigmoid", "tanh"].contains($0.key) }
        return PythonModule("torch.nn.functional", shared.merging([
            "softmax": float32Builtin("softmax") { try softmax("softmax", $0) },
            "gelu": float32Builtin("gelu") { .tensor(try $0.bind("gelu", ["input"], required: 1)[0]!.asTensor("input").gelu()) },
            "leaky_relu": float32Builtin("leaky_relu") { args in
                let a = try args.bind("leaky_relu", ["input", "negative_slope", "inplace"], required: 1)
                return .tensor(try a[0]!.asTensor("input").leakyRelu(slope: Float(try a[1]?.asDouble("negative_slope") ?? 0.01)))
            },
            "softplus": float32Builtin("softplus") { args in
                let a = try args.bind("softplus", ["input", "beta", "threshold"], required: 1)
                return .tensor(try a[0]!.asTensor("input").softplus(beta: Float(try a[1]?.asDouble("beta") ?? 1), threshold: Float(try a[2]?.asDouble("threshold") ?? 20)))
            },
            "elu": float32Builtin("elu") { args in
                let a = try args.bind("elu", ["input", "alpha", "inplace"], required: 1)
                return .tensor(try a[0]!.asTensor("input").elu(alpha: Float(try a[1]?.asDouble("alpha") ?? 1)))
            },
            "silu": float32Builtin("silu") { .tensor(try $0.bind("silu", ["input", "inplace"], required: 1)[0]!.asTensor("input").silu()) },
            "nll_loss": float32Builtin("nll_loss") { args in
                let a = try args.bind("nll_loss", ["input", "target", "weight", "size_average", "ignore_index", "reduce", "reduction"], required: 2)
                if let weight = a[2].given { throw PyError.notImplemented("nll_loss with class weights (weight=\(weight.typeName))") }
                return .tensor(try a[0]!.asTensor("input").nllLoss(try a[1]!.asTensor("target"), ignoreIndex: try a[4]?.asInt("ignore_index") ?? -100,
                                                                  reduction: try lossReduction(a[6])))
            },
            "layer_norm": float32Builtin("layer_norm") { args in
                let a = try args.bind("layer_norm", ["input", "normalized_shape", "weight", "bias", "eps"], required: 2)
                let x = try a[0]!.asTensor("input"), width = try TensorMethods.ints(a[1]!, "layer_norm")
                guard width.count == 1, width == [x.shape.last ?? -1] else { throw PyError.notImplemented("layer_norm over more than the last dimension") }
                let weight = try a[2].given?.asTensor("weight") ?? Tensor(floats: Array(repeating: 1, count: width[0]), shape: width)
                let bias = try a[3].given?.asTensor("bias") ?? Tensor(zeros: width)
                return .tensor(try x.layerNorm(weight: weight, bias: bias, eps: Float(try a[4]?.asDouble("eps") ?? 1e-5)))
            },
            "embedding": builtin("embedding") { args in
                let a = try args.bind("embedding", ["input", "weight", "padding_idx", "max_norm", "norm_type", "scale_grad_by_freq", "sparse"], required: 2)
                if let norm = a[3].given { throw PyError.notImplemented("embedding(..., max_norm=\(norm.repr))") }
                for (i, name) in [(5, "scale_grad_by_freq"), (6, "sparse")] where try a[i]?.isTruthy() == true {
                    throw PyError.notImplemented("embedding(..., \(name)=True)")
                }
                let table = try a[1]!.asTensor("weight"), ids = try a[0]!.asTensor("input")
                var padding = try a[2].given?.asInt("padding_idx")
                if let p = padding, table.rank == 2 {
                    guard p < table.shape[0] && p >= -table.shape[0] else {
                        throw PyError(.assertionError, "Padding_idx must be within num_embeddings")
                    }
                    padding = p < 0 ? p + table.shape[0] : p
                }
                return .tensor(try table.gatherRows(ids.dtype == .int32 ? ids.to(.int64) : ids, paddingIdx: padding))
            },
            "pad": builtin("pad") { args in
                let a = try args.bind("pad", ["input", "pad", "mode", "value"], required: 2)
                guard try (a[2]?.asString("mode") ?? "constant") == "constant" else { throw PyError.notImplemented("pad(..., mode=\(a[2]!.repr))") }
                return .tensor(try a[0]!.asTensor("input").padded(try TensorMethods.ints(a[1]!, "pad"),
                                                                 value: try a[3].given?.asScalar("value") ?? .int(0)))
            },
            "one_hot": builtin("one_hot") { args in
                let a = try args.bind("one_hot", ["tensor", "num_classes"], required: 1)
                return .tensor(try a[0]!.asTensor("tensor").oneHot(classes: try a[1]?.asInt("num_classes") ?? -1))
            },
            "linear": float32Builtin("linear") { args in
                let a = try args.bind("linear", ["input", "weight", "bias"], required: 2)
                let bias = try a[2].flatMap { value -> Tensor? in
                    if case .none = value { return nil }
                    return try value.asTensor("bias")
                }
                return .tensor(try a[0]!.asTensor("input").linear(weight: try a[1]!.asTensor("weight"), bias: bias))
            },
            "normalize": float32Builtin("normalize") { args in
                let a = try args.bind("normalize", ["input", "p", "dim", "eps"], required: 1)
                let x = try a[0]!.asTensor("input"), dim = try a[2]?.asInt("dim") ?? 1, p = try a[1]?.asDouble("p") ?? 2
                guard p == 1 || p == 2 else { throw PyError.notImplemented("normalize(..., p=\(a[1]!.repr))") }
                let norm = try (p == 1 ? x.abs().sum(dim: dim, keepDim: true) : x.combined(.mul, x).sum(dim: dim, keepDim: true).sqrt())
                    .clamp(min: .float(try a[3]?.asDouble("eps") ?? 1e-12), max: nil)
                return .tensor(try x.combined(.div, norm))
            },
            "cosine_similarity": float32Builtin("cosine_similarity") { args in
                let a = try args.bind("cosine_similarity", ["x1", "x2", "dim", "eps"], required: 2)
                let (x, y) = (try a[0]!.asTensor("x1"), try a[1]!.asTensor("x2"))
                return .tensor(try Tensor.cosineSimilarity(x, y, dim: try a[2]?.asInt("dim") ?? 1, eps: try a[3]?.asDouble("eps") ?? 1e-8))
            },
            "cross_entropy": float32Builtin("cross_entropy") { args in
                let a = try args.bind("cross_entropy", ["input", "target", "weight", "size_average", "ignore_index", "reduce", "reduction"], required: 2)
                return try crossEntropy(a[0]!, a[1]!, weight: a[2], ignoreIndex: a[4], reduction: a[6])
            },
            "dropout": float32Builtin("dropout") { args in
                let a = try args.bind("dropout", ["input", "p", "training", "inplace"], required: 1)
                return .tensor(try dropout(try a[0]!.asTensor("input"), p: try dropoutProbability(a[1]), training: try a[2]?.isTruthy() ?? true, inplace: a[3]))
            },
            "mse_loss": float32Builtin("mse_loss") { try pairLoss("mse_loss", $0) { try $0.mseLoss($1, reduction: $2) } },
            "binary_cross_entropy": float32Builtin("binary_cross_entropy") { try pairLoss("binary_cross_entropy", $0) { try $0.binaryCrossEntropy($1, reduction: $2) } },
            "binary_cross_entropy_with_logits": float32Builtin("binary_cross_entropy_with_logits") {
                try pairLoss("binary_cross_entropy_with_logits", $0) { try $0.binaryCrossEntropyWithLogits($1, reduction: $2) }
            },
        ], uniquingKeysWith: { _, explicit in explicit }), planned: TorchNames.functional)
    }

    /// `F.cross_entropy(input, target)`: batched `[N, C]` or one unbatched `[C]` row.
    static func crossEntropy(_ input: Value, _ target: Value, weight: Value?, ignoreIndex: Value?, reduction: Value?) throws -> Value {
        if let weight = weight.given { throw PyError.notImplemented("cross_entropy with class weights (weight=\(weight.typeName))") }
        let (x, y) = (try input.asTensor("input"), try target.asTensor("target"))
        let ignore = try ignoreIndex.map { try $0.asInt("ignore_index") } ?? -100
        if x.rank == 1 {
            let loss = try x.unsqueezed(0).crossEntropy(try y.reshaped([1]), ignoreIndex: ignore, reduction: try lossReduction(reduction))
            return .tensor(try loss.reshaped([]))
        }
        return .tensor(try x.crossEntropy(y, ignoreIndex: ignore, reduction: try lossReduction(reduction)))
    }

    /// `F.dropout` and `torch.dropout`: `x` itself unless training; in place is not done yet.
    static func dropout(_ x: Tensor, p: Double, training: Bool, inplace: Value?) throws -> Tensor {
        guard try !(inplace?.isTruthy() ?? false) else { throw PyError.notImplemented("dropout(..., inplace=True)") }
        return training ? try x.dropout(p: p) : x
    }

    /// `p=` of dropout (0.5 when not given), checked as torch checks it.
    static func dropoutProbability(_ value: Value?) throws -> Double {
        guard let value else { return 0.5 }
        let p = try value.asDouble("p")
        try Tensor.checkDropout(p, written: value.repr)
        return p
    }

    /// A loss of `(input, target, reduction=)`, both float tensors of one shape.
    static func pairLoss(_ name: String, _ args: Arguments, _ loss: (Tensor, Tensor, LossReduction) throws -> Tensor) throws -> Value {
        let a = try args.bind(name, ["input", "target", "size_average", "reduce", "reduction"], required: 2)
        return .tensor(try loss(try a[0]!.asTensor("input"), try a[1]!.asTensor("target"), try lossReduction(a[4])))
    }

    static func lossReduction(_ value: Value?) throws -> LossReduction {
        guard let value, value.typeName != "NoneType" else { return .mean }
        let name = try value.asString("reduction")
        guard let reduction = LossReduction(rawValue: name) else { throw PyError.value("\(name) is not a valid value for reduction") }
        return reduction
    }
}

/// A `torch.nn` module without parameters: its class, the settings its constructor takes (printed as torch's
/// `extra_repr`) and what calling it computes. One line each in `FunctionModule.all`.
struct FunctionModule {
    /// The class, e.g. `Softmax`.
    let name: String
    /// Its file under `torch.nn.modules` (`activation`, `loss`), for `type(m)`.
    let file: String
    /// The constructor's parameters with their defaults as torch prints them, e.g. `["dim": "None"]` in order.
    let parameters: [(name: String, defaultValue: Value)]
    /// Whether `print(m)` shows the settings (losses print as `CrossEntropyLoss()`).
    let showsSettings: Bool
    /// `m(*inputs)` given the settings by name.
    let forward: @Sendable ([String: Value], [Value]) throws -> Value

    static var all: [FunctionModule] { [
        FunctionModule(name: "Softmax", file: "activation", parameters: [("dim", .none)], showsSettings: true) { settings, inputs in
            let x = try tensorInput(inputs, "Softmax")
            return .tensor(try x.softmax(dim: try legacyDim(settings["dim"]!, x)))
        },
        FunctionModule(name: "LogSoftmax", file: "activation", parameters: [("dim", .none)], showsSettings: true) { settings, inputs in
            let x = try tensorInput(inputs, "LogSoftmax")
            return .tensor(try x.logSoftmax(dim: try legacyDim(settings["dim"]!, x)))
        },
        FunctionModule(name: "ReLU", file: "activation", parameters: [], showsSettings: false) { .tensor(try tensorInput($1, "ReLU").relu()) },
        FunctionModule(name: "Tanh", file: "activation", parameters: [], showsSettings: false) { .tensor(try tensorInput($1, "Tanh").tanh()) },
        FunctionModule(name: "Sigmoid", file: "activation", parameters: [], showsSettings: false) { .tensor(try tensorInput($1, "Sigmoid").sigmoid()) },
        FunctionModule(name: "SiLU", file: "activation", parameters: [], showsSettings: false) { .tensor(try tensorInput($1, "SiLU").silu()) },
        FunctionModule(name: "LeakyReLU", file: "activation", parameters: [("negative_slope", .float(0.01))], showsSettings: true) { settings, inputs in
            .tensor(try tensorInput(inputs, "LeakyReLU").leakyRelu(slope: Float(try settings["negative_slope"]!.asDouble("negative_slope"))))
        },
        FunctionModule(name: "Softplus", file: "activation", parameters: [("beta", .float(1)), ("threshold", .float(20))], showsSettings: true) { settings, inputs in
            .tensor(try tensorInput(inputs, "Softplus").softplus(beta: Float(try settings["beta"]!.asDouble("beta")),
                                                                 threshold: Float(try settings["threshold"]!.asDouble("threshold"))))
        },
        FunctionModule(name: "ELU", file: "activation", parameters: [("alpha", .float(1))], showsSettings: true) { settings, inputs in
            .tensor(try tensorInput(inputs, "ELU").elu(alpha: Float(try settings["alpha"]!.asDouble("alpha"))))
        },
        FunctionModule(name: "Identity", file: "linear", parameters: [], showsSettings: false) { _, inputs in
            guard inputs.count == 1 else { throw PyError.type("Identity.forward() takes 1 positional argument (input) but \(inputs.count) were given") }
            return inputs[0]
        },
        FunctionModule(name: "Flatten", file: "flatten", parameters: [("start_dim", .int(1)), ("end_dim", .int(-1))], showsSettings: true) { settings, inputs in
            .tensor(try TensorMethods.flattened(try tensorInput(inputs, "Flatten"), try settings["start_dim"]!.asInt("start_dim"),
                                                try settings["end_dim"]!.asInt("end_dim")))
        },
        FunctionModule(name: "GELU", file: "activation", parameters: [("approximate", .str("none"))], showsSettings: true) { settings, inputs in
            let x = try tensorInput(inputs, "GELU")
            return .tensor(try settings["approximate"]!.asString("approximate") == "tanh" ? x.geluTanh() : x.gelu())
        },
        FunctionModule(name: "CrossEntropyLoss", file: "loss", parameters: [("weight", .none), ("size_average", .none), ("ignore_index", .int(-100)),
                                                                       ("reduce", .none), ("reduction", .str("mean"))], showsSettings: false) { settings, inputs in
            guard inputs.count == 2 else { throw PyError.type("CrossEntropyLoss.forward() takes 2 arguments (input, target), \(inputs.count) given") }
            return try TorchModule.crossEntropy(inputs[0], inputs[1], weight: settings["weight"], ignoreIndex: settings["ignore_index"],
                                                reduction: settings["reduction"])
        },
        FunctionModule(name: "NLLLoss", file: "loss", parameters: [("weight", .none), ("size_average", .none), ("ignore_index", .int(-100)),
                                                              ("reduce", .none), ("reduction", .str("mean"))], showsSettings: false) { settings, inputs in
            guard inputs.count == 2 else { throw PyError.type("NLLLoss.forward() takes 2 arguments (input, target), \(inputs.count) given") }
            if let weight = settings["weight"].given { throw PyError.notImplemented("NLLLoss with class weights (weight=\(weight.typeName))") }
            return .tensor(try inputs[0].asTensor("input").nllLoss(try inputs[1].asTensor("target"), ignoreIndex: try settings["ignore_index"]!.asInt("ignore_index"),
                                                                  reduction: try TorchModule.lossReduction(settings["reduction"])))
        },
        pairLoss("MSELoss") { try $0.mseLoss($1, reduction: $2) },
        pairLoss("BCELoss") { try $0.binaryCrossEntropy($1, reduction: $2) },
        pairLoss("BCEWithLogitsLoss") { try $0.binaryCrossEntropyWithLogits($1, reduction: $2) },
    ] }

    /// `torch.nn.NAME`: the class, whose call makes the module object.
    var type: TypeObject {
        TypeObject(name, qualified: "torch.nn.modules.\(file).\(name)") { arguments in
            let bound = try arguments.bind(name, parameters.map(\.name))
            let settings = zip(parameters, bound).map { ($0.name, $1 ?? $0.defaultValue) }
            return .object(FunctionModuleObject(self, settings))
        }
    }

    private static func pairLoss(_ name: String, _ loss: @escaping @Sendable (Tensor, Tensor, LossReduction) throws -> Tensor) -> FunctionModule {
        FunctionModule(name: name, file: "loss", parameters: [("size_average", .none), ("reduce", .none), ("reduction", .str("mean"))], showsSettings: false) { settings, inputs in
            guard inputs.count == 2 else { throw PyError.type("\(name).forward() takes 2 arguments (input, target), \(inputs.count) given") }
            return .tensor(try loss(try inputs[0].asTensor("input"), try inputs[1].asTensor("target"), try TorchModule.lossReduction(settings["reduction"])))
        }
    }

    private static func tensorInput(_ inputs: [Value], _ name: String) throws -> Tensor {
        guard inputs.count == 1 else { throw PyError.type("\(name).forward() takes 1 positional argument (input) but \(inputs.count) were given") }
        return try inputs[0].asTensor("input")
    }

    /// `nn.Softmax()` without a dim: torch's legacy choice (0 for 0-, 1- and 3-D inputs, else 1).
    private static func legacyDim(_ dim: Value, _ x: Tensor) throws -> Int {
        if dim.typeName != "NoneType" { return try dim.asInt("dim") }
        return [0, 1, 3].contains(x.rank) ? 0 : 1
    }
}

/// A module made from a `FunctionModule`: `softmax = nn.Softmax(dim=-1)`, then `softmax(x)`.
final class FunctionModuleObject: CallableObject, MemberTableObject {
    let module: FunctionModule
    let settings: [(name: String, value: Value)]
    /// `m.training`, which its forward does not read.
    private var training = true

    init(_ module: FunctionModule, _ settings: [(String, Value)]) {
        self.module = module
        self.settings = settings.map { (name: $0.0, value: $0.1) }
    }

    var typeName: String { module.name }
    var qualifiedTypeName: String? { "torch.nn.modules.\(module.file).\(module.name)" }
    var repr: String { tree.description }
    /// As torch prints it: its settings, when the class shows them.
    var tree: ModuleTree {
        ModuleTree(module.name, module.showsSettings ? settings.map { "\($0.name)=\($0.value.repr)" }.joined(separator: ", ") : "")
    }
    static let members = MemberTable<FunctionModuleObject>("Module", ModuleWalk.members(tree: { $0.tree }, typeName: { $0.module.name }))

    var attributeNames: [String] { settings.map(\.name) + ["training"] + Self.members.names }

    func attribute(_ name: String, _ interpreter: Interpreter) throws -> Value? {
        if name == "training" { return .bool(training) }
        return try settings.first { $0.name == name }?.value ?? Self.members.value(of: name, for: self, interpreter)
    }

    /// `train(mode)` of a module holding it.
    func setTraining(_ mode: Bool) { training = mode }

    func call(_ arguments: Arguments, _ interpreter: Interpreter) throws -> Value? {
        guard arguments.keywords.isEmpty else {
            throw PyError.type("\(module.name).forward() got an unexpected keyword argument '\(arguments.keywords[0].name)'")
        }
        try Float64Support.reject(module.name, arguments)
        return try module.forward(Dictionary(uniqueKeysWithValues: settings.map { ($0.name, $0.value) }), arguments.positional)
    }
}

/// A `torch.nn` layer with parameters, made fresh (`FreshLayer`): its class, its file under `torch.nn.modules`, its
/// constructor's parameters (the first `required` of them without defaults) and how the bound arguments make it.
struct LayerClass {
    let name: String
    let file: String
    let parameters: [String]
    let required: Int
    let make: ([Value?]) throws -> any Module

    static var all: [LayerClass] { [
        LayerClass(name: "Linear", file: "linear", parameters: ["in_features", "out_features", "bias", "device", "dtype"], required: 2) { a in
            try FreshLayer.linear(inFeatures: try a[0]!.asInt("in_features"), outFeatures: try a[1]!.asInt("out_features"),
                                  bias: try a[2]?.isTruthy() ?? true)
        },
        LayerClass(name: "Embedding", file: "sparse", parameters: ["num_embeddings", "embedding_dim", "padding_idx"], required: 2) { a in
            try FreshLayer.embedding(count: try a[0]!.asInt("num_embeddings"), dim: try a[1]!.asInt("embedding_dim"),
                                     paddingIdx: try a[2].given?.asInt("padding_idx"))
        },
        LayerClass(name: "LayerNorm", file: "normalization", parameters: ["normalized_shape", "eps"], required: 1) { a in
            let shape = try TorchModule.sizes([a[0]!])
            guard shape.count == 1 else { throw PyError.notImplemented("LayerNorm over \(shape.count) dimensions (sbpl normalises over the last one)") }
            return try FreshLayer.layerNorm(dim: shape[0], eps: try a[1]?.asDouble("eps") ?? 1e-5)
        },
        LayerClass(name: "Dropout", file: "dropout", parameters: ["p", "inplace"], required: 0) { a in
            try FreshLayer.dropout(p: try TorchModule.dropoutProbability(a[0]))
        },
    ] }

    /// `torch.nn.NAME`: the class, whose call makes the layer.
    var type: TypeObject {
        TypeObject(name, qualified: "torch.nn.modules.\(file).\(name)") { args in
            .object(ModuleObject(try make(try args.bind(name, parameters, required: required)), owner: nil))
        }
    }
}
