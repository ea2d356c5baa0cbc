import Foundation
import Language
import TensorCore

/// The `torch` module: the tensor methods that torch also offers as functions (derived from
/// `TensorMethods.functions`), the functions that make tensors (`TorchModule.creation`), dtypes, grad modes,
/// `torch.nn` and the CPU-only device answers.
enum TorchModule {
    /// The PyTorch release whose printing and numbers sbpl reproduces.
    static let version = "2.15.0"

    static func make() -> PythonModule {
        var members = derivedFunctions()
        members.merge(creation(), uniquingKeysWith: { _, explicit in explicit })
        members.merge(TorchSerialization.functions(), uniquingKeysWith: { _, explicit in explicit })
        members.merge(DType.allCases.map { ($0.name, Value.dtype($0)) }, uniquingKeysWith: { _, explicit in explicit })
        members.merge(DType.aliases.mapValues(Value.dtype), uniquingKeysWith: { _, explicit in explicit })
        members.merge([
            "softmax": float32Builtin("softmax") { try softmax("softmax", $0) },
            "dropout": float32Builtin("dropout") { args in
                let a = try args.bind("dropout", ["input", "p", "train"], required: 3)
                return .tensor(try dropout(try a[0]!.asTensor("input"), p: try dropoutProbability(a[1]), training: try a[2]!.isTruthy(), inplace: nil))
            },
            "where": builtin("where") { args in
                let a = try args.bind("where", ["condition", "input", "other"], required: 1)
                if a[1] == nil && a[2] == nil { return try TensorMethods.nonzero(try a[0]!.asTensor("condition"), asTuple: true) }   // torch.where(x)
                guard a[1] != nil, a[2] != nil else { throw PyError.type("where() missing 1 required positional argument: '\(a[1] == nil ? "input" : "other")'") }
                return .tensor(try Tensor.selecting(a[0]!.asTensor("condition"), a[1]!.asTensorOperand("input"), a[2]!.asTensorOperand("other")))
            },
            "cat": builtin("cat") { try joined("cat", $0, Tensor.concatenated) },
            "einsum": builtin("einsum") { args in
                guard case .str(let equation)? = args.positional.first else { throw PyError.type("einsum(): argument 'equation' must be str") }
                var rest = Array(args.positional.dropFirst())
                if rest.count == 1, ["list", "tuple"].contains(rest[0].typeName) { rest = try Iteration.materialize(rest[0]) }
                return .tensor(try Tensor.einsum(equation, try rest.enumerated().map { try $0.element.asTensor("operand \($0.offset)") }))
            },
            "concat": builtin("concat") { try joined("concat", $0, Tensor.concatenated) },
            "stack": builtin("stack") { try joined("stack", $0, Tensor.stacked) },
            // numpy's stacking: side by side (1-D tensors end to end), and as rows (1-D tensors each a row)
            "hstack": builtin("hstack") { try joined("hstack", $0) { tensors, _ in
                try Tensor.concatenated(tensors.map { $0.rank == 0 ? try $0.reshaped([1]) : $0 }, dim: tensors.allSatisfy { $0.rank <= 1 } ? 0 : 1)
            } },
            "vstack": builtin("vstack") { try joined("vstack", $0) { tensors, _ in
                try Tensor.concatenated(tensors.map { $0.rank < 2 ? try $0.reshaped([1, $0.count]) : $0 }, dim: 0)
            } },
            "allclose": builtin("allclose") { args in
                let a = try args.bind("allclose", ["input", "other", "rtol", "atol", "equal_nan"], required: 2)
                let (x, y) = (try a[0]!.asTensor("input").to(.float32), try a[1]!.asTensor("other").to(.float32))
                let close = try Tensor.isClose(x, y, rtol: try a[2]?.asDouble("rtol") ?? 1e-5, atol: try a[3]?.asDouble("atol") ?? 1e-8,
                                               equalNaN: try a[4]?.isTruthy() ?? false)
                return .bool(close.bools().allSatisfy { $0 })
            },
            "equal": builtin("equal") { args in
                let a = try args.bind("equal", ["input", "other"], required: 2)
                let (x, y) = (try a[0]!.asTensor("input"), try a[1]!.asTensor("other"))
                return .bool(x.shape == y.shape && x.doubles() == y.doubles())
            },
            "no_grad": .object(BuiltinFunction("no_grad", calling: { try GradModeObject.made(.noGrad, enabled: false, $0, $1) })),
            "enable_grad": .object(BuiltinFunction("enable_grad", calling: { try GradModeObject.made(.enableGrad, enabled: true, $0, $1) })),
            "inference_mode": builtin("inference_mode") { args in
                let mode = try args.bind("inference_mode", ["mode"])[0]?.isTruthy() ?? true
                return .object(GradModeObject(.inferenceMode, enabled: !mode))
            },
            "set_grad_enabled": builtin("set_grad_enabled") { args in
                let mode = try args.bind("set_grad_enabled", ["mode"], required: 1)[0]!.isTruthy()
                return .object(GradModeObject(.setGradEnabled, enabled: mode))
            },
            "set_printoptions": builtin("set_printoptions") { args in
                let a = try args.bind("set_printoptions", ["precision", "threshold", "edgeitems", "linewidth", "profile", "sci_mode"])
                var options = PrintOptions.current
                if let profile = try a[4].given.map({ try $0.asString("profile") }), let preset = PrintOptions.profile(profile) { options = preset }
                func count(_ value: Value?, _ name: String) throws -> Int? {
                    guard let value = value.given else { return nil }
                    if case .float(let f) = value, f == .infinity { return .max }
                    return try value.asInt(name)
                }
                options.precision = try count(a[0], "precision") ?? options.precision
                options.threshold = try count(a[1], "threshold") ?? options.threshold
                options.edgeItems = try count(a[2], "edgeitems") ?? options.edgeItems
                options.lineWidth = try count(a[3], "linewidth") ?? options.lineWidth
                options.sciMode = try a[5].given?.isTruthy()   // always set: None lets the formatter choose again
                PrintOptions.current = options
                return .none
            },
            "is_grad_enabled": builtin("is_grad_enabled") { try $0.expectNone("is_grad_enabled"); return .bool(GradMode.isEnabled) },
            "is_tensor": builtin("is_tensor") { args in
                if case .tensor = try args.bind("is_tensor", ["obj"], required: 1)[0]! { return .bool(true) }
                return .bool(false)
            },
            "get_default_dtype": builtin("get_default_dtype") { try $0.expectNone("get_default_dtype"); return .dtype(.float32) },
            "finfo": builtin("finfo") { args in
                guard let given = try args.bind("finfo", ["type"])[0] else { return .object(try TypeInfoObject.floating(.float32)) }
                guard case .dtype(let dtype) = given else { throw PyError.type("finfo(): argument 'type' must be torch.dtype, not \(given.typeName)") }
                return .object(try TypeInfoObject.floating(dtype))
            },
            "iinfo": builtin("iinfo") { args in
                let given = try args.bind("iinfo", ["type"], required: 1)[0]!
                guard case .dtype(let dtype) = given else { throw PyError.type("iinfo(): argument 'type' must be torch.dtype, not \(given.typeName)") }
                return .object(try TypeInfoObject.integer(dtype))
            },
            "manual_seed": builtin("manual_seed") { args in
                let seed = try args.bind("manual_seed", ["seed"], required: 1)[0]!.asInt("seed")
                RandomGenerator.seed(UInt64(bitPattern: Int64(seed)))
                return .none
            },
            "Tensor": .object(TypeObject("Tensor", qualified: "torch.Tensor") { args in
                .tensor(try tensor(from: try args.bind("Tensor", ["data"])[0] ?? .list(PyList([])), dtype: .float32))
            }),
            "Size": .object(TypeObject("Size", qualified: "torch.Size") { args in
                .size(try Iteration.materialize(try args.bind("Size", ["sizes"])[0] ?? .tuple([])).map { try $0.asInt("torch.Size element") })
            }),
            "nn": .object(makeNN()),
            "quantization": .object(makeQuantization("torch.quantization")),
            "ao": .object(makeAO()),
            "optim": .object(makeOptim()),
            "utils": .object(makeUtils()),
            "qint8": qint8, "per_tensor_affine": perTensorAffine,
            "device": .object(TypeObject("device", qualified: "torch.device", construct: device)),
            "cuda": .object(PythonModule("torch.cuda", [
                "is_available": builtin("is_available") { try $0.expectNone("is_available"); return .bool(false) },
                "device_count": builtin("device_count") { try $0.expectNone("device_count"); return .int(0) },
            ])),
            "__version__": .str(version),
        ], uniquingKeysWith: { _, explicit in explicit })
        return PythonModule("torch", members, planned: TorchNames.torch)
    }

