/// Operations that write chosen elements of a copy of a tensor: `scatter` (a tensor's values or one number),
/// `scatter_add`, `index_add`; and the diagonal ones, `diag` and `trace`. Each records torch's node with the
/// gradients its formula gives.
extension Tensor {
    /// `x.scatter(dim, index, src)`: a copy of `x` whose places `index` names (as `gather` reads them) hold `src`'s
    /// elements at the same index (`ScatterBackward0`); with a number for `src`, that number (`ScatterBackward1`).
    /// A place named twice keeps the last.
    public func scatter(dim: Int, index: Tensor, source: Tensor?, value: Scalar? = nil) throws -> Tensor {
        let targets = try indexedPositions("scatter", dim: dim, index: index)
        let out = contiguous().copy()
        let size = dtype.storageSize, from = source?.leadingPositions(index.shape) ?? []
        if let source {
            try checkSource(source, covers: index, "scatter")
            let values = source.to(dtype).contiguous()
            let (src, dst) = (UnsafeRawPointer(values.storage.base) + values.offset * size, out.storage.base)
            for (k, target) in targets.enumerated() { (dst + target * size).copyMemory(from: src + from[k] * size, byteCount: size) }
        } else if let value {
            let one = try Tensor(zeros: [1], dtype: dtype).combined(.add, value).to(dtype)
            for target in targets { (out.storage.base + target * size).copyMemory(from: one.storage.base + one.offset * size, byteCount: size) }
        }
        let (layout, sourceLayout) = (self.layout, source?.layout)
        let indexShape = index.shape
        return out.recorded(source == nil ? .scatterValue : .scatter, from: self, source, derivative: Derivative(saving: false) { g in
            if let sourceLayout { try Tensor.checkSourceGradient(.scatter, sourceLayout.shape, indexShape) }
            let gradients = g.to(.float64).contiguous().doubles()
            var kept = gradients
            for target in targets { kept[target] = 0 }
            let toSource = sourceLayout.map { layout in
                var picked = [Double](repeating: 0, count: layout.shape.reduce(1, *))
                for (k, target) in targets.enumerated() { picked[from[k]] = gradients[target] }
                return Tensor(doubles: picked, shape: layout.shape).to(layout.dtype)
            }
            return [Tensor(doubles: kept, shape: layout.shape).to(layout.dtype), toSource]
        })
    }

    /// `x.scatter_add(dim, index, src)`: a copy of `x` with `src`'s elements added at the places `index` names, a
    /// place named twice getting both (`ScatterAddBackward0`).
    public func scatterAdd(dim: Int, index: Tensor, source: Tensor) throws -> Tensor {
        let targets = try indexedPositions("scatter_add", dim: dim, index: index)
        try checkSource(source, covers: index, "scatter_add")
        let from = source.leadingPositions(index.shape)
        return try added(at: targets, from: from, of: source, recordedAs: .scatterAdd, scale: 1, gradientShape: index.shape)
    }

    /// `x.index_add(dim, index, source, alpha=1)`: a copy of `x` with `alpha` times the slices of `source` added to
    /// the slices `index` (a 1-D int tensor) names along `dim` (`IndexAddBackward0`).
    public func indexAdd(dim: Int, index: Tensor, source: Tensor, alpha: Double = 1) throws -> Tensor {
        let d = try dimension(dim)
        guard index.rank <= 1, index.dtype == .int64 || index.dtype == .int32 else { throw TensorError("index_add_(): Expected dtype int32/int64 for index") }
        let chosen = index.int64s().map(Int.init), size = shape.isEmpty ? 1 : shape[d]
        var expected = shape
        if !expected.isEmpty { expected[d] = chosen.count }
        guard source.shape == expected || (rank == 0 && source.count == 1) else {
            throw TensorError("source tensor shape must match self tensor shape, excluding the specified dimension. Got self.shape = \(pythonList(shape)) source.shape = \(pythonList(source.shape))")
        }
        guard chosen.allSatisfy({ $0 >= 0 && $0 < size }) else { throw TensorError("index out of range in self", kind: .indexError) }
        var tables = expected.map { Array(0..<$0) }
        if !tables.isEmpty { tables[d] = chosen }
        return try added(at: positions(of: expected, tables), from: source.leadingPositions(expected), of: source, recordedAs: .indexAdd, scale: alpha,
                         gradientShape: expected)
    }

