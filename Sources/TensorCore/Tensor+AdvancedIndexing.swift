/// One entry of an index that may pick elements by position, torch's advanced indexing: `x[:, [0, 2]]`,
/// `logits[rows, labels]`, `x[mask, 0]`.
public enum IndexEntry: Sendable {
    /// An int, a slice, None or `...`, applied as a view first (as torch applies them).
    case basic(TensorIndex)
    /// An int64 or int32 tensor of positions along one dimension, or a bool mask over as many dimensions as it has.
    case positions(Tensor)
}

extension Tensor {
    /// `x[key]` for a key with position or mask tensors: a copy of the picked elements (`IndexBackward0`).
    public func gathered(_ key: [IndexEntry]) throws -> Tensor {
        let selection = try AdvancedSelection(self, key)
        let out = Tensor(uninitialized: selection.shape, dtype: dtype)
        let size = dtype.storageSize
        let (src, dst) = (UnsafeRawPointer(storage.base), out.storage.base)
        for (i, offset) in selection.offsets.enumerated() { (dst + i * size).copyMemory(from: src + offset * size, byteCount: size) }
        return out.recorded(.index, from: self, derivative: .gathered(self, key))
    }

    /// `x[key] = source` for a key with position or mask tensors (`index_put_`): `source` broadcast to the picked
    /// elements' shape and converted to this tensor's type; a place picked twice keeps the last value. When autograd
    /// records it, the tensor (every name of it) now comes from its old self with the picked places' gradient zeroed
    /// and from `source` at them, under the name torch gives the write (`IndexEntry.writeFunction`).
    public func assign(_ source: Tensor, at key: [IndexEntry], fromNumber: Bool = false) throws {
        let function = IndexEntry.writeFunction(key, fromNumber: fromNumber)
        if isLeaf { try checkWritable(throughView: function == .copySlices) }
        if source.requiresGrad && GradMode.isEnabled || requiresGrad { try refuseRecordedWriteIntoView() }
        let selection = try AdvancedSelection(self, key)
        let values = try source.to(dtype).broadcast(to: selection.shape).contiguous()
        let size = dtype.storageSize
        let (src, dst) = (UnsafeRawPointer(values.storage.base) + values.offset * size, storage.base)
        storage.touch()
        for (i, offset) in selection.offsets.enumerated() { (dst + offset * size).copyMemory(from: src + i * size, byteCount: size) }
        guard (source.requiresGrad || requiresGrad) && GradMode.isEnabled && dtype.isFloatingPoint else { return }
        let sourceLayout = source.layout
        let derivative = Derivative(saving: false) { g in
            let kept = g.copy()
            try kept.assign(Tensor(zeros: [], dtype: g.dtype), at: key)
            return [kept, sourceLayout.dtype.isFloatingPoint ? try g.gathered(key).reduced(to: sourceLayout) : nil]
        }
        gradState.history = .result(GradNode(function, inputs: [gradEdge, source.gradEdge], derivative: derivative))
    }

    /// Adds `values` (shaped as the picked elements) into the places `key` picks, a place picked twice getting
    /// both: the gradient of `x[key]` (`index_put_(..., accumulate=True)`).
    func accumulate(_ values: Tensor, at key: [IndexEntry]) throws {
        let selection = try AdvancedSelection(self, key)
        let flat = values.to(dtype).doubles()
        switch dtype.layout {
        case .double:
            let dst = storage.doubles()
            for (i, offset) in selection.offsets.enumerated() { dst[offset] += flat[i] }
        default:
            let dst = storage.floats()
            for (i, offset) in selection.offsets.enumerated() { dst[offset] += Float(flat[i]) }
        }
    }
}

extension IndexEntry {
    /// The node torch records for `x[key] = value`: `CopySlices` when ints, part-slices or None first make a view,
    /// else `masked_fill_` for one mask and a Python number, `index_fill_` for one position tensor and a number, and
    /// `index_put_` otherwise.
    static func writeFunction(_ key: [IndexEntry], fromNumber: Bool) -> GradFunction {
        var masks = 0, positions = 0
        for entry in key {
            switch entry {
            case .basic(.ellipsis): continue
            case .basic(.slice(let start, let stop, let step)) where start == nil && stop == nil && (step ?? 1) == 1: continue
            case .basic: return .copySlices
            case .positions(let t): if t.dtype == .bool { masks += 1 } else { positions += 1 }
            }
        }
        guard fromNumber, masks + positions == 1 else { return .indexPut }
        return masks == 1 ? .maskedFill : .indexFill
    }
}