    /// `torch.sum(x, dim=1)` and the rest: each method of `TensorMethods.functions` with its tensor first.
    static func derivedFunctions() -> [String: Value] {
        Dictionary(uniqueKeysWithValues: TensorMethods.functionNames.compactMap { name in
            TensorMethods.table.function(name) { value in
                guard case .tensor(let t) = value else {
                    throw PyError.type("\(name)(): argument 'input' (position 1) must be Tensor, not \(value.typeName)")
                }
                return t
            }.map { (name, $0) }
        })
    }

    /// `torch.device("cuda:1")`, `torch.device("cuda", 1)` or `torch.device(device)`, with torch's errors.
    private static func device(_ args: Arguments) throws -> Value {
        let a = try args.bind("device", ["type", "index"], required: 1)
        if case .object(let device as DeviceObject)? = a[0], a[1] == nil { return .object(device) }
        let type = try a[0]!.asString("device")
        guard let index = a[1] else { return .object(try DeviceObject(type)) }
        guard case .int(let i) = index else {
            throw PyError.type("device(): argument 'index' (position 2) must be int, not \(index.typeName)")
        }
        guard !type.contains(":") else {
            throw PyError(.runtimeError, "type (string) must not include an index because index was passed explicitly: \(type)")
        }
        guard i >= 0 else { throw PyError(.runtimeError, "Device index must not be negative") }
        return .object(try DeviceObject("\(type):\(i)"))
    }

