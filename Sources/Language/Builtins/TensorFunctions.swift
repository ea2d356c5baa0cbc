import TensorCore

/// The tensor methods that torch also offers as functions: declared once here as methods (`x.sum(dim=1)`), each is
/// also `torch.sum(x, dim=1)` (`MemberTable.function`), with the tensor as the first argument, `input`.
extension TensorMethods {
    /// The names of the methods that are also `torch` functions.
    public static var functionNames: [String] { functions.map(\.name) }

    static let functions: [Member<Tensor>] = (declared + pickingAndProducts + shapes).map { member in
        float64Ready.contains(member.name) ? member : member.checking { t, call in
            try Float64Support.reject(member.name, [t])
            if let call { try Float64Support.reject(member.name, call.arguments) }
        }
    }

    /// The functions that compute float64 tensors in double precision (or only move their elements); the others
    /// say that sbpl does not support float64 in them yet rather than compute in float32.
    private static let float64Ready: Set<String> = [
        "eq", "ne", "lt", "le", "gt", "ge", "isnan", "isinf", "isfinite", "neg", "abs", "pow", "t", "split", "chunk", "flatten", "transpose", "permute",
        "reshape", "unsqueeze", "squeeze", "unbind", "masked_fill", "any", "all", "numel", "detach", "clone", "bernoulli", "triu", "tril", "logical_and", "logical_or",
        "logical_xor", "logical_not", "bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_not", "gather", "index_select", "flip",
        "roll", "masked_select", "maximum", "minimum", "isclose", "sign", "broadcast_to", "movedim", "moveaxis", "swapaxes", "swapdims", "narrow",
        "tile", "scatter", "scatter_add", "index_add", "diag",
    ]

