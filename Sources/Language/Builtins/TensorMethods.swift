import TensorCore

/// Tensor attributes and methods with torch's names and keyword arguments.
public enum TensorMethods {
    public static let table = MemberTable<Tensor>("Tensor", members + functions + inPlace)

    private static let members: [Member<Tensor>] = [
        .attribute("shape", "the size of each dimension, a torch.Size") { .size($0.shape) },
        .attribute("dtype", "the element type, e.g. torch.float32") { .dtype($0.dtype) },
        .attribute("ndim", "the number of dimensions") { .int($0.rank) },
        .attribute("device", "where the tensor lives: the CPU") { _ in DeviceObject.cpu },
        .attribute("requires_grad", "whether operations on it are recorded for autograd") { .bool($0.requiresGrad) },
        .attribute("is_leaf", "whether it was made by the user rather than by a recorded operation") { .bool($0.isLeaf) },
        .attribute("grad_fn", "the backward function of the operation that made it (None for a leaf)") { t in
            t.gradFunction.map { .object(GradFunctionObject($0)) } ?? .none
        },
        .attribute("grad", "the gradient backward() summed into this leaf (None before, or for a non-leaf)") { t in
            t.grad.map(Value.tensor) ?? .none
        },
        .method("backward", "gradient=None, retain_graph=None, create_graph=False, inputs=None",
                "sums the gradient of this tensor into the .grad of every leaf it was computed from") { t, call in
            if let create = call[2], try create.isTruthy() {
                throw PyError(.notImplementedError, "sbpl does not support backward(create_graph=True) yet")
            }
            if let inputs = call[3], inputs.typeName != "NoneType" {
                throw PyError(.notImplementedError, "sbpl does not support backward(inputs=...) yet")
            }
            let gradient = try call[0].flatMap { $0.typeName == "NoneType" ? nil : try $0.asTensor("gradient") }
            try t.backward(gradient: gradient, retainGraph: try call[1]?.isTruthy() ?? false)
            return .none
        },
        .method("retain_grad", "", "makes a result keep the gradient backward() computes for it in .grad") { t, _ in
            try t.retainGrad()
            return .none
        },
        .attribute("retains_grad", "whether a result keeps its gradient in .grad (retain_grad())") { .bool($0.retainsGrad) },
        .method("requires_grad_", "requires_grad=True", "makes the tensor (a leaf) require grad, or stop requiring it, in place") { t, call in
            try t.setRequiresGrad(try call[0]?.isTruthy() ?? true)
            return .tensor(t)
        },
        .attribute("T", "the 2-D tensor transposed") { t in
            guard t.rank == 2 else { throw PyError.notImplemented(".T on a \(t.rank)-D tensor (use .permute)") }
            return .tensor(try t.permuted([1, 0]))
        },
        .attribute("mT", "the last two dimensions transposed, as a view") { t in
            guard t.rank >= 2 else { throw PyError(.runtimeError, "tensor.mT is only supported on matrices or batches of matrices. Got \(t.rank)-D tensor.") }
            return .tensor(try t.transposed(-2, -1))
        },
        .attribute("data", "the same elements without autograd's history (not a copy: writing into it writes into the tensor)") { t in
            .tensor(t.detached())
        },
        .method("expand_as", "other", "a view broadcast to other's shape") { t, call in .tensor(try t.expand(try call[0]!.asTensor("other").shape)) },
        .method("view_as", "other", "a view of the elements in other's shape") { t, call in .tensor(try t.viewed(try call[0]!.asTensor("other").shape)) },
        .method("type_as", "tensor", "the tensor converted to the type of tensor") { t, call in .tensor(t.converted(to: try call[0]!.asTensor("tensor").dtype)) },
        .method("nelement", "", "the number of elements (numel's other name)") { t, _ in .int(t.count) },
        .method("data_ptr", "", "the address of the first element (equal for tensors that share their elements)") { t, _ in .int(t.dataAddress) },
        .method("is_contiguous", "", "whether the elements lie in row-major order without gaps") { t, _ in .bool(t.isContiguous) },
        .method("element_size", "", "the bytes one element takes") { t, _ in .int(t.dtype.size) },
        .method("type", "dtype=None", "the legacy type name, e.g. torch.FloatTensor (with dtype: the tensor converted)") { t, call in
            if case .dtype(let d)? = call[0] { return .tensor(t.to(d)) }
            return .str(t.dtype.legacyTypeName)
        },
        .method("expand", "*sizes", "a view broadcast to sizes (-1 keeps a dimension)") { t, call in
            .tensor(try t.expand(try dims(call.arguments, "expand")))
        },
        .method("repeat", "*sizes", "the tensor tiled sizes[d] times along each dimension") { t, call in
            .tensor(try t.repeated(try dims(call.arguments, "repeat")))
        },
        newTensor("new_zeros", 0), newTensor("new_ones", 1),
        .method("new_full", "size, fill_value", "a tensor of this type filled with fill_value") { t, call in
            let shape = try ints(call[0]!, "new_full")
            return .tensor(try Tensor(zeros: shape, dtype: t.dtype).combined(.add, try call[1]!.asScalar("fill_value")).to(t.dtype))
        },
        .method("size", "dim=None", "the shape, or the size of dimension dim") { t, call in
            guard let d = try optionalDim(call[0]) else { return .size(t.shape) }
            return .int(t.shape[try t.dimension(d)])
        },
        .method("stride", "dim=None", "the steps between neighbours along each dimension, in elements (dim's alone)") { t, call in
            guard let d = try optionalDim(call[0]) else { return .tuple(t.strides.map(Value.int)) }
            return .int(t.strides[try t.dimension(d)])
        },
        .method("dim", "", "the number of dimensions") { t, _ in .int(t.rank) },
        .method("tolist", "", "the elements as nested Python lists of ints or floats") { t, _ in toList(t) },
        .method("item", "", "the one element as a Python int or float") { t, _ in Value(try t.item()) },
        conversion("float", .float32), conversion("double", .float64), conversion("half", .float16),
        conversion("bfloat16", .bfloat16), conversion("long", .int64), conversion("int", .int32),
        .method("bool", "", "the tensor as bool (nonzero is True)") { t, _ in .tensor(t.to(.bool)) },
        .method("is_floating_point", "", "whether the dtype is a floating point type") { t, _ in .bool(t.dtype.isFloatingPoint) },
        .method("to", "dtype", "the tensor converted to dtype (a device leaves it as it is: sbpl runs on the CPU)") { t, call in
            guard case .dtype(let d)? = call[0] else { return .tensor(t) }
            return .tensor(t.converted(to: d))
        },
        .method("view", "*shape", "a view of the elements in a new shape (-1 for the one inferred)") { t, call in
            .tensor(try t.viewed(try dims(call.arguments, "view")))
        },
        .method("contiguous", "", "the tensor with its elements in row-major order") { t, _ in .tensor(t.contiguous()) },
        .method("cpu", "", "the tensor on the CPU (where sbpl keeps every tensor)") { t, _ in .tensor(t) },
        .method("numpy", "force=False", "the tensor as a numpy array sharing its elements (force: even one that requires grad)") { t, call in
            .object(try NDArrayObject(converting: t, force: try call[0]?.isTruthy() ?? false))
        },
    ]

