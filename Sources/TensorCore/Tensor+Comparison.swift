import PythonText

/// An element-wise comparison (`==`, `!=`, `<`, `<=`, `>`, `>=`), giving a bool tensor.
public enum ComparisonOp: Sendable {
    case equal, notEqual, less, lessOrEqual, greater, greaterOrEqual

    func apply<T: Comparable>(_ a: T, _ b: T) -> Bool {
        switch self {
        case .equal: a == b
        case .notEqual: a != b
        case .less: a < b
        case .lessOrEqual: a <= b
        case .greater: a > b
        case .greaterOrEqual: a >= b
        }
    }
}

extension Tensor {
    /// `self op other` with broadcasting, as a bool tensor (no `grad_fn`: comparisons are not differentiable).
    /// Integer and bool tensors compare exactly; with a floating side both compare in the type torch promotes to.
    public func compared(_ op: ComparisonOp, _ other: Tensor) throws -> Tensor {
        try compared(op, other, as: Tensor.resultType(self, other))
    }

    private func compared(_ op: ComparisonOp, _ other: Tensor, as type: DType) throws -> Tensor {
        let shape = try broadcastShapes(self.shape, other.shape)
        try Tensor.checkAllocation(shape, dtype: .bool)
        let a = expanded(to: shape), b = other.expanded(to: shape)
        if !type.isFloatingPoint {
            return Tensor(bools: zip(a.int64s(), b.int64s()).map { op.apply($0, $1) }, shape: shape)
        }
        return Tensor(bools: zip(a.to(type).doubles(), b.to(type).doubles()).map { op.apply($0, $1) }, shape: shape)
    }

    /// `self op scalar`: the scalar taken in the tensor's type (a float32 tensor against `0.1` compares with
    /// float32's 0.1).
    public func compared(_ op: ComparisonOp, _ scalar: Scalar) throws -> Tensor {
        let type = Tensor.resultType(self, wrapped: [scalar])
        return try compared(op, Tensor.operand(scalar, for: type), as: type)
    }

    /// `torch.isnan`: whether each element is NaN (never, in an integer tensor).
    public func isNaN() throws -> Tensor { try compared(.notEqual, self) }

    /// `torch.isinf`: whether each element is infinite (never, in an integer or bool tensor).
    public func isInfinite() throws -> Tensor {
        dtype.isFloatingPoint ? try abs().compared(.equal, .float(.infinity)) : Tensor(bools: [Bool](repeating: false, count: count), shape: shape)
    }

    /// `torch.isfinite`: whether each element is neither infinite nor NaN (`x - x` is 0 exactly then; always, in an
    /// integer or bool tensor).
    public func isFinite() throws -> Tensor {
        dtype.isFloatingPoint ? try combined(.sub, self).compared(.equal, .float(0)) : Tensor(bools: [Bool](repeating: true, count: count), shape: shape)
    }

    /// `x.any()` / `x.all()`: whether any (every) element is nonzero, a 0-d bool tensor.
    public func any() -> Tensor { Tensor(bools: [bools().contains(true)], shape: []) }
    public func all() -> Tensor { Tensor(bools: [!bools().contains(false)], shape: []) }

    /// `x.any(dim)` / `x.all(dim)`: whether any (every) element along `dim` is nonzero, as bools.
    public func any(dim: Int, keepDim: Bool) throws -> Tensor {
        try to(.bool).to(.int64).sum(dim: dim, keepDim: keepDim).compared(.greater, .int(0))
    }

    public func all(dim: Int, keepDim: Bool) throws -> Tensor {
        let d = try dimension(dim)
        return try to(.bool).to(.int64).sum(dim: d, keepDim: keepDim).compared(.equal, .int(Int64(rank == 0 ? 1 : shape[d])))
    }

