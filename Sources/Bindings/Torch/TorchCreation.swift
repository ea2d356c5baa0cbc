import Language
import TensorCore

/// The functions that make tensors: from data, filled, shaped like another, ranges, identity, and random draws
/// from torch's CPU generator (the same numbers as torch for a seed).
extension TorchModule {
    static func creation() -> [String: Value] {
        [
            "tensor": builtin("tensor") { args in
                let a = try args.bind("tensor", ["data", "dtype", "device", "requires_grad"], required: 1)
                return .tensor(try tensor(from: a[0]!, dtype: try dtype(a[1])).requiringGrad(try a[3]?.isTruthy() ?? false))
            },
            "from_numpy": builtin("from_numpy") { args in
                let a = try args.bind("from_numpy", ["ndarray"], required: 1)
                guard case .object(let array as NDArrayObject) = a[0]! else { throw PyError.type("expected np.ndarray (got \(a[0]!.typeName))") }
                return .tensor(array.tensor.detached())
            },
            // torch leaves an empty tensor's memory as it finds it; sbpl's is zeroed (to be filled, by nn.init or copy_)
            "empty": builtin("empty") { args in
                try shaped("empty", args) { shape, dtype in
                    guard shape.allSatisfy({ $0 >= 0 }) else { throw PyError(.runtimeError, "Trying to create tensor with negative dimension \(shape.first { $0 < 0 }!): \(pythonList(shape))") }
                    return try filled(try validated(shape), .int(0), dtype ?? .float32)
                }
            },
            "zeros": builtin("zeros") { args in
                try shaped("zeros", args) { shape, dtype in
                    guard shape.allSatisfy({ $0 >= 0 }) else { throw PyError(.runtimeError, "zeros: Dimension size must be non-negative.") }
                    return try filled(try validated(shape), .int(0), dtype ?? .float32)
                }
            },
            "ones": builtin("ones") { try shaped("ones", $0) { shape, dtype in try filled(try validated(shape), .int(1), dtype ?? .float32) } },
            "full": builtin("full") { args in
                let a = try args.bind("full", ["size", "fill_value", "dtype", "device", "requires_grad"], required: 2)
                let value = try a[1]!.asScalar("fill_value")
                return try made(filled(try sizes([a[0]!]), value, try dtype(a[2]) ?? value.dtype), requiresGrad: a[4])
            },
            "zeros_like": builtin("zeros_like") { try like("zeros_like", $0) { t, dtype in try filled(t.shape, .int(0), dtype) } },
            "ones_like": builtin("ones_like") { try like("ones_like", $0) { t, dtype in try filled(t.shape, .int(1), dtype) } },
            "empty_like": builtin("empty_like") { try like("empty_like", $0) { t, dtype in try filled(t.shape, .int(0), dtype) } },
            "rand_like": builtin("rand_like") { try like("rand_like", $0) { t, dtype in
                try drawnInFloat32("rand_like", dtype, Tensor(floats: RandomGenerator.uniform(t.count), shape: t.shape))
            } },
            "randn_like": builtin("randn_like") { try like("randn_like", $0) { t, dtype in
                try drawnInFloat32("randn_like", dtype, Tensor(floats: RandomGenerator.normal(t.count), shape: t.shape))
            } },
            "full_like": builtin("full_like") { args in
                let a = try args.bind("full_like", ["input", "fill_value", "dtype", "device", "requires_grad"], required: 2)
                let t = try a[0]!.asTensor("input")
                return try made(filled(t.shape, try a[1]!.asScalar("fill_value"), try dtype(a[2]) ?? t.dtype), requiresGrad: a[4])
            },
            "rand": builtin("rand") { try shaped("rand", $0) { shape, dtype in
                try drawnInFloat32("rand", dtype, Tensor(floats: RandomGenerator.uniform(try counted(shape)), shape: shape))
            } },
            "randn": builtin("randn") { try shaped("randn", $0) { shape, dtype in
                try drawnInFloat32("randn", dtype, Tensor(floats: RandomGenerator.normal(try counted(shape)), shape: shape))
            } },
            "randint": builtin("randint") { try randint($0) },
            "randperm": builtin("randperm") { args in
                let a = try args.bind("randperm", ["n", "generator", "dtype", "device", "requires_grad"], required: 1)
                guard a[1].given == nil else { throw PyError.notImplemented("randperm(..., generator=...): sbpl draws from torch's default generator") }
                let n = try a[0]!.asInt("n")
                guard n >= 0 else { throw PyError(.runtimeError, "Trying to create tensor with negative dimension \(n): [\(n)]") }
                let type = try dtype(a[2]) ?? .int64
                guard type != .bool else { throw PyError(.notImplementedError, "\"randperm\" not implemented for 'Bool'") }
                let order = Tensor(ints: RandomGenerator.permutation(n).map(Int64.init), shape: [n])
                return try made(order.to(type), requiresGrad: a[4])
            },
            "arange": builtin("arange") { args in
                let a = try args.bind("arange", ["start", "end", "step", "dtype", "device", "requires_grad"], required: 1)
                if a[..<3].contains(where: { if case .float? = $0 { true } else { false } }) { return try made(try floatRange(a), requiresGrad: a[5]) }
                let (start, end) = a[1] == nil ? (0, try a[0]!.asInt("end")) : (try a[0]!.asInt("start"), try a[1]!.asInt("end"))
                let step = try a[2]?.asInt("step") ?? 1
                guard step != 0 else { throw PyError(.runtimeError, "step must be nonzero") }
                guard (end - start).signum() * step.signum() >= 0 else {
                    throw PyError(.runtimeError, "upper bound and lower bound inconsistent with step sign")
                }
                try Tensor.checkAllocation([Swift.max(0, (end - start) / step)], dtype: .int64)
                let values = stride(from: start, to: end, by: step).map { Int64($0) }
                return try made(Tensor(ints: values, shape: [values.count]).to(try dtype(a[3]) ?? .int64), requiresGrad: a[5])
            },
            "linspace": builtin("linspace") { args in
                let a = try args.bind("linspace", ["start", "end", "steps", "dtype", "device", "requires_grad"], required: 3)
                let (start, end, steps) = (try a[0]!.asDouble("start"), try a[1]!.asDouble("end"), try a[2]!.asInt("steps"))
                guard steps >= 0 else { throw PyError(.runtimeError, "linspace(): number of steps must be non-negative") }
                try Tensor.checkAllocation([steps])
                return try made(Tensor(floats: linspace(Float(start), Float(end), steps), shape: [steps]).to(try dtype(a[3]) ?? .float32), requiresGrad: a[5])
            },
            "eye": builtin("eye") { args in
                let a = try args.bind("eye", ["n", "m", "dtype", "device", "requires_grad"], required: 1)
                let n = try a[0]!.asInt("n"), m = try a[1].map { try $0.asInt("m") } ?? n
                guard n >= 0, m >= 0 else { throw PyError(.runtimeError, "\(n < 0 ? "n" : "m") must be greater or equal to 0, got \(n < 0 ? n : m)") }
                try Tensor.checkAllocation([n, m])
                let ones = (0..<(n * m)).map { Float($0 / m == $0 % m ? 1 : 0) }
                return try made(Tensor(floats: ones, shape: [n, m]).to(try dtype(a[2]) ?? .float32), requiresGrad: a[4])
            },
        ]
    }

