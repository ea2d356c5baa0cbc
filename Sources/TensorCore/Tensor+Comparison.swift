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
    /// Integer and bool tensors compare exactly; with a float32 side both compare as float32, as torch promotes.
    public func compared(_ op: ComparisonOp, _ other: Tensor) throws -> Tensor {
        let shape = try broadcastShapes(self.shape, other.shape)
        try Tensor.checkAllocation(shape, dtype: .bool)
        let a = expanded(to: shape), b = other.expanded(to: shape)
        if dtype != .float32 && other.dtype != .float32 {
            return Tensor(bools: zip(a.int64s(), b.int64s()).map { op.apply($0, $1) }, shape: shape)
        }
        return Tensor(bools: zip(a.floats(), b.floats()).map { op.apply($0, $1) }, shape: shape)
    }

    /// `self op scalar`: the scalar taken in the tensor's type (a float32 tensor against `0.1` compares with
    /// float32's 0.1).
    public func compared(_ op: ComparisonOp, _ scalar: Scalar) throws -> Tensor {
        try compared(op, Tensor(scalar: scalar))
    }

    /// `x.any()` / `x.all()`: whether any (every) element is nonzero, a 0-d bool tensor.
    public func any() -> Tensor { Tensor(bools: [bools().contains(true)], shape: []) }
    public func all() -> Tensor { Tensor(bools: [!bools().contains(false)], shape: []) }

    /// `x[mask]`: the elements where `mask` (a bool tensor of `x`'s leading shape) is true, as rows of the
    /// remaining dimensions (`IndexBackward0`).
    public func masked(by mask: Tensor) throws -> Tensor {
        guard mask.dtype == .bool, mask.rank <= rank, Array(shape.prefix(mask.rank)) == mask.shape else {
            throw TensorError("The shape of the mask \(pythonList(mask.shape)) does not match the shape of the indexed tensor \(pythonList(shape))")
        }
        let rows = mask.bools().enumerated().compactMap { $0.element ? $0.offset : nil }
        let inner = Array(shape.dropFirst(mask.rank))
        let flat = try reshaped([mask.count] + inner)
        return try flat.indexSelect(rows).recorded(.index, from: self)
    }
}
