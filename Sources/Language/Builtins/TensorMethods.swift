import TensorCore

/// Tensor attributes and methods with torch's names and keyword arguments.
public enum TensorMethods {
    public static let table = MemberTable<Tensor>("Tensor", [
        .attribute("shape", "the size of each dimension, a torch.Size") { .size($0.shape) },
        .attribute("dtype", "the element type, e.g. torch.float32") { .dtype($0.dtype) },
        .attribute("ndim", "the number of dimensions") { .int($0.rank) },
        .attribute("device", "where the tensor lives: the CPU") { _ in DeviceObject.cpu },
        .attribute("requires_grad", "whether operations on it are recorded for autograd") { .bool($0.requiresGrad) },
        .attribute("is_leaf", "whether it was made by the user rather than by a recorded operation") { .bool($0.isLeaf) },
        .attribute("grad_fn", "the backward function of the operation that made it (None for a leaf)") { t in
            t.gradFunction.map { .object(GradFunctionObject($0)) } ?? .none
        },
        .attribute("grad", "the gradient backward() computes: None, as sbpl runs models for inference only") { _ in .none },
        .method("backward", "gradient=None, retain_graph=None, create_graph=False, inputs=None",
                "computes gradients (not supported: sbpl runs models for inference only)") { t, _ in
            guard t.requiresGrad else {
                throw PyError(.runtimeError, "element 0 of tensors does not require grad and does not have a grad_fn")
            }
            throw PyError(.notImplementedError, "sbpl does not support backward() yet: it runs models for inference only")
        },
        .method("requires_grad_", "requires_grad=True", "makes the tensor require grad in place (not supported)") { _, _ in
            throw PyError(.notImplementedError,
                          "sbpl does not support requires_grad_() yet: create the tensor with requires_grad=True, e.g. torch.tensor(data, requires_grad=True)")
        },
        .attribute("T", "the 2-D tensor transposed") { t in
            guard t.rank == 2 else { throw PyError.notSupported(".T on a \(t.rank)-D tensor (use .permute)") }
            return .tensor(try t.permuted([1, 0]))
        },
        .method("size", "dim=None", "the shape, or the size of dimension dim") { t, call in
            guard let d = try optionalDim(call[0]) else { return .size(t.shape) }
            return .int(t.shape[try t.dimension(d)])
        },
        .method("dim", "", "the number of dimensions") { t, _ in .int(t.rank) },
        .method("numel", "", "the number of elements") { t, _ in .int(t.count) },
        .method("argmax", "dim=None, keepdim=False", "the index of the largest value (over dim when given)") { t, call in
            .tensor(try t.argmax(dim: try optionalDim(call[0]), keepDim: try call[1]?.isTruthy() ?? false))
        },
        .method("softmax", "dim, dtype=None", "exp(x) / sum(exp(x)) over dim") { t, call in
            .tensor(try t.softmax(dim: try call[0]!.asInt("dim")))
        },
        .method("max", "dim=None, keepdim=False", "the largest value, or (values, indices) over dim") { t, call in
            guard let d = try optionalDim(call[0]) else { return .tensor(try t.max()) }
            let (values, indices) = try t.max(dim: d, keepDim: try call[1]?.isTruthy() ?? false)
            return .object(NamedTuple("torch.return_types.max", [("values", .tensor(values)), ("indices", .tensor(indices))]))
        },
        .method("sum", "dim=None, keepdim=False", "the sum of the elements (over dim when given)") { t, call in
            .tensor(try t.sum(dim: try optionalDim(call[0]), keepDim: try call[1]?.isTruthy() ?? false))
        },
        .method("mean", "dim=None, keepdim=False", "the mean of the elements (over dim when given)") { t, call in
            .tensor(try t.mean(dim: try optionalDim(call[0]), keepDim: try call[1]?.isTruthy() ?? false))
        },
        .method("tolist", "", "the elements as nested Python lists of ints or floats") { t, _ in toList(t) },
        .method("item", "", "the one element as a Python int or float") { t, _ in Value(try t.item()) },
        .method("float", "", "the tensor as float32") { t, _ in .tensor(t.to(.float32)) },
        .method("long", "", "the tensor as int64") { t, _ in .tensor(t.to(.int64)) },
        .method("bool", "", "the tensor as bool (nonzero is True)") { t, _ in .tensor(t.to(.bool)) },
        .method("any", "", "whether any element is nonzero, as a 0-d bool tensor") { t, _ in .tensor(t.any()) },
        .method("all", "", "whether every element is nonzero, as a 0-d bool tensor") { t, _ in .tensor(t.all()) },
        .method("to", "dtype", "the tensor converted to dtype (a device leaves it as it is: sbpl runs on the CPU)") { t, call in
            guard case .dtype(let d)? = call[0] else { return .tensor(t) }
            return .tensor(t.to(d))
        },
        .method("transpose", "dim0, dim1", "a view with dimensions dim0 and dim1 swapped") { t, call in
            .tensor(try t.transposed(try call[0]!.asInt("dim0"), try call[1]!.asInt("dim1")))
        },
        .method("permute", "*dims", "a view with the dimensions in the order given") { t, call in
            .tensor(try t.permuted(try dims(call.arguments, "permute")))
        },
        .method("reshape", "*shape", "the elements in a new shape (-1 for the one inferred)") { t, call in
            .tensor(try t.reshaped(try dims(call.arguments, "reshape")))
        },
        .method("view", "*shape", "a view of the elements in a new shape (-1 for the one inferred)") { t, call in
            .tensor(try t.reshaped(try dims(call.arguments, "view")))
        },
        .method("unsqueeze", "dim", "a view with a dimension of size 1 inserted at dim") { t, call in
            .tensor(try t.unsqueezed(try call[0]!.asInt("dim")))
        },
        .method("squeeze", "dim=None", "a view without dimensions of size 1 (only dim, when given)") { t, call in
            .tensor(try t.squeezed(try optionalDim(call[0])))
        },
        .method("unbind", "dim=0", "the sub-tensors along dim 0, as a tuple") { t, call in
            guard try optionalDim(call[0]).map({ try t.dimension($0) }) ?? 0 == 0 else {
                throw PyError.notSupported("unbind along a dimension other than 0")
            }
            return .tuple(try t.unbound().map { .tensor($0) })
        },
        .method("contiguous", "", "the tensor with its elements in row-major order") { t, _ in .tensor(t.contiguous()) },
        .method("exp", "", "e to the power of each element") { t, _ in .tensor(t.exp()) },
        .method("tanh", "", "the hyperbolic tangent of each element") { t, _ in .tensor(t.tanh()) },
        .method("relu", "", "max(0, x) for each element") { t, _ in .tensor(t.relu()) },
        .method("abs", "", "the absolute value of each element") { t, _ in .tensor(t.abs()) },
        .method("sqrt", "", "the square root of each element") { t, _ in .tensor(t.sqrt()) },
        .method("detach", "", "the same values, cut from the autograd graph") { t, _ in .tensor(t.detached()) },
        .method("cpu", "", "the tensor on the CPU (where sbpl keeps every tensor)") { t, _ in .tensor(t) },
        .method("clone", "", "a copy of the tensor") { t, _ in .tensor(t.copy()) },
        .method("matmul", "other", "the matrix product with other") { t, call in
            .tensor(try t.matmul(try call[0]!.asTensor("other")))
        },
    ])

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
    public static func optionalDim(_ v: Value?) throws -> Int? {
        if case .none? = v { return nil }
        return try v.map { try $0.asInt("dim") }
    }

    /// `tensor.tolist()`: nested lists of Python ints or floats.
    public static func toList(_ t: Tensor) -> Value {
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
public final class NamedTuple: IterableObject {
    public let typeName: String
    let fields: [(name: String, value: Value)]

    public init(_ typeName: String, _ fields: [(String, Value)]) {
        self.typeName = typeName
        self.fields = fields.map { (name: $0.0, value: $0.1) }
    }

    public var items: [Value] { fields.map(\.value) }
    public var repr: String { typeName + "(\n" + fields.map { "\($0.name)=\($0.value.repr)" }.joined(separator: ",\n") + ")" }
    public var attributeNames: [String] { fields.map(\.name) }

    public func attribute(_ name: String, _ interpreter: Interpreter) throws -> Value? {
        fields.first { $0.name == name }?.value
    }
}