    /// `torch.arange(0.0, 1.0, 0.25)`: float32 values `start + i * step` (computed in double, as torch's CPU kernel).
    private static func floatRange(_ a: [Value?]) throws -> Tensor {
        let (start, end) = a[1] == nil ? (0, try a[0]!.asDouble("end")) : (try a[0]!.asDouble("start"), try a[1]!.asDouble("end"))
        let step = try a[2]?.asDouble("step") ?? 1
        guard step != 0 else { throw PyError(.runtimeError, "step must be nonzero") }
        guard (end - start).sign == step.sign || end == start else {
            throw PyError(.runtimeError, "upper bound and lower bound inconsistent with step sign")
        }
        let count = ((end - start) / step).rounded(.up)
        guard count.isFinite, count < Double(Int.max) else { throw PyError(.runtimeError, "arange: the range has too many elements") }
        try Tensor.checkAllocation([Int(count)])
        let values = (0..<Int(count)).map { Float(start + Double($0) * step) }
        return Tensor(floats: values, shape: [values.count]).to(try dtype(a[3]) ?? .float32)
    }

    /// torch's linspace: from both ends toward the middle, so that both bounds are exact.
    private static func linspace(_ start: Float, _ end: Float, _ steps: Int) -> [Float] {
        guard steps > 1 else { return steps == 1 ? [start] : [] }
        let step = (end - start) / Float(steps - 1), half = steps / 2
        return (0..<steps).map { i in i < half ? start + step * Float(i) : end - step * Float(steps - i - 1) }
    }

