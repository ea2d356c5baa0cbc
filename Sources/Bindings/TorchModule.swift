import Foundation
import Language
import TensorCore

enum TorchModule {
    static func make() -> PythonModule {
        PythonModule("torch", [
            "tensor": builtin("tensor") { args in
                let a = try args.bind("tensor", ["data", "dtype", "device", "requires_grad"], required: 1)
                var dtype: DType?
                if case .dtype(let d)? = a[1] { dtype = d }
                return .tensor(try tensor(from: a[0]!, dtype: dtype).requiringGrad(try a[3]?.isTruthy() ?? false))
            },
            "softmax": builtin("softmax") { try softmax("softmax", $0) },
            "argmax": builtin("argmax") { args in
                let a = try args.bind("argmax", ["input", "dim", "keepdim"], required: 1)
                return .tensor(try a[0]!.asTensor("argmax() input").argmax(dim: try TensorMethods.optionalDim(a[1]), keepDim: try a[2]?.isTruthy() ?? false))
            },
            "where": builtin("where") { args in
                let a = try args.bind("where", ["condition", "input", "other"], required: 3)
                /// A tensor argument, or a Python number as a 0-d tensor of its type.
                func operand(_ v: Value) throws -> Tensor {
                    switch v {
                    case .tensor(let t): return t
                    case .bool(let b): return Tensor(bools: [b], shape: [])
                    case .int(let i): return Tensor(ints: [Int64(i)], shape: [])
                    default: return Tensor(floats: [Float(try v.asDouble("where() argument"))], shape: [])
                    }
                }
                return .tensor(try Tensor.selecting(a[0]!.asTensor("condition"), operand(a[1]!), operand(a[2]!)))
            },
            "matmul": builtin("matmul") { args in
                let a = try args.bind("matmul", ["input", "other"], required: 2)
                return .tensor(try a[0]!.asTensor("input").matmul(try a[1]!.asTensor("other")))
            },
            "allclose": builtin("allclose") { args in
                let a = try args.bind("allclose", ["input", "other", "rtol", "atol"], required: 2)
                let (x, y) = (try a[0]!.asTensor("input").to(.float32), try a[1]!.asTensor("other").to(.float32))
                let (rtol, atol) = (try a[2]?.asDouble("rtol") ?? 1e-5, try a[3]?.asDouble("atol") ?? 1e-8)
                // |x - y| <= atol + rtol * |y|, everywhere (NaN is never close)
                let bound = y.abs().mapFloats { Float(atol) + Float(rtol) * $0 }
                let excess = try x.combined(.sub, y).abs().combined(.sub, bound)
                return .bool(excess.floats().allSatisfy { $0 <= 0 })
            },
            "zeros": builtin("zeros") { try filled(0, $0) },
            "ones": builtin("ones") { try filled(1, $0) },
            "arange": builtin("arange") { args in
                let a = try args.bind("arange", ["start", "end", "step", "dtype"], required: 1)
                let (start, end) = a[1] == nil ? (0, try a[0]!.asInt("end")) : (try a[0]!.asInt("start"), try a[1]!.asInt("end"))
                let step = try a[2]?.asInt("step") ?? 1
                guard step != 0 else { throw PyError(.runtimeError, "step must be nonzero") }
                try Tensor.checkAllocation([Swift.max(0, (end - start) / step)], dtype: .int64)
                let values = stride(from: start, to: end, by: step).map { Int64($0) }
                if case .dtype(.float32)? = a[3] { return .tensor(Tensor(floats: values.map { Float($0) }, shape: [values.count])) }
                return .tensor(Tensor(ints: values, shape: [values.count]))
            },
            "no_grad": builtin("no_grad") { try $0.expectNone("no_grad"); return .object(GradModeObject(.noGrad, enabled: false)) },
            "enable_grad": builtin("enable_grad") { try $0.expectNone("enable_grad"); return .object(GradModeObject(.enableGrad, enabled: true)) },
            "inference_mode": builtin("inference_mode") { args in
                let mode = try args.bind("inference_mode", ["mode"])[0]?.isTruthy() ?? true
                return .object(GradModeObject(.inferenceMode, enabled: !mode))
            },
            "set_grad_enabled": builtin("set_grad_enabled") { args in
                let mode = try args.bind("set_grad_enabled", ["mode"], required: 1)[0]!.isTruthy()
                return .object(GradModeObject(.setGradEnabled, enabled: mode))
            },
            "is_grad_enabled": builtin("is_grad_enabled") { try $0.expectNone("is_grad_enabled"); return .bool(GradMode.isEnabled) },
            "manual_seed": builtin("manual_seed") { args in
                let seed = try args.bind("manual_seed", ["seed"], required: 1)[0]!.asInt("seed")
                RandomGenerator.seed(UInt64(bitPattern: Int64(seed)))
                return .none
            },
            "float32": .dtype(.float32), "float": .dtype(.float32), "int64": .dtype(.int64), "long": .dtype(.int64), "bool": .dtype(.bool),
            "Size": .object(TypeObject("Size", qualified: "torch.Size") { args in
                .size(try Iteration.materialize(try args.bind("Size", ["sizes"])[0] ?? .tuple([])).map { try $0.asInt("torch.Size element") })
            }),
            "nn": .object(makeNN()),
            "device": .object(TypeObject("device", qualified: "torch.device") { args in
                .object(try DeviceObject(try args.bind("device", ["type"], required: 1)[0]!.asString("device")))
            }),
            "cuda": .object(PythonModule("torch.cuda", [
                "is_available": builtin("is_available") { try $0.expectNone("is_available"); return .bool(false) },
                "device_count": builtin("device_count") { try $0.expectNone("device_count"); return .int(0) },
            ])),
        ])
    }