    /// A copy of this tensor with `scale` times `source`'s elements at `from` added at `targets`; the gradient goes
    /// whole to this tensor and, picked at the targets and scaled, to `source`.
    private func added(at targets: [Int], from: [Int], of source: Tensor, recordedAs function: GradFunction, scale: Double,
                       gradientShape: [Int]) throws -> Tensor {
        guard source.dtype == dtype else {
            throw TensorError("\(function == .indexAdd ? "index_add_" : "scatter_add")(): self (\(dtype.scalarTypeName)) and source (\(source.dtype.scalarTypeName)) must have the same scalar type")
        }
        let values = source.to(.float64).contiguous().doubles()
        var sums = to(.float64).contiguous().doubles()
        for (k, target) in targets.enumerated() { sums[target] += scale * values[from[k]] }
        let sourceLayout = source.layout
        return Tensor(doubles: sums, shape: shape).to(dtype).recorded(function, from: self, source, derivative: Derivative(saving: false) { g in
            try Tensor.checkSourceGradient(function, sourceLayout.shape, gradientShape)
            let gradients = g.to(.float64).contiguous().doubles()
            var picked = [Double](repeating: 0, count: sourceLayout.shape.reduce(1, *))
            for (k, target) in targets.enumerated() { picked[from[k]] = scale * gradients[target] }
            return [g, Tensor(doubles: picked, shape: sourceLayout.shape).to(sourceLayout.dtype)]
        })
    }

    /// torch's formula gives the source the gradient picked at the index (shaped as the index), which autograd
    /// refuses when the source is larger: its error, at backward.
    private static func checkSourceGradient(_ function: GradFunction, _ source: [Int], _ picked: [Int]) throws {
        guard source == picked else {
            throw TensorError("Function \(function.name) returned an invalid gradient at index 1 - got \(pythonList(picked)) but expected shape compatible with \(pythonList(source))")
        }
    }

    /// `src` must be at least as large as `index` in every dimension (torch's check), with as many dimensions.
    private func checkSource(_ source: Tensor, covers index: Tensor, _ name: String) throws {
        guard source.rank == index.rank, zip(index.shape, source.shape).allSatisfy({ $0 <= $1 }) else {
            throw TensorError("Expected index \(pythonList(index.shape)) to be no larger than self \(pythonList(shape)) apart from dimension and to be no larger size than src \(pythonList(source.shape))")
        }
    }

    /// `torch.diag(x, diagonal)`: a vector's elements on a square matrix's `diagonal` (`DiagEmbedBackward0`), or a
    /// matrix's `diagonal` as a vector (`DiagonalBackward0_copy`).
    public func diag(_ diagonal: Int = 0) throws -> Tensor {
        switch rank {
        case 1:
            let n = count + Swift.abs(diagonal), shift = diagonal >= 0 ? diagonal : -diagonal * n
            let places = (0..<count).map { $0 * (n + 1) + shift }
            let out = Tensor(zeros: [n, n], dtype: dtype), values = contiguous(), size = dtype.storageSize
            for (i, place) in places.enumerated() {
                (out.storage.base + place * size).copyMemory(from: values.storage.base + (values.offset + i) * size, byteCount: size)
            }
            return out.recorded(.diagEmbed, from: self, derivative: Derivative(saving: false) { g in
                [g.contiguous().picking(places, shape: [places.count], recordedAs: .diagonal)]
            })
        case 2:
            let (rows, columns) = (shape[0], shape[1])
            let length = Swift.max(0, diagonal >= 0 ? Swift.min(rows, columns - diagonal) : Swift.min(rows + diagonal, columns))
            let start = diagonal >= 0 ? diagonal : -diagonal * columns
            return picking((0..<length).map { start + $0 * (columns + 1) }, shape: [length], recordedAs: .diagonal)
        default: throw TensorError("diag(): Supports 1D or 2D tensors. Got \(rank)D")
        }
    }

    /// `torch.trace(m)`: the sum of a matrix's main diagonal (`TraceBackward0`).
    public func trace() throws -> Tensor {
        guard rank == 2 else { throw TensorError("trace: expected a matrix, but got tensor with dim \(rank)") }
        let diagonal = try GradMode.withoutRecording { try diag() }
        let layout = self.layout, length = diagonal.count, columns = shape[1]
        return try diagonal.sum().recorded(.trace, from: self, derivative: Derivative(saving: false) { g in
            let value = try g.item().doubleValue
            var out = [Double](repeating: 0, count: layout.shape.reduce(1, *))
            for i in 0..<length { out[i * (columns + 1)] = value }
            return [Tensor(doubles: out, shape: layout.shape).to(layout.dtype)]
        })
    }
}
