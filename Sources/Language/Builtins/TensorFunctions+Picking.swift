import TensorCore

/// More tensor methods that torch also offers as functions (`TensorMethods.functions` lists them): picking
/// elements (`gather`, `index_select`, `flip`, `roll`, `masked_select`), products (`mm`, `bmm`, `dot`, `outer`),
/// pairwise extremes and closeness, `amax` / `amin` / `logsumexp`, and elementwise functions.
extension TensorMethods {
    static let pickingAndProducts: [Member<Tensor>] = [
        .method("gather", "dim, index, sparse_grad=False", "the elements index names along dim, shaped as index") { t, call in
            .tensor(try t.gather(dim: try call[0]!.asInt("dim"), index: try call[1]!.asTensor("index")))
        },
        .method("index_select", "dim, index", "the slices along dim at the positions of index, a 1-D tensor") { t, call in
            .tensor(try t.indexSelect(dim: try call[0]!.asInt("dim"), index: try call[1]!.asTensor("index")))
        },
        .method("flip", "*dims", "the elements in reverse order along each of dims") { t, call in
            .tensor(try t.flipped(try dims(call.arguments, "flip")))
        },
        .method("roll", "shifts, dims=None", "the elements moved shifts places along dims (over all elements without dims), wrapping around") { t, call in
            .tensor(try t.rolled(try ints(call[0]!, "shifts"), dims: try call[1].given.map { try ints($0, "dims") } ?? []))
        },
        .method("masked_select", "mask", "a 1-D tensor of the elements where mask (broadcast) is True") { t, call in
            .tensor(try t.maskedSelect(try call[0]!.asTensor("mask")))
        },
        .method("scatter", "dim, index, src=None, value=None, reduce=None",
                "a copy with the places index names along dim set to src's elements at the same index (or to value)") { t, call in
            if let reduce = call[4].given { throw PyError.notImplemented("scatter(..., reduce=\(reduce.repr))") }
            let given = call[2].given ?? call[3].given
            guard let given else { throw PyError.type("scatter() missing 1 required positional argument: 'src' (or 'value')") }
            if case .tensor(let source) = given { return .tensor(try t.scatter(dim: try call[0]!.asInt("dim"), index: try call[1]!.asTensor("index"), source: source)) }
            return .tensor(try t.scatter(dim: try call[0]!.asInt("dim"), index: try call[1]!.asTensor("index"), source: nil, value: try given.asScalar("value")))
        },
        .method("scatter_add", "dim, index, src", "a copy with src's elements added at the places index names along dim") { t, call in
            .tensor(try t.scatterAdd(dim: try call[0]!.asInt("dim"), index: try call[1]!.asTensor("index"), source: try call[2]!.asTensor("src")))
        },
        .method("index_add", "dim, index, source, alpha=1", "a copy with alpha times source's slices added to the slices index names along dim") { t, call in
            .tensor(try t.indexAdd(dim: try call[0]!.asInt("dim"), index: try call[1]!.asTensor("index"), source: try call[2]!.asTensor("source"),
                                   alpha: try call[3]?.asDouble("alpha") ?? 1))
        },
        .method("diag", "diagonal=0", "a vector laid on a square matrix's diagonal, or a matrix's diagonal as a vector") { t, call in
            .tensor(try t.diag(try call[0]?.asInt("diagonal") ?? 0))
        },
        .method("trace", "", "the sum of a matrix's main diagonal") { t, _ in .tensor(try t.trace()) },
        .method("mm", "mat2", "the matrix product of two 2-D tensors") { t, call in .tensor(try t.mm(try call[0]!.asTensor("mat2"))) },
        .method("bmm", "mat2", "the matrix products of two batches of matrices (3-D tensors)") { t, call in
            .tensor(try t.bmm(try call[0]!.asTensor("mat2")))
        },
        .method("dot", "tensor", "the inner product of two 1-D tensors") { t, call in .tensor(try t.dot(try call[0]!.asTensor("tensor"))) },
        .method("outer", "vec2", "every product of an element of this vector with one of vec2") { t, call in
            .tensor(try t.outer(try call[0]!.asTensor("vec2")))
        },
        pairwise("maximum", largest: true), pairwise("minimum", largest: false),
        .method("isclose", "other, rtol=1e-05, atol=1e-08, equal_nan=False", "whether each pair is within atol + rtol * |other|") { t, call in
            .tensor(try Tensor.isClose(t, try call[0]!.asTensor("other"), rtol: try call[1]?.asDouble("rtol") ?? 1e-5,
                                       atol: try call[2]?.asDouble("atol") ?? 1e-8, equalNaN: try call[3]?.isTruthy() ?? false))
        },
        extreme("amax", largest: true), extreme("amin", largest: false),
        .method("logsumexp", "dim, keepdim=False", "log(sum(exp(x))) over dim, computed without overflow") { t, call in
            .tensor(try t.logSumExp(over: try ints(call[0]!, "dim"), keepDim: try call[1]?.isTruthy() ?? false))
        },
        .method("unique", "sorted=True, return_inverse=False, return_counts=False, dim=None",
                "the distinct elements in ascending order; with return_inverse each element's place among them, with return_counts how often each occurs") { t, call in
            if let dim = call[3].given { throw PyError.notImplemented("unique(dim=\(dim.repr))") }
            let (values, inverse, counts) = t.unique()
            let extras = try [(call[1], inverse), (call[2], counts)].compactMap { flag, tensor in try flag?.isTruthy() == true ? Value.tensor(tensor) : nil }
            return extras.isEmpty ? .tensor(values) : .tuple([.tensor(values)] + extras)
        },
        .method("multinomial", "num_samples, replacement=False, generator=None",
                "indices drawn with the probabilities of each row (not necessarily summing to 1)") { t, call in
            if call[2].given != nil { throw PyError.notImplemented("multinomial(..., generator=...): sbpl draws from torch's default generator") }
            return .tensor(try t.multinomial(try call[0]!.asInt("num_samples"), replacement: try call[1]?.isTruthy() ?? false))
        },
        .method("rsqrt", "", "1 / sqrt(x) for each element") { t, _ in .tensor(t.rsqrt()) },
        .method("log1p", "", "log(1 + x) for each element, exact for small x") { t, _ in .tensor(t.log1p()) },
        .method("expm1", "", "exp(x) - 1 for each element, exact for small x") { t, _ in .tensor(t.expm1()) },
        .method("log2", "", "the base-2 logarithm of each element") { t, _ in .tensor(t.log2()) },
        .method("log10", "", "the base-10 logarithm of each element") { t, _ in .tensor(t.log10()) },
        .method("reciprocal", "", "1 / x for each element") { t, _ in .tensor(t.reciprocal()) },
        .method("erf", "", "the error function of each element") { t, _ in .tensor(t.erf()) },
        .method("sign", "", "-1, 0 or 1: the sign of each element") { t, _ in .tensor(t.sign()) },
        .method("square", "", "x * x for each element") { t, _ in .tensor(try t.pow(.int(2))) },
    ]