    static func makeNN() -> PythonModule {
        PythonModule("torch.nn", [
            "functional": .object(makeFunctional()),
            "Parameter": .object(TypeObject("Parameter", qualified: "torch.nn.parameter.Parameter") { args in
                let a = try args.bind("Parameter", ["data", "requires_grad"])
                let data = try a[0].map { try $0.asTensor("data") } ?? Tensor(zeros: [0])
                return .tensor(try data.asParameter(requiresGrad: try a[1]?.isTruthy() ?? true))
            }),
        ])
    }

    static func makeFunctional() -> PythonModule {
        PythonModule("torch.nn.functional", [
            "softmax": builtin("softmax") { try softmax("softmax", $0) },
            "gelu": builtin("gelu") { .tensor(try $0.bind("gelu", ["input"], required: 1)[0]!.asTensor("input").gelu()) },
            "linear": builtin("linear") { args in
                let a = try args.bind("linear", ["input", "weight", "bias"], required: 2)
                let bias = try a[2].flatMap { value -> Tensor? in
                    if case .none = value { return nil }
                    return try value.asTensor("bias")
                }
                return .tensor(try a[0]!.asTensor("input").linear(weight: try a[1]!.asTensor("weight"), bias: bias))
            },
            "relu": builtin("relu") { .tensor(try $0.bind("relu", ["input"], required: 1)[0]!.asTensor("input").relu()) },
            "normalize": builtin("normalize") { args in
                let a = try args.bind("normalize", ["input", "p", "dim"], required: 1)
                let x = try a[0]!.asTensor("input"), dim = try a[2]?.asInt("dim") ?? 1
                let norm = try x.combined(.mul, x).sum(dim: dim, keepDim: true).sqrt().mapFloats { Swift.max($0, 1e-12) }
                return .tensor(try x.combined(.div, norm))
            },
            "cosine_similarity": builtin("cosine_similarity") { args in
                let a = try args.bind("cosine_similarity", ["x1", "x2", "dim", "eps"], required: 2)
                let (x, y) = (try a[0]!.asTensor("x1"), try a[1]!.asTensor("x2"))
                let dim = try a[2]?.asInt("dim") ?? 1
                let dot = try x.combined(.mul, y).sum(dim: dim)
                let nx = try x.combined(.mul, x).sum(dim: dim).sqrt(), ny = try y.combined(.mul, y).sum(dim: dim).sqrt()
                let denominator = try nx.combined(.mul, ny).mapFloats { Swift.max($0, 1e-8) }
                return .tensor(try dot.combined(.div, denominator).recorded(.sumDim, from: x, y))
            },
        ])
    }

