import Foundation
import TensorCore

/// `numpy` (`import numpy as np`): arrays from lists and tensors, their arithmetic and reductions, the elementwise
/// functions a course notebook reaches for (`np.exp`, `np.argmax(logits, axis=-1)`, `np.round`), and the scalar
/// types as dtypes (`dtype=np.float32`).
enum NumpyModule {
    static func make() -> PythonModule {
        var members: [String: Value] = [
            "pi": .float(Double.pi), "e": .float(M_E), "inf": .float(.infinity), "nan": .float(.nan), "newaxis": .none,
            "array": builtin("array") { args in
                let a = try args.bind("array", ["object", "dtype"], required: 1)
                return .object(NDArrayObject(try NumpyConversion.tensor(a[0]!, dtype: try a[1].map(NumpyConversion.dtype))))
            },
            "asarray": builtin("asarray") { args in
                let a = try args.bind("asarray", ["a", "dtype"], required: 1)
                return .object(try NumpyConversion.array(a[0]!, dtype: try a[1].map(NumpyConversion.dtype)))
            },
            "zeros": filled("zeros", 0), "ones": filled("ones", 1), "arange": builtin("arange", NumpyFunctions.arange),
            "exceptions": .object(PythonModule("numpy.exceptions", ["AxisError": .object(ExceptionType(.axisError))])),
            "concatenate": builtin("concatenate") { args in
                let a = try args.bind("concatenate", ["arrays", "axis"], required: 1)
                let arrays = try Iteration.materialize(a[0]!).map { try NumpyConversion.array($0).tensor }
                guard let first = arrays.first else { throw PyError.value("need at least one array to concatenate") }
                if let (i, other) = arrays.enumerated().first(where: { $0.element.rank != first.rank }) {
                    throw PyError.value("all the input arrays must have same number of dimensions, but the array at index 0 has \(first.rank) dimension(s) and the array at index \(i) has \(other.rank) dimension(s)")
                }
                let dtype = arrays.dropFirst().allSatisfy { $0.dtype == first.dtype } ? first.dtype : .float64
                let axis = try NumpyFunctions.axis(a[1] ?? .int(0), rank: first.rank)
                return .object(NDArrayObject(try Tensor.concatenated(arrays.map { $0.to(dtype) }, dim: axis)))
            },
        ]
        for (name, f) in NumpyFunctions.elementwise {
            members[name] = builtin(name) { args in
                let x = try NumpyConversion.array(try args.bind(name, ["x"], required: 1)[0]!).tensor
                return NDArrayObject.wrap(x.dtype == .float32 ? Tensor(floats: x.floats().map { Float(f(Double($0))) }, shape: x.shape)
                                                              : Tensor(doubles: x.to(.float64).doubles().map(f), shape: x.shape))
            }
        }
        members["where"] = builtin("where") { args in
            let a = try args.bind("where", ["condition", "x", "y"], required: 1)
            switch (a[1], a[2]) {
            case (let x?, let y?): return try NumpyArithmetic.selecting(a[0]!, x, y)
            case (nil, nil):  // the positions where it holds, one array per dimension (np.nonzero)
                let mask = try NumpyConversion.array(a[0]!).tensor
                let positions = mask.nonzero()
                return .tuple(try (0..<mask.rank).map { .object(NDArrayObject(try positions.view(at: [.all, .at($0)]).contiguous())) })
            default: throw PyError.value("either both or neither of x and y should be given")
            }
        }
        members["abs"] = builtin("abs") { args in
            NDArrayObject.wrap(try NumpyConversion.array(try args.bind("abs", ["x"], required: 1)[0]!).tensor.abs())
        }
        members["absolute"] = members["abs"]
        let methods = NDArrayObject.members
        for name in NumpyReductions.Kind.allCases.map(\.rawValue) + ["argsort", "round", "reshape"] {
            members[name] = methods.function(name) { try NumpyConversion.array($0) }
        }
        (members["amax"], members["amin"], members["around"]) = (members["max"], members["min"], members["round"])
        for (name, dtype) in NumpyConversion.dtypes where name != "bool" {
            members[name] = scalarType(name, dtype)
        }
        members["bool_"] = scalarType("bool", .bool)
        members["bool"] = members["bool_"]
        return PythonModule("numpy", members, planned: planned)
    }