    private static let declared: [Member<Tensor>] = [
        .method("argmax", "dim=None, keepdim=False", "the index of the largest value (over dim when given)") { t, call in
            .tensor(try t.argmax(dim: try optionalDim(call[0]), keepDim: try call[1]?.isTruthy() ?? false))
        },
        .method("argmin", "dim=None, keepdim=False", "the index of the smallest value (over dim when given)") { t, call in
            .tensor(try t.argmin(dim: try optionalDim(call[0]), keepDim: try call[1]?.isTruthy() ?? false))
        },
        .method("max", "dim=None, keepdim=False", "the largest value, (values, indices) over dim, or the larger of each pair with a tensor") { t, call in
            if case .tensor(let other)? = call[0] { return .tensor(try Tensor.extremum(t, other, largest: true)) }
            guard let d = try optionalDim(call[0]) else { return .tensor(try t.max()) }
            return valuesAndIndices("max", try t.max(dim: d, keepDim: try call[1]?.isTruthy() ?? false))
        },
        .method("min", "dim=None, keepdim=False", "the smallest value, (values, indices) over dim, or the smaller of each pair with a tensor") { t, call in
            if case .tensor(let other)? = call[0] { return .tensor(try Tensor.extremum(t, other, largest: false)) }
            guard let d = try optionalDim(call[0]) else { return .tensor(try t.min()) }
            return valuesAndIndices("min", try t.min(dim: d, keepDim: try call[1]?.isTruthy() ?? false))
        },
        .method("sum", "dim=None, keepdim=False", "the sum of the elements (over dim, an int or a tuple, when given)") { t, call in
            .tensor(try reduced(t, call, single: { try $0.sum(dim: $1, keepDim: $2) }, multiple: { try $0.sum(dims: $1, keepDim: $2) }))
        },
        .method("mean", "dim=None, keepdim=False", "the mean of the elements (over dim, an int or a tuple, when given)") { t, call in
            .tensor(try reduced(t, call, single: { try $0.mean(dim: $1, keepDim: $2) }, multiple: { try $0.mean(dims: $1, keepDim: $2) }))
        },
        .method("prod", "dim=None, keepdim=False", "the product of the elements (over dim when given)") { t, call in
            .tensor(try t.prod(dim: try optionalDim(call[0]), keepDim: try call[1]?.isTruthy() ?? false))
        },
        .method("cumsum", "dim", "the running sum along dim") { t, call in .tensor(try t.cumsum(dim: try call[0]!.asInt("dim"))) },
        .method("norm", "p='fro', dim=None, keepdim=False", "the Euclidean norm (over dim when given)") { t, call in
            if let p = call[0].given, p.typeName != "str", try p.asDouble("p") != 2 { throw PyError.notImplemented("norm(p=\(p.repr)): sbpl computes the 2-norm") }
            return .tensor(try t.norm(dim: try optionalDim(call[1]), keepDim: try call[2]?.isTruthy() ?? false))
        },
        comparison("eq", .equal), comparison("ne", .notEqual), comparison("lt", .less), comparison("le", .lessOrEqual),
        comparison("gt", .greater), comparison("ge", .greaterOrEqual),
        .method("triu", "diagonal=0", "the upper triangle of the last two dimensions (from the diagonal-th diagonal up), zeros below") { t, call in
            .tensor(try t.triangle(upper: true, diagonal: try call[0]?.asInt("diagonal") ?? 0))
        },
        .method("tril", "diagonal=0", "the lower triangle of the last two dimensions (from the diagonal-th diagonal down), zeros above") { t, call in
            .tensor(try t.triangle(upper: false, diagonal: try call[0]?.asInt("diagonal") ?? 0))
        },
        logical("logical_and", .and), logical("logical_or", .or), logical("logical_xor", .xor),
        .method("logical_not", "", "a bool tensor: whether each element is zero") { t, _ in .tensor(try t.to(.bool).bitwiseNot()) },
        bitwise("bitwise_and", .and), bitwise("bitwise_or", .or), bitwise("bitwise_xor", .xor),
        .method("bitwise_not", "", "~x: logical not of a bool tensor, bitwise not of an integer one") { t, _ in .tensor(try t.bitwiseNot()) },
        .method("isnan", "", "whether each element is NaN") { t, _ in .tensor(try t.isNaN()) },
        .method("isinf", "", "whether each element is infinite") { t, _ in .tensor(try t.isInfinite()) },
        .method("isfinite", "", "whether each element is neither infinite nor NaN") { t, _ in .tensor(try t.isFinite()) },
        .method("t", "", "a 2-D tensor transposed") { t, _ in .tensor(try t.t()) },
        .method("std", "dim=None, unbiased=True, keepdim=False, correction=None",
                "the standard deviation (over dim when given), with Bessel's correction unless unbiased=False") { t, call in
            .tensor(try t.standardDeviation(dim: try optionalDim(call[0]), correction: try correction(call), keepDim: try call[2]?.isTruthy() ?? false))
        },
        .method("var", "dim=None, unbiased=True, keepdim=False, correction=None",
                "the variance (over dim when given), with Bessel's correction unless unbiased=False") { t, call in
            .tensor(try t.variance(dim: try optionalDim(call[0]), correction: try correction(call), keepDim: try call[2]?.isTruthy() ?? false))
        },
        .method("softmax", "dim, dtype=None", "exp(x) / sum(exp(x)) over dim") { t, call in
            .tensor(try t.softmax(dim: try call[0]!.asInt("dim")))
        },
        .method("log_softmax", "dim, dtype=None", "log(softmax(x)) over dim, computed stably") { t, call in
            .tensor(try t.logSoftmax(dim: try call[0]!.asInt("dim")))
        },
        .method("exp", "", "e to the power of each element") { t, _ in .tensor(t.exp()) },
        .method("log", "", "the natural logarithm of each element") { t, _ in .tensor(t.log()) },
        .method("sin", "", "the sine of each element (radians)") { t, _ in .tensor(t.sin()) },
        .method("cos", "", "the cosine of each element (radians)") { t, _ in .tensor(t.cos()) },
        .method("sqrt", "", "the square root of each element") { t, _ in .tensor(t.sqrt()) },
        .method("abs", "", "the absolute value of each element") { t, _ in .tensor(t.abs()) },
        .method("neg", "", "-x") { t, _ in .tensor(t.negated()) },
        .method("sigmoid", "", "1 / (1 + exp(-x)) for each element") { t, _ in .tensor(t.sigmoid()) },
        .method("tanh", "", "the hyperbolic tangent of each element") { t, _ in .tensor(t.tanh()) },
        .method("relu", "", "max(0, x) for each element") { t, _ in .tensor(t.relu()) },
        .method("floor", "", "each element rounded down") { t, _ in .tensor(t.floor()) },
        .method("ceil", "", "each element rounded up") { t, _ in .tensor(t.ceil()) },
        .method("round", "decimals=0", "each element rounded to the nearest (ties to even), to decimals places") { t, call in
            .tensor(t.round(decimals: try call[0]?.asInt("decimals") ?? 0))
        },
        .method("clamp", "min=None, max=None", "each element limited to [min, max]") { t, call in
            .tensor(try t.clamp(min: try optionalScalar(call[0], "min"), max: try optionalScalar(call[1], "max")))
        },
        .method("clip", "min=None, max=None", "clamp's other name") { t, call in
            .tensor(try t.clamp(min: try optionalScalar(call[0], "min"), max: try optionalScalar(call[1], "max")))
        },
        .method("pow", "exponent", "each element to the power exponent (a number or a tensor)") { t, call in
            if case .tensor(let e)? = call[0] { return .tensor(try t.pow(e)) }
            return .tensor(try t.pow(try call[0]!.asScalar("exponent")))
        },
        .method("sort", "dim=-1, descending=False, stable=False", "(values, indices) of the elements in order along dim") { t, call in
            valuesAndIndices("sort", try t.sort(dim: try call[0]?.asInt("dim") ?? -1, descending: try call[1]?.isTruthy() ?? false))
        },
        .method("argsort", "dim=-1, descending=False, stable=False", "the indices that put the elements in order along dim") { t, call in
            .tensor(try t.sort(dim: try call[0]?.asInt("dim") ?? -1, descending: try call[1]?.isTruthy() ?? false).indices)
        },
        .method("topk", "k, dim=-1, largest=True, sorted=True", "(values, indices) of the k largest elements along dim") { t, call in
            valuesAndIndices("topk", try t.topk(try call[0]!.asInt("k"), dim: try call[1]?.asInt("dim") ?? -1,
                                                largest: try call[2]?.isTruthy() ?? true))
        },
        .method("split", "split_size_or_sections, dim=0", "views of split_size elements (or of each size in a list) along dim") { t, call in
            let dim = try call[1]?.asInt("dim") ?? 0
            switch call[0]! {
            case .list, .tuple: return .tuple(try t.split(sizes: try Iteration.materialize(call[0]!).map { try $0.asInt("split size") }, dim: dim).map(Value.tensor))
            default: return .tuple(try t.split(size: try call[0]!.asInt("split_size"), dim: dim).map(Value.tensor))
            }
        },
        .method("chunk", "chunks, dim=0", "at most chunks views of equal size along dim") { t, call in
            .tuple(try t.chunk(try call[0]!.asInt("chunks"), dim: try call[1]?.asInt("dim") ?? 0).map(Value.tensor))
        },
        .method("flatten", "start_dim=0, end_dim=-1", "the dimensions start_dim to end_dim merged into one") { t, call in
            .tensor(try flattened(t, try call[0]?.asInt("start_dim") ?? 0, try call[1]?.asInt("end_dim") ?? -1))
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
        .method("unsqueeze", "dim", "a view with a dimension of size 1 inserted at dim") { t, call in
            .tensor(try t.unsqueezed(try call[0]!.asInt("dim")))
        },
        .method("squeeze", "dim=None", "a view without dimensions of size 1 (only dim, when given)") { t, call in
            .tensor(try t.squeezed(try optionalDim(call[0])))
        },
        .method("unbind", "dim=0", "the sub-tensors along dim 0, as a tuple") { t, call in
            guard try optionalDim(call[0]).map({ try t.dimension($0) }) ?? 0 == 0 else {
                throw PyError.notImplemented("unbind along a dimension other than 0")
            }
            return .tuple(try t.unbound().map { .tensor($0) })
        },
        .method("matmul", "other", "the matrix product with other") { t, call in
            .tensor(try t.matmul(try call[0]!.asTensor("other")))
        },
        .method("masked_fill", "mask, value", "a copy with value where mask is true") { t, call in
            .tensor(try t.maskedFilled(try call[1]!.asTensorOperand("value"), where: try call[0]!.asTensor("mask")))
        },
        .method("any", "dim=None, keepdim=False", "whether any element is nonzero (along dim when given), as bools") { t, call in
            guard let d = try optionalDim(call[0]) else { return .tensor(t.any()) }
            return .tensor(try t.any(dim: d, keepDim: try call[1]?.isTruthy() ?? false))
        },
        .method("all", "dim=None, keepdim=False", "whether every element is nonzero (along dim when given), as bools") { t, call in
            guard let d = try optionalDim(call[0]) else { return .tensor(t.all()) }
            return .tensor(try t.all(dim: d, keepDim: try call[1]?.isTruthy() ?? false))
        },
        .method("nonzero", "as_tuple=False", "the indices of the nonzero elements: one row each, or one tensor per dimension") { t, call in
            try nonzero(t, asTuple: try call[0]?.isTruthy() ?? false)
        },
        .method("argwhere", "", "the indices of the nonzero elements, one row each") { t, _ in .tensor(t.nonzero()) },
        .method("numel", "", "the number of elements") { t, _ in .int(t.count) },
        .method("detach", "", "the same values, cut from the autograd graph") { t, _ in .tensor(t.detached()) },
        .method("clone", "", "a copy of the tensor") { t, _ in .tensor(t.copy()) },
        .method("bernoulli", "generator=None", "1 with each element's probability, else 0 (torch's draws from the default generator)") { t, call in
            if call[0].given != nil { throw PyError.notImplemented("bernoulli(generator=...): sbpl draws from the default generator") }
            return .tensor(try t.bernoulli())
        },
    ]

    /// `x.eq(other)` and the other comparisons as methods: a bool tensor, `other` a tensor or a number.
    private static func comparison(_ name: String, _ op: ComparisonOp) -> Member<Tensor> {
        .method(name, "other", "a bool tensor: x \(name) other, elementwise") { t, call in
            .tensor(try t.compared(op, try call[0]!.asTensorOperand("other")))
        }
    }

    /// `torch.logical_and(x, other)` and its kin: each pair's truth combined, a bool tensor.
    private static func logical(_ name: String, _ op: BitwiseOp) -> Member<Tensor> {
        .method(name, "other", "a bool tensor: each pair's truth (nonzero is true) combined") { t, call in
            .tensor(try t.logical(op, try call[0]!.asTensor("other")))
        }
    }

    /// `torch.bitwise_and(x, other)` and its kin: `x & other` on bool or integer tensors.
    private static func bitwise(_ name: String, _ op: BitwiseOp) -> Member<Tensor> {
        .method(name, "other", "x \(name.dropFirst(8)) other, bit by bit, on bool or integer tensors") { t, call in
            .tensor(try t.bitwise(op, try call[0]!.asTensorOperand("other")))
        }
    }

    /// A reduction over `dim=` given as an int or None (`single`), or a tuple of ints (`multiple`).
    private static func reduced(_ t: Tensor, _ call: Call, single: (Tensor, Int?, Bool) throws -> Tensor,
                                multiple: (Tensor, [Int], Bool) throws -> Tensor) throws -> Tensor {
        let keep = try call[1]?.isTruthy() ?? false
        guard let dims = call[0].given, ["tuple", "list"].contains(dims.typeName) else { return try single(t, try optionalDim(call[0]), keep) }
        let axes = try Iteration.materialize(dims).map { try $0.asInt("dim") }
        return axes.isEmpty ? try single(t, nil, keep) : try multiple(t, axes, keep)
    }

    /// `x.nonzero()`: `[n, rank]` indices, or with `as_tuple` one index tensor per dimension (`torch.where(x)`).
    public static func nonzero(_ t: Tensor, asTuple: Bool) throws -> Value {
        let rows = t.nonzero()
        guard asTuple else { return .tensor(rows) }
        if t.rank == 0 { return .tuple([.tensor(Tensor(ints: Array(repeating: 0, count: rows.shape[0]), shape: [rows.shape[0]]))]) }
        return .tuple(try (0..<t.rank).map { .tensor(try rows.view(at: [.all, .at($0)]).contiguous()) })
    }

    /// `torch.return_types.NAME(values=..., indices=...)`.
    private static func valuesAndIndices(_ name: String, _ result: (values: Tensor, indices: Tensor)) -> Value {
        .object(NamedTuple("torch.return_types.\(name)", [("values", .tensor(result.values)), ("indices", .tensor(result.indices))]))
    }

    /// `std`/`var`'s divisor offset: `correction=`, else 1 unless `unbiased=False`.
    private static func correction(_ call: Call) throws -> Int {
        if let c = call[3], c.typeName != "NoneType" { return try c.asInt("correction") }
        return try call[1]?.isTruthy() ?? true ? 1 : 0
    }

    private static func optionalScalar(_ v: Value?, _ what: String) throws -> Scalar? {
        guard let v, v.typeName != "NoneType" else { return nil }
        return try v.asScalar(what)
    }

    /// `x.flatten(start, end)`: a reshape merging dimensions start...end.
    public static func flattened(_ t: Tensor, _ start: Int, _ end: Int) throws -> Tensor {
        if t.rank == 0 { return try t.reshaped([1]) }
        let (s, e) = (try t.dimension(start), try t.dimension(end))
        guard s <= e else { throw TensorError("flatten() has invalid args: start_dim cannot come after end_dim") }
        if s == e { return t }
        // the merged size wraps past 64 bits as torch's does, which only an empty tensor's dimensions can reach
        return try t.reshaped(Array(t.shape[..<s]) + [t.shape[s...e].reduce(1, &*)] + Array(t.shape[(e + 1)...]))
    }
}