    /// The in-place operations (torch's trailing underscore): they write into the tensor's storage, which its views
    /// share, and return the tensor.
    /// `tensor.name = value` for the attributes that can be set: `grad`, `requires_grad`, `data`. False for the others.
    public static func setAttribute(_ t: Tensor, _ name: String, _ value: Value) throws -> Bool {
        switch name {
        case "grad":
            try t.setGrad(value.typeName == "NoneType" ? nil : try value.asTensor("grad"))
            return true
        case "data":  // `w.data = w.data - lr * w.grad`, or `w.data -= ...`: the new elements written in, history kept
            let source = try value.asTensor("data")
            guard source.shape == t.shape else { throw PyError.notImplemented("setting .data to a tensor of another shape") }
            try GradMode.withoutRecording { try t.detached().copyIn(source) }
            return true
        case "requires_grad":
            guard case .bool(let flag) = value else { throw PyError.type("requires_grad must be a bool") }
            try t.setRequiresGrad(flag)
            return true
        default: return false
        }
    }

    private static let inPlace: [Member<Tensor>] = [
        arithmetic("add_", .add), arithmetic("sub_", .sub), arithmetic("mul_", .mul), arithmetic("div_", .div),
        .method("fill_", "value", "every element set to value") { t, call in
            try t.fill(try call[0]!.asScalar("value"))
            return .tensor(t)
        },
        .method("zero_", "", "every element set to zero") { t, _ in
            try t.fill(.int(0))
            return .tensor(t)
        },
        .method("uniform_", "from=0, to=1", "every element a fresh uniform draw in [from, to), in place") { t, call in
            try t.fillUniform(from: try call[0]?.asDouble("from") ?? 0, to: try call[1]?.asDouble("to") ?? 1)
            return .tensor(t)
        },
        .method("normal_", "mean=0, std=1", "every element a fresh normal draw, in place") { t, call in
            try t.fillNormal(mean: try call[0]?.asDouble("mean") ?? 0, std: try call[1]?.asDouble("std") ?? 1)
            return .tensor(t)
        },
        .method("copy_", "src", "src's elements (broadcast, converted) written over this tensor's") { t, call in
            try t.copyIn(try call[0]!.asTensor("src"))
            return .tensor(t)
        },
        .method("clamp_", "min=None, max=None", "each element limited to [min, max], in place") { t, call in
            let bound = { (i: Int, what: String) -> Scalar? in
                guard let v = call[i], v.typeName != "NoneType" else { return nil }
                return try v.asScalar(what)
            }
            try t.update(with: try t.clamp(min: try bound(0, "min"), max: try bound(1, "max")))
            return .tensor(t)
        },
        .method("masked_fill_", "mask, value", "value written where mask is true") { t, call in
            .tensor(try t.updatedInPlace(with: try t.maskedFilled(try call[1]!.asTensorOperand("value"), where: try call[0]!.asTensor("mask"))))
        },
    ]

