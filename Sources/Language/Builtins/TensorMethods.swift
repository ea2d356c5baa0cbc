import TensorCore

/// Tensor attributes and methods with torch's names and keyword arguments.
enum TensorMethods {
    static let names = ["shape", "dtype", "ndim", "T", "size", "dim", "numel", "argmax", "softmax", "max", "sum",
                        "mean", "tolist", "item", "float", "long", "to", "transpose", "permute", "reshape", "view",
                        "unsqueeze", "squeeze", "contiguous", "exp", "tanh", "relu", "abs", "sqrt", "detach", "cpu",
                        "clone", "matmul"]

    static func attribute(_ t: Tensor, _ name: String, _ interpreter: Interpreter) throws -> Value? {
        switch name {
        case "shape": return .size(t.shape)
        case "dtype": return .dtype(t.dtype)
        case "ndim": return .int(t.rank)
        case "T":
            guard t.rank == 2 else { throw PyError.notSupported(".T on a \(t.rank)-D tensor (use .permute)") }
            return .tensor(try t.transposed(0, 1))
        default:
            guard names.contains(name) else { return nil }
            return Attributes.method(name) { args in try call(t, name, args) }
        }
    }

    /// Dimensions given as `f(2, 3)` or `f((2, 3))` / `f([2, 3])`.
    private static func dims(_ args: Arguments, _ name: String) throws -> [Int] {
        guard args.keywords.isEmpty || (args.keywords.count == 1 && ["dims", "shape", "size"].contains(args.keywords[0].name)) else {
            throw PyError.type("\(name)() got an unexpected keyword argument '\(args.keywords[0].name)'")
        }
        var values = args.positional + args.keywords.map(\.value)
        if values.count == 1, ["tuple", "list", "Size"].contains(values[0].typeName) { values = try Iteration.materialize(values[0]) }
        return try values.map { try $0.asInt("\(name)() dimension") }
    }

    /// `dim=` as an optional int.
    static func optionalDim(_ v: Value?) throws -> Int? {
        if case .none? = v { return nil }
        return try v.map { try $0.asInt("dim") }
    }

    static func call(_ t: Tensor, _ name: String, _ args: Arguments) throws -> Value {
        switch name {
        case "size":
            guard let d = try optionalDim(try args.bind(name, ["dim"])[0]) else { return .size(t.shape) }
            return .int(t.shape[try t.dimension(d)])
        case "dim": try args.expectNone(name); return .int(t.rank)
        case "numel": try args.expectNone(name); return .int(t.count)
        case "argmax":
            let a = try args.bind(name, ["dim", "keepdim"])
            return .tensor(try t.argmax(dim: try optionalDim(a[0]), keepDim: try a[1]?.isTruthy() ?? false))
        case "softmax":
            let a = try args.bind(name, ["dim", "dtype"], required: 1)
            return .tensor(try t.softmax(dim: try a[0]!.asInt("dim")))
        case "max":
            let a = try args.bind(name, ["dim", "keepdim"])
            guard let d = try optionalDim(a[0]) else { return .tensor(try t.max()) }
            let (values, indices) = try t.max(dim: d, keepDim: try a[1]?.isTruthy() ?? false)
            return .object(NamedTuple("torch.return_types.max", [("values", .tensor(values)), ("indices", .tensor(indices))]))
        case "sum", "mean":
            let a = try args.bind(name, ["dim", "keepdim"])
            let d = try optionalDim(a[0]), keep = try a[1]?.isTruthy() ?? false
            return .tensor(name == "sum" ? try t.sum(dim: d, keepDim: keep) : try t.mean(dim: d, keepDim: keep))
        case "tolist": try args.expectNone(name); return toList(t)
        case "item": try args.expectNone(name); return Value(try t.item())
        case "float": try args.expectNone(name); return .tensor(t.to(.float32))
        case "long": try args.expectNone(name); return .tensor(t.to(.int64))
        case "to":
            guard case .dtype(let d)? = try args.bind(name, ["dtype"], required: 1)[0] else {
                return .tensor(t)  // devices: sbpl is CPU-only
            }
            return .tensor(t.to(d))
        case "transpose":
            let a = try args.bind(name, ["dim0", "dim1"], required: 2)
            return .tensor(try t.transposed(try a[0]!.asInt("dim0"), try a[1]!.asInt("dim1")))
        case "permute": return .tensor(try t.permuted(try dims(args, name)))
        case "reshape", "view": return .tensor(try t.reshaped(try dims(args, name)))
        case "unsqueeze": return .tensor(try t.unsqueezed(try args.bind(name, ["dim"], required: 1)[0]!.asInt("dim")))
        case "squeeze":
            let d = try optionalDim(try args.bind(name, ["dim"])[0])
            let keep = t.shape.indices.filter { i in t.shape[i] != 1 || (d != nil && (try? t.dimension(d!)) != i) }
            return .tensor(try t.reshaped(keep.map { t.shape[$0] }))
        case "contiguous", "detach", "cpu": return .tensor(t.contiguous())
        case "clone": return .tensor(t.copy())
        case "exp": return .tensor(t.exp())
        case "tanh": return .tensor(t.tanh())
        case "relu": return .tensor(t.relu())
        case "abs": return .tensor(t.abs())
        case "sqrt": return .tensor(t.sqrt())
        case "matmul": return .tensor(try t.matmul(try args.bind(name, ["other"], required: 1)[0]!.asTensor("other")))
        default: throw PyError.attribute("Tensor", name)
        }
    }

    /// `tensor.tolist()`: nested lists of Python ints or floats.
    static func toList(_ t: Tensor) -> Value {
        let scalars = t.scalars().map(Value.init)
        func nest(_ dims: ArraySlice<Int>, _ items: ArraySlice<Value>) -> Value {
            guard let first = dims.first else { return items.first ?? .none }
            let step = dims.dropFirst().reduce(1, *)
            return .list(PyList((0..<first).map { i in
                nest(dims.dropFirst(), items[(items.startIndex + i * step)..<(items.startIndex + (i + 1) * step)])
            }))
        }
        return t.rank == 0 ? scalars[0] : nest(t.shape[...], scalars[...])
    }
}

/// A named tuple such as `torch.return_types.max(values=..., indices=...)`.
final class NamedTuple: IterableObject {
    let typeName: String
    let fields: [(name: String, value: Value)]

    init(_ typeName: String, _ fields: [(String, Value)]) {
        self.typeName = typeName
        self.fields = fields.map { (name: $0.0, value: $0.1) }
    }

    var items: [Value] { fields.map(\.value) }
    var repr: String { typeName + "(\n" + fields.map { "\($0.name)=\($0.value.repr)" }.joined(separator: ",\n") + ")" }
    var attributeNames: [String] { fields.map(\.name) }

    func attribute(_ name: String, _ interpreter: Interpreter) throws -> Value? {
        fields.first { $0.name == name }?.value
    }
}