/// The elements an index with position or mask tensors picks, in the result's order, and the result's shape, by
/// torch's rules: ints, slices, None and `...` are applied first as a view; the position tensors (a mask counts as
/// one per dimension it covers, its `nonzero()` columns) broadcast together to one shape, which takes the place of
/// their dimensions when they stand next to each other in that view and goes first when they do not.
struct AdvancedSelection {
    /// The result's shape.
    let shape: [Int]
    /// For each element of the result, in row-major order, its index in the tensor's storage.
    let offsets: [Int]

    init(_ tensor: Tensor, _ key: [IndexEntry]) throws {
        let (view, axes) = try Self.view(of: tensor, key)
        let positions = try Self.broadcast(axes.map(\.positions))
        let dims = axes.map(\.dim)
        let others = view.shape.indices.filter { !dims.contains($0) }
        let (before, after) = if let first = dims.first, dims.last! - first + 1 == dims.count {
            (others.filter { $0 < first }, others.filter { $0 > first })
        } else { ([Int](), others) }
        shape = before.map { view.shape[$0] } + (positions.first?.shape ?? []) + after.map { view.shape[$0] }
        var picked = [Int](repeating: 0, count: positions.first?.count ?? 1)
        for (axis, values) in positions.enumerated() {
            let dim = dims[axis], size = view.shape[dim]
            for (i, p) in values.int64s().map(Int.init).enumerated() {
                guard p >= -size && p < size else {
                    throw TensorError("index \(p) is out of bounds for dimension \(axis) with size \(size)", kind: .indexError)
                }
                picked[i] += (p < 0 ? p + size : p) * view.strides[dim]
            }
        }
        let (lead, trail) = (Self.offsets(before, in: view), Self.offsets(after, in: view))
        offsets = lead.flatMap { l in picked.flatMap { p in trail.map { view.offset + l + p + $0 } } }
    }

    /// The view of `tensor` that the key's ints, slices, None and `...` make, with a whole dimension for each
    /// position tensor, and where in that view each position tensor indexes.
    private static func view(of tensor: Tensor, _ key: [IndexEntry]) throws -> (Tensor, [(dim: Int, positions: Tensor)]) {
        let consumed = key.reduce(0) { n, entry in
            switch entry {
            case .basic(.newAxis), .basic(.ellipsis): n
            case .basic: n + 1
            case .positions(let t): n + (t.dtype == .bool ? t.rank : 1)
            }
        }
        guard consumed <= tensor.rank else { throw TensorError("too many indices for tensor of dimension \(tensor.rank)", kind: .indexError) }
        var basic = [TensorIndex](), axes = [(dim: Int, positions: Tensor)](), d = 0, v = 0
        for entry in key {
            switch entry {
            case .basic(let index):
                basic.append(index)
                let spans = index == .ellipsis ? tensor.rank - consumed : 1
                if case .at = index {} else { v += spans }
                if index != .newAxis { d += index == .ellipsis ? spans : 1 }
            case .positions(let t) where t.dtype == .bool:
                try checkMask(t, against: tensor.shape, at: d)
                let columns = t.nonzero()
                for k in 0..<t.rank {
                    axes.append((v + k, try columns.view(at: [.all, .at(k)])))
                    basic.append(.all)
                }
                (v, d) = (v + t.rank, d + t.rank)
            case .positions(let t):
                guard t.dtype.isInteger else { throw TensorError("tensors used as indices must be long, int, byte or bool tensors", kind: .indexError) }
                axes.append((v, t))
                basic.append(.all)
                (v, d) = (v + 1, d + 1)
            }
        }
        return (try tensor.detached().view(at: basic), axes)
    }

    /// torch's error for a mask that does not match the dimensions it covers, from dimension `start` on.
    private static func checkMask(_ mask: Tensor, against shape: [Int], at start: Int) throws {
        for k in 0..<mask.rank where mask.shape[k] != shape[start + k] {
            throw TensorError("The shape of the mask \(pythonList(mask.shape)) at index \(k) does not match the shape of the indexed tensor \(pythonList(shape)) at index \(start + k)", kind: .indexError)
        }
    }

    /// The position tensors broadcast to one shape, with torch's error when they cannot be.
    private static func broadcast(_ positions: [Tensor]) throws -> [Tensor] {
        var shape = [Int]()
        for p in positions {
            guard let joined = try? broadcastShapes(shape, p.shape) else {
                let shapes = positions.map { pythonList($0.shape) }.joined(separator: ", ")
                throw TensorError("shape mismatch: indexing tensors could not be broadcast together with shapes \(shapes)", kind: .indexError)
            }
            shape = joined
        }
        return positions.map { $0.expanded(to: shape) }
    }

    /// The storage steps of every position in `dims` of `view` together, in row-major order (`[0]` for none).
    private static func offsets(_ dims: [Int], in view: Tensor) -> [Int] {
        dims.reduce([0]) { steps, dim in steps.flatMap { s in (0..<view.shape[dim]).map { s + $0 * view.strides[dim] } } }
    }
}