    private static func softmax(_ name: String, _ args: Arguments) throws -> Value {
        let a = try args.bind(name, ["input", "dim", "dtype"], required: 1)
        guard let dim = a[1] else {
            throw PyError.type("softmax() missing required argument 'dim' (sbpl's short form softmax(x) uses the last dimension)")
        }
        return .tensor(try a[0]!.asTensor("softmax() input").softmax(dim: try dim.asInt("dim")))
    }

    private static func filled(_ value: Float, _ args: Arguments) throws -> Value {
        var dtype = DType.float32
        var shapeArgs = args
        if let d = args.keywords.first(where: { $0.name == "dtype" }) {
            guard case .dtype(let t) = d.value else { throw PyError.type("dtype must be a torch.dtype") }
            dtype = t
            shapeArgs.keywords.removeAll { $0.name == "dtype" }
        }
        let requiresGrad = try args.keywords.first { $0.name == "requires_grad" }?.value.isTruthy() ?? false
        var dims = shapeArgs.positional
        if dims.count == 1, ["tuple", "list", "Size"].contains(dims[0].typeName) { dims = try Iteration.materialize(dims[0]) }
        let shape = try dims.map { try $0.asInt("size") }
        try Tensor.checkAllocation(shape, dtype: dtype)
        let count = shape.reduce(1, *)
        let filled = dtype == .int64 ? Tensor(ints: [Int64](repeating: Int64(value), count: count), shape: shape)
                                     : Tensor(floats: [Float](repeating: value, count: count), shape: shape)
        return .tensor(try filled.requiringGrad(requiresGrad))
    }

    /// `torch.tensor(data)`: nested lists of numbers (or a tensor) to a tensor; ints give int64, floats float32.
    static func tensor(from data: Value, dtype: DType?) throws -> Tensor {
        var shape = [Int]()
        var flat = [Value]()
        func walk(_ v: Value, _ depth: Int) throws {
            switch v {
            case .list, .tuple:
                let items = try Iteration.materialize(v)
                if depth == shape.count { shape.append(items.count) } else if shape[depth] != items.count {
                    throw PyError.value("expected sequence of length \(shape[depth]) at dim \(depth) (got \(items.count))")
                }
                for item in items { try walk(item, depth + 1) }
            case .int, .bigInt, .float, .bool:
                guard depth == shape.count else { throw PyError.type("expected a sequence at dim \(depth), got \(v.typeName)") }
                flat.append(v)
            case .tensor(let t) where t.rank == 0:
                flat.append(Value(try t.item()))
            default:
                throw PyError.type("new(): invalid data type '\(v.typeName)'")
            }
        }
        if case .tensor(let t) = data { return t.to(dtype ?? t.dtype).copy().detached() }
        if case .object(let array as NDArrayObject) = data { return array.tensor.to(dtype ?? .int64).copy() }
        try walk(data, 0)
        let isFloat = flat.isEmpty || flat.contains { if case .float = $0 { return true } else { return false } }
        let isBool = !flat.isEmpty && flat.allSatisfy { if case .bool = $0 { return true } else { return false } }
        let target = dtype ?? (isFloat ? .float32 : isBool ? .bool : .int64)
        if target == .bool { return Tensor(bools: try flat.map { try $0.isTruthy() }, shape: shape) }
        if target == .float32 {
            return Tensor(floats: try flat.map { Float(try $0.asDouble("element")) }, shape: shape)
        }
        return Tensor(ints: try flat.map { v in
            switch v {
            case .float(let f):
                guard let i = Int64(exactly: f.rounded(.towardZero)) else {
                    throw PyError(.runtimeError, "value cannot be converted to type int64_t without overflow")
                }
                return i
            case .bigInt: throw PyError(.runtimeError, "Overflow when unpacking long")
            default: return Int64(try v.asInt("element"))
            }
        }, shape: shape)
    }
}