    /// `torch.nonzero(x)`: the index of each nonzero element, one row of `rank` ints each, in order.
    public func nonzero() -> Tensor {
        let flags = to(.bool).bools(), strides = Tensor.contiguousStrides(shape)
        let rows = flags.indices.filter { flags[$0] }
        let indices = rows.flatMap { flat in strides.indices.map { Int64(flat / strides[$0] % Swift.max(shape[$0], 1)) } }
        return Tensor(ints: indices, shape: [rows.count, rank])
    }

    /// `torch.maximum(x, y)` (`largest`) or `torch.minimum`: the larger (smaller) of each pair, NaN when either is.
    public static func extremum(_ x: Tensor, _ y: Tensor, largest: Bool) throws -> Tensor {
        let picksX = try x.compared(largest ? .greater : .less, y).combined(.add, try x.isNaN()).to(.bool)
        let out = try selecting(picksX, x.detached(), y.detached())
        let (xLayout, yLayout, tie) = (x.layout, y.layout, try x.compared(.equal, y))
        // torch's formula: half to each where they are equal, none to the one that loses, the whole to both where
        // a NaN makes neither win
        let (xLoses, yLoses) = (try x.compared(largest ? .less : .greater, y), try y.compared(largest ? .less : .greater, x))
        return out.recorded(largest ? .maximum : .minimum, from: x, y, derivative: Derivative(saving: false) { g in
            let (shared, zero) = (try selecting(tie, try g.combined(.div, .float(2)), g), Tensor(zeros: [], dtype: g.dtype))
            return [try selecting(xLoses, zero, shared).reduced(to: xLayout), try selecting(yLoses, zero, shared).reduced(to: yLayout)]
        })
    }

    /// `torch.isclose`: whether each pair is equal (infinities too; NaNs only with `equalNaN`) or, both finite,
    /// within `atol + |rtol * y|` of each other, computed in the pair's type as torch does.
    public static func isClose(_ x: Tensor, _ y: Tensor, rtol: Double, atol: Double, equalNaN: Bool) throws -> Tensor {
        guard x.dtype == y.dtype else { throw TensorError("\(x.dtype.scalarTypeName) did not match \(y.dtype.scalarTypeName)") }
        guard rtol >= 0 else { throw TensorError("rtol must be greater than or equal to zero, but got \(pythonRepr(rtol))") }
        guard atol >= 0 else { throw TensorError("atol must be greater than or equal to zero, but got \(pythonRepr(atol))") }
        var close = try x.compared(.equal, y)
        if x.dtype == .bool || !x.dtype.isFloatingPoint && rtol == 0 && atol == 0 { return close }
        if equalNaN { close = try close.logical(.or, try x.isNaN().logical(.and, try y.isNaN())) }
        let error = try x.combined(.sub, y).abs()
        let within = try error.compared(.lessOrEqual, try y.combined(.mul, .float(rtol)).abs().combined(.add, .float(atol)))
        return try close.logical(.or, try within.logical(.and, try error.isFinite()))
    }

    /// `x[mask]`: the elements where `mask` (a bool tensor of `x`'s leading shape) is true, as rows of the
    /// remaining dimensions (`IndexBackward0`).
    public func masked(by mask: Tensor) throws -> Tensor {
        guard mask.dtype == .bool, mask.rank <= rank, Array(shape.prefix(mask.rank)) == mask.shape else {
            throw TensorError("The shape of the mask \(pythonList(mask.shape)) does not match the shape of the indexed tensor \(pythonList(shape))")
        }
        let rows = mask.bools().enumerated().compactMap { $0.element ? $0.offset : nil }
        let inner = Array(shape.dropFirst(mask.rank))
        let flat = try reshaped([mask.count] + inner)
        return try flat.indexSelect(rows, recordedAs: .index)
    }
}

/// A bitwise operation on bool or integer tensors (`&`, `|`, `^`, `<<`, `>>`).
public enum BitwiseOp: Sendable {
    case and, or, xor, leftShift, rightShift

    func apply(_ a: Int64, _ b: Int64) -> Int64 {
        switch self {
        case .and: a & b
        case .or: a | b
        case .xor: a ^ b
        case .leftShift: b >= 64 || b < 0 ? 0 : a << b
        case .rightShift: b >= 64 || b < 0 ? (a < 0 ? -1 : 0) : a >> b
        }
    }
}