    /// `torch.cat(tensors, dim=0)` and `torch.stack`: a list or tuple of tensors joined along `dim`.
    private static func joined(_ name: String, _ args: Arguments, _ join: ([Tensor], Int) throws -> Tensor) throws -> Value {
        let a = try args.bind(name, ["tensors", "dim"], required: 1)
        guard ["list", "tuple"].contains(a[0]!.typeName) else {
            throw PyError.type("\(name)(): argument 'tensors' (position 1) must be tuple of Tensors, not \(a[0]!.typeName)")
        }
        let tensors = try Iteration.materialize(a[0]!).enumerated().map { i, v in
            guard case .tensor(let t) = v else {
                throw PyError.type("expected Tensor as element \(i) in argument 0, but got \(v.typeName)")
            }
            return t
        }
        return .tensor(try join(tensors, try a[1]?.asInt("dim") ?? 0))
    }

    static func softmax(_ name: String, _ args: Arguments) throws -> Value {
        let a = try args.bind(name, ["input", "dim", "dtype"], required: 1)
        guard let dim = a[1] else {
            throw PyError.type("softmax() missing required argument 'dim' (sbpl's short form softmax(x) uses the last dimension)")
        }
        return .tensor(try a[0]!.asTensor("softmax() input").softmax(dim: try dim.asInt("dim")))
    }
}