    /// `np.float32` and the others: a dtype (`dtype=np.float32`) and the scalar's constructor (`np.float32(0.5)`).
    private static func scalarType(_ name: String, _ dtype: DType) -> Value {
        .object(TypeObject(name, qualified: "numpy.\(name)") { args in
            let value = try args.bind(name, ["value"])[0] ?? .int(0)
            return NDArrayObject.wrap(try NumpyConversion.tensor(value, dtype: dtype))
        })
    }

    /// `np.zeros(shape, dtype=float)`, `np.ones(...)`.
    private static func filled(_ name: String, _ value: Double) -> Value {
        builtin(name) { args in
            let a = try args.bind(name, ["shape", "dtype"], required: 1)
            let shape = try NumpyConversion.shape([a[0]!])
            guard shape.allSatisfy({ $0 >= 0 }) else { throw PyError.value("negative dimensions are not allowed") }
            let dtype = try a[1].map(NumpyConversion.dtype) ?? .float64
            try NumpyConversion.checkAllocation(shape, dtype)
            return .object(NDArrayObject(Tensor(doubles: [Double](repeating: value, count: shape.reduce(1, *)), shape: shape).to(dtype)))
        }
    }

    /// Names numpy has that sbpl does not yet: a NotImplementedError that says so.
    private static let planned: Set<String> = [
        "linspace", "dot", "matmul", "transpose", "stack", "vstack", "hstack", "unique", "cumsum", "cumprod", "std", "var",
        "median", "percentile", "random", "linalg", "clip", "maximum", "minimum", "log1p", "expm1", "sin", "cos", "tanh",
        "isnan", "isinf", "isfinite", "all", "any", "nonzero", "argwhere", "sort", "full", "eye", "empty", "ones_like",
        "zeros_like", "full_like", "save", "load", "einsum", "squeeze", "expand_dims", "power", "square", "sign", "floor",
        "ceil", "allclose", "isclose", "array_equal", "tile", "repeat", "flip", "float16", "int32", "int8", "uint8",
        "int16", "diag", "outer", "prod", "bincount", "meshgrid", "split", "pad", "roll", "searchsorted",
        "nanmean", "nansum", "nanmax", "nanmin", "log2", "log10", "ndarray", "count_nonzero", "logical_and", "logical_or",
    ]
}

/// The functions behind `NumpyModule` and the array methods that are functions too (`argsort`, `round`).
enum NumpyFunctions {
    /// Elementwise float functions: float32 arrays stay float32, others compute in float64.
    static let elementwise: [(String, @Sendable (Double) -> Double)] = [
        ("exp", Foundation.exp), ("log", Foundation.log), ("sqrt", Foundation.sqrt),
    ]

    static let methods: [Member<NDArrayObject>] = [
        .method("argsort", "axis=-1", "the indices that sort the elements along `axis`") { a, call in
            try argsort(a.tensor, axis: call[0] ?? .int(-1))
        },
        .method("round", "decimals=0", "the elements rounded to `decimals` places, halves to even") { a, call in
            NDArrayObject.wrap(round(a.tensor, decimals: try call[0]?.asInt("decimals") ?? 0))
        },
    ]

    /// An axis argument, counted from the end when negative: numpy's AxisError when out of range.
    static func axis(_ value: Value, rank: Int) throws -> Int {
        let axis = try value.indexValue.asInt("axis")
        guard (-rank..<rank).contains(axis) else {
            throw PyError(.axisError, "axis \(axis) is out of bounds for array of dimension \(rank)")
        }
        return axis < 0 ? axis + rank : axis
    }