extension Tensor {
    /// `self op other` with broadcasting: bool with bool stays bool (logical and/or/xor), integers give int64; float
    /// tensors have no bitwise operations, as in torch.
    public func bitwise(_ op: BitwiseOp, _ other: Tensor) throws -> Tensor {
        let type = Tensor.resultType(self, other)
        guard !type.isFloatingPoint else { throw TensorError("\"bitwise_\(op)_cpu\" not implemented for '\(type.scalarTypeName)'") }
        let shape = try broadcastShapes(self.shape, other.shape)
        try Tensor.checkAllocation(shape)
        let values = zip(expanded(to: shape).int64s(), other.expanded(to: shape).int64s()).map { op.apply($0, $1) }
        if dtype == .bool && other.dtype == .bool && op != .leftShift && op != .rightShift {
            return Tensor(bools: values.map { $0 != 0 }, shape: shape)
        }
        return Tensor(ints: values, shape: shape, dtype: type == .int32 ? .int32 : .int64)
    }

    /// `self op scalar`.
    public func bitwise(_ op: BitwiseOp, _ scalar: Scalar) throws -> Tensor { try bitwise(op, Tensor(scalar: scalar)) }

    /// `torch.logical_and(x, y)` (and `or`, `xor`): each pair's truth (nonzero is true) combined, a bool tensor.
    public func logical(_ op: BitwiseOp, _ other: Tensor) throws -> Tensor { try to(.bool).bitwise(op, other.to(.bool)) }

    /// `~x`: logical not of a bool tensor, bitwise not of an integer one.
    public func bitwiseNot() throws -> Tensor {
        switch dtype.layout {
        case .bool: return Tensor(bools: bools().map { !$0 }, shape: shape)
        case .int: return Tensor(ints: int64s().map { ~$0 }, shape: shape, dtype: dtype)
        case .float, .double: throw TensorError("~ (operator.invert) is only implemented on integer and Boolean-type tensors", kind: .typeError)
        }
    }
}

extension Tensor {
    /// `torch.where(condition, x, y)`: `x` where `condition` (bool) holds, else `y`, all three broadcast together; a
    /// float on either side makes the result float32 (`WhereBackward0` when either requires grad).
    public static func selecting(_ condition: Tensor, _ x: Tensor, _ y: Tensor) throws -> Tensor {
        guard condition.dtype == .bool else {
            throw TensorError("where expected condition to be a boolean tensor, but got a tensor with dtype \(condition.dtype.scalarTypeName)")
        }
        let shape = try broadcastShapes(try broadcastShapes(condition.shape, x.shape), y.shape)
        try Tensor.checkAllocation(shape)
        let keep = condition.expanded(to: shape).bools()
        let out: Tensor, type = Tensor.resultType(x, y)
        if type == .float64 {
            let a = x.expanded(to: shape).doubles(), b = y.expanded(to: shape).doubles()
            out = Tensor(doubles: keep.indices.map { keep[$0] ? a[$0] : b[$0] }, shape: shape)
        } else if type.isFloatingPoint {
            let a = x.expanded(to: shape).floats(), b = y.expanded(to: shape).floats()
            out = Tensor(floats: keep.indices.map { keep[$0] ? a[$0] : b[$0] }, shape: shape).to(type)
        } else if type == .bool {
            let a = x.expanded(to: shape).bools(), b = y.expanded(to: shape).bools()
            out = Tensor(bools: keep.indices.map { keep[$0] ? a[$0] : b[$0] }, shape: shape)
        } else {
            let a = x.expanded(to: shape).int64s(), b = y.expanded(to: shape).int64s()
            out = Tensor(ints: keep.indices.map { keep[$0] ? a[$0] : b[$0] }, shape: shape, dtype: type)
        }
        return out.recorded(.conditional, from: x, y, derivative: .selecting(keep, shape: shape, x, y))
    }
}