    /// `torch.randint(low=0, high, size)`.
    private static func randint(_ args: Arguments) throws -> Value {
        var positional = args.positional
        let keyword = args.keywords.first(where: { $0.name == "size" })?.value
        guard let size = keyword ?? positional.popLast() else { throw PyError.type("randint() missing required argument 'size'") }
        guard ["tuple", "list", "Size"].contains(size.typeName) else {
            let position = keyword == nil ? " (position \(positional.count + 1))" : ""
            throw PyError.type("randint(): argument 'size'\(position) must be tuple of ints, not \(size.typeName)")
        }
        let rest = Arguments(positional, keywords: args.keywords.filter { $0.name != "size" })
        let a = try rest.bind("randint", ["low", "high", "dtype", "device", "requires_grad", "generator"], required: 1)
        let (low, high) = a[1] == nil ? (0, try a[0]!.asInt("high")) : (try a[0]!.asInt("low"), try a[1]!.asInt("high"))
        guard low < high else {
            throw PyError(.runtimeError, "random_ expects 'from' to be less than 'to', but got from=\(low) >= to=\(high)")
        }
        let shape = try sizes([size])
        try Tensor.checkAllocation(shape, dtype: .int64)
        let values = RandomGenerator.integers(shape.reduce(1, *), low: Int64(low), high: Int64(high))
        return .tensor(Tensor(ints: values, shape: shape).to(try dtype(a[2]) ?? .int64))
    }

    /// `torch.zeros(2, 3)` / `torch.zeros((2, 3))` with `dtype=` and `requires_grad=`: the shape and type given to
    /// `make`.
    private static func shaped(_ name: String, _ args: Arguments, _ make: ([Int], DType?) throws -> Tensor) throws -> Value {
        for keyword in args.keywords where !["dtype", "device", "requires_grad", "size"].contains(keyword.name) {
            throw PyError.type("\(name)() got an unexpected keyword argument '\(keyword.name)'")
        }
        let keyword = { (name: String) in args.keywords.first { $0.name == name }?.value }
        var dims = args.positional + (keyword("size").map { [$0] } ?? [])
        if dims.count == 1, ["tuple", "list", "Size"].contains(dims[0].typeName) { dims = try Iteration.materialize(dims[0]) }
        let shape = try dims.map { try $0.asInt("size") }
        let made = try make(shape, try dtype(keyword("dtype")))
        return try TorchModule.made(made, requiresGrad: keyword("requires_grad"))
    }

    /// `torch.zeros_like(x)` and the like: a tensor of `x`'s shape and (unless `dtype=`) type.
    private static func like(_ name: String, _ args: Arguments, _ make: (Tensor, DType) throws -> Tensor) throws -> Value {
        let a = try args.bind(name, ["input", "dtype", "device", "requires_grad"], required: 1)
        let t = try a[0]!.asTensor("input")
        return try made(try make(t, try dtype(a[1]) ?? t.dtype), requiresGrad: a[3])
    }