    /// `np.arange(stop)`, `np.arange(start, stop[, step])`, int64 when the bounds are ints, else float64. As numpy
    /// fills it, the first two elements are `start` and `start + step` in the dtype, and the others continue the
    /// difference of those two: `first + i * delta`.
    static func arange(_ args: Arguments) throws -> Value {
        let a = try args.bind("arange", ["start", "stop", "step", "dtype"], required: 1)
        let bounds = try [a[1] == nil ? .int(0) : a[0]!, a[1] ?? a[0]!, a[2] ?? .int(1)].map { try $0.indexValue }
        let allInts = bounds.allSatisfy { if case .int = $0 { true } else { false } }
        let dtype = try a[3].map(NumpyConversion.dtype) ?? (allInts ? .int64 : .float64)
        let (start, stop, step) = (try bounds[0].asDouble("start"), try bounds[1].asDouble("stop"), try bounds[2].asDouble("step"))
        guard step != 0 else { throw PyError(.zeroDivisionError, "division by zero") }
        let length = Foundation.ceil((stop - start) / step)
        guard !length.isNaN else { throw PyError.value("arange: cannot compute length") }
        guard length < 1e15 else { throw PyError.value("Maximum allowed size exceeded") }
        if allInts, case .int(let first) = bounds[0], case .int(let last) = bounds[1], case .int(let by) = bounds[2] {
            let span = last.subtractingReportingOverflow(first)
            let count = span.overflow ? Swift.max(0, Int(length)) : Swift.max(0, (span.partialValue + by - (by > 0 ? 1 : -1)) / by)
            try NumpyConversion.checkAllocation([count], dtype)
            return .object(NDArrayObject(Tensor(ints: (0..<count).map { Int64(first &+ $0 &* by) }, shape: [count]).to(dtype)))
        }
        let count = Swift.max(0, Int(length))
        try NumpyConversion.checkAllocation([count], dtype)
        if count == 0 { return .object(NDArrayObject(Tensor(zeros: [0], dtype: dtype))) }
        switch dtype {
        case .float32:
            let (first, second) = (Float(start), Float(start + step))
            return .object(NDArrayObject(Tensor(floats: (0..<count).map { first + Float($0) * (second - first) }, shape: [count])))
        case .float64:
            let (first, second) = (start, start + step)
            return .object(NDArrayObject(Tensor(doubles: (0..<count).map { first + Double($0) * (second - first) }, shape: [count])))
        default:
            guard let first = Int64(exactly: start.rounded(.towardZero)), let second = Int64(exactly: (start + step).rounded(.towardZero)) else {
                throw PyError(.overflowError, "cannot convert float infinity to integer")
            }
            return .object(NDArrayObject(Tensor(ints: (0..<count).map { first &+ Int64($0) &* (second &- first) }, shape: [count]).to(dtype)))
        }
    }

    /// The stable order of each lane along `axis`, NaN last.
    private static func argsort(_ array: Tensor, axis: Value) throws -> Value {
        let array = array.contiguous()
        let lanes = Lanes(shape: array.shape, axis: try Self.axis(axis, rank: array.rank))
        let values = array.to(.float64).doubles()
        var result = [Int64](repeating: 0, count: array.count)
        for o in 0..<lanes.outer {
            for i in 0..<lanes.inner {
                let base = o * lanes.length * lanes.inner + i
                let order = (0..<lanes.length).sorted { x, y in
                    let (p, q) = (values[base + x * lanes.inner], values[base + y * lanes.inner])
                    return p < q || (!p.isNaN && q.isNaN)
                }
                for (k, index) in order.enumerated() { result[base + k * lanes.inner] = Int64(index) }
            }
        }
        return .object(NDArrayObject(Tensor(ints: result, shape: array.shape)))
    }

    /// numpy's `round`: halves to even after scaling by a power of ten, in the array's dtype.
    private static func round(_ array: Tensor, decimals: Int) -> Tensor {
        guard array.dtype == .float64 else { return array.dtype == .float32 ? array.round(decimals: decimals) : array.copy() }
        let scale = Foundation.pow(10, Double(Swift.abs(decimals)))
        return Tensor(doubles: array.doubles().map { x in
            decimals >= 0 ? (x * scale).rounded(.toNearestOrEven) / scale : (x / scale).rounded(.toNearestOrEven) * scale
        }, shape: array.shape)
    }
}

extension NumpyConversion {
    /// A shape given as ints or one tuple or list of ints (`reshape(2, 3)`, `zeros((2, 3))`).
    static func shape(_ values: [Value]) throws -> [Int] {
        if values.count == 1, let only = values.first {
            switch only {
            case .tuple, .list: return try Iteration.materialize(only).map { try $0.indexValue.asInt("shape") }
            default: break
            }
        }
        return try values.map { try $0.indexValue.asInt("shape") }
    }
}