    /// `x.new_zeros(*size)` / `new_ones`: a tensor of this one's type, filled.
    private static func newTensor(_ name: String, _ value: Int64) -> Member<Tensor> {
        .method(name, "*size", "a tensor of this type and the given size, filled with \(value)") { t, call in
            let shape = try dims(call.arguments, name)
            try Tensor.checkAllocation(shape, dtype: t.dtype)
            return .tensor(try Tensor(zeros: shape, dtype: t.dtype).combined(.add, .int(value)).to(t.dtype).detached())
        }
    }

    /// `x.float()` and the like: the tensor converted to `dtype` (itself if it has that type already).
    private static func conversion(_ name: String, _ dtype: DType) -> Member<Tensor> {
        .method(name, "", "the tensor as \(dtype.name)") { t, _ in .tensor(t.converted(to: dtype)) }
    }

    /// `x.add_(other)` and the like: `x op other` written into `x`.
    private static func arithmetic(_ name: String, _ op: BinaryOp) -> Member<Tensor> {
        .method(name, "other", "x \(name.dropLast()) other, written into x") { t, call in
            .tensor(try t.updatedInPlace(with: try t.combined(op, try call[0]!.asTensorOperand("other"))))
        }
    }

    /// Dimensions given as `f(2, 3)` or `f((2, 3))` / `f([2, 3])`.
    static func dims(_ args: Arguments, _ name: String) throws -> [Int] {
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