    /// `maximum` / `minimum`: the larger (smaller) of each pair, NaN if either is.
    private static func pairwise(_ name: String, largest: Bool) -> Member<Tensor> {
        .method(name, "other", "the \(largest ? "larger" : "smaller") of each pair (NaN if either is)") { t, call in
            .tensor(try Tensor.extremum(t, try call[0]!.asTensor("other"), largest: largest))
        }
    }

    /// `amax` / `amin`: the largest (smallest) value over `dim`.
    private static func extreme(_ name: String, largest: Bool) -> Member<Tensor> {
        .method(name, "dim=(), keepdim=False", "the \(largest ? "largest" : "smallest") value over dim (an int or a tuple; all when empty)") { t, call in
            .tensor(try t.extreme(over: try call[0].given.map { try ints($0, "dim") } ?? [], keepDim: try call[1]?.isTruthy() ?? false, largest: largest))
        }
    }

    /// An int, or a tuple, list or torch.Size of them (`dims=`, `shifts=`, `pad=`, a shape given as one argument).
    public static func ints(_ value: Value, _ name: String) throws -> [Int] {
        ["tuple", "list", "Size"].contains(value.typeName) ? try Iteration.materialize(value).map { try $0.asInt(name) } : [try value.asInt(name)]
    }
}