    /// A float32 draw; torch draws other floating types differently (float64 from 53-bit numbers), which sbpl does
    /// not do yet.
    private static func drawnInFloat32(_ name: String, _ dtype: DType?, _ draw: @autoclosure () throws -> Tensor) throws -> Tensor {
        guard dtype ?? .float32 == .float32 else { throw PyError.notImplemented("torch.\(name)(..., dtype=\(dtype!.torchName))") }
        return try draw()
    }

    /// The element count of a shape a tensor is about to be made with, after `validated`.
    private static func counted(_ shape: [Int]) throws -> Int { try validated(shape).reduce(1, *) }

    /// `shape` if a tensor of it can be made: no negative size and memory for it (`Tensor.checkAllocation`).
    private static func validated(_ shape: [Int]) throws -> [Int] {
        try Tensor.checkAllocation(shape)
        return shape
    }

    /// A new tensor with every element `value` (zeros take the freshly zeroed storage as it is).
    private static func filled(_ shape: [Int], _ value: Scalar, _ dtype: DType) throws -> Tensor {
        let t = Tensor(zeros: shape, dtype: dtype)
        if value.doubleValue.bitPattern != 0 { try t.fill(dtype == .bool ? .bool(value.doubleValue != 0) : value) }
        return t
    }

    private static func made(_ t: Tensor, requiresGrad: Value?) throws -> Value {
        .tensor(try t.requiringGrad(try requiresGrad?.isTruthy() ?? false))
    }

    /// A shape given as sizes or as one tuple, list or torch.Size, validated.
    static func sizes(_ values: [Value]) throws -> [Int] {
        var dims = values
        if dims.count == 1, ["tuple", "list", "Size"].contains(dims[0].typeName) { dims = try Iteration.materialize(dims[0]) }
        return try validated(try dims.map { try $0.asInt("size") })
    }

    /// `dtype=`: a torch dtype or None.
    static func dtype(_ value: Value?) throws -> DType? {
        switch value {
        case nil, .none?: return nil
        case .dtype(let d)?: return d
        case let other?: throw PyError.type("dtype must be torch.dtype, not \(other.typeName)")
        }
    }

    /// `torch.tensor(data)`: nested lists of numbers (or a tensor) to a tensor; ints give int64, floats float32, or
    /// `dtype` when given (each Python float rounded once to it).
    static func tensor(from data: Value, dtype: DType?) throws -> Tensor {
        var shape = [Int]()
        var flat = [Value]()
        var float64Scalars = false   // numpy float64 scalars make a float64 tensor, as torch infers from them
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
            case .object(let scalar as RealScalarObject):
                float64Scalars = float64Scalars || scalar.dtype == .float64
                try walk(scalar.item, depth)
            default:
                throw PyError.type("new(): invalid data type '\(v.typeName)'")
            }
        }
        if case .tensor(let t) = data { return t.to(dtype ?? t.dtype).copy().detached() }
        if case .object(let array as NDArrayObject) = data { return array.tensor.to(dtype ?? array.tensor.dtype).copy() }
        try walk(data, 0)
        let isFloat = flat.isEmpty || flat.contains { if case .float = $0 { return true } else { return false } }
        let isBool = !flat.isEmpty && flat.allSatisfy { if case .bool = $0 { return true } else { return false } }
        let target = dtype ?? (isFloat ? (float64Scalars ? .float64 : .float32) : isBool ? .bool : .int64)
        if target == .bool { return Tensor(bools: try flat.map { try $0.isTruthy() }, shape: shape) }
        if target.isFloatingPoint {
            return Tensor(doubles: try flat.map { try $0.asDouble("element") }, shape: shape).to(target)
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
        }, shape: shape, dtype: target)
    }
}
