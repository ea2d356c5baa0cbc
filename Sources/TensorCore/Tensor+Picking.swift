/// Operations that copy chosen elements into a new tensor: `gather`, `index_select` along any dimension, `flip`,
/// `roll`, `masked_select`, `one_hot` and constant padding. Each finds the row-major position in the input of every output element, and
/// `picking` copies them and adds the gradient back at those positions.
extension Tensor {
    /// `torch.gather(x, dim, index)`: `out[i][j] = x[index[i][j]][j]` for dim 0 (and so on), shaped as `index`.
    public func gather(dim: Int, index: Tensor) throws -> Tensor {
        picking(try indexedPositions("gather", dim: dim, index: index), shape: index.shape, recordedAs: .gather)
    }

    /// The row-major position in this tensor of the place each element of `index` names along `dim` (itself along
    /// the other dimensions), as `gather` reads and `scatter` writes them; torch's checks, worded for `name`.
    func indexedPositions(_ name: String, dim: Int, index: Tensor) throws -> [Int] {
        let d = try dimension(dim)
        guard index.dtype == .int64 || index.dtype == .int32 else { throw TensorError("\(name)(): Expected dtype int32/int64 for index") }
        guard index.rank == rank || (rank == 0 && index.rank <= 1) else {
            throw TensorError("Index tensor must have the same number of dimensions as \(name == "gather" ? "input" : "self") tensor")
        }
        if let bad = zip(index.shape, shape).enumerated().first(where: { $0.offset != d && $0.element.0 > $0.element.1 }) {
            throw TensorError("Size does not match at dimension \(bad.offset) expected index \(pythonList(index.shape)) to be no larger than self \(pythonList(shape)) apart from dimension \(d)")
        }
        let chosen = index.int64s(), size = shape.isEmpty ? 1 : shape[d]
        if let bad = chosen.first(where: { $0 < 0 || $0 >= Int64(size) }) {
            throw TensorError("index \(bad) is out of bounds for dimension \(d) with size \(size)")
        }
        // every index place as itself, but along dim, where the index tensor's value says
        var tables = index.shape.map { Array(0..<$0) }
        if !tables.isEmpty { tables[d] = Array(repeating: 0, count: index.shape[d]) }
        let step = shape.isEmpty ? 1 : Tensor.contiguousStrides(shape)[d]
        return zip(positions(of: index.shape, tables), chosen).map { $0 + Int($1) * step }
    }

    /// The row-major positions in this tensor of the elements of its leading block of `shape` (each index as itself).
    func leadingPositions(_ shape: [Int]) -> [Int] { positions(of: shape, shape.map { Array(0..<$0) }) }

    /// `x.index_select(dim, index)`: the slices at `index` (a 1-D int tensor) along `dim`, in its order.
    public func indexSelect(dim: Int, index: Tensor) throws -> Tensor {
        let d = try dimension(dim)
        guard index.rank <= 1, !index.dtype.isFloatingPoint, index.dtype != .bool else {
            throw TensorError("index_select(): Index is supposed to be a vector of int64 or int32")
        }
        let size = shape.isEmpty ? 1 : shape[d], chosen = index.int64s().map(Int.init)
        guard chosen.allSatisfy({ $0 >= 0 && $0 < size }) else { throw TensorError("index out of range in self", kind: .indexError) }
        var out = shape
        if !out.isEmpty { out[d] = chosen.count }
        guard rank > 0 || chosen.count == 1 else { throw TensorError("index_select(): Index to scalar can have only 1 value, got \(chosen.count) value(s)", kind: .indexError) }
        var tables = shape.map { Array(0..<$0) }
        if !tables.isEmpty { tables[d] = chosen }
        return picking(positions(of: out, tables), shape: out, recordedAs: .indexSelect)
    }

    /// `torch.flip(x, dims)`: the elements in reverse order along each of `dims`.
    public func flipped(_ dims: [Int]) throws -> Tensor {
        let resolved = try dims.map { try dimension($0) }
        if let repeated = resolved.enumerated().first(where: { resolved[..<$0.offset].contains($0.element) })?.element {
            throw TensorError("dim \(repeated) appears multiple times in the list of dims")
        }
        let tables = shape.enumerated().map { d, size in resolved.contains(d) ? Array((0..<size).reversed()) : Array(0..<size) }
        return picking(positions(of: shape, tables), shape: shape, recordedAs: .flip)
    }

    /// `torch.roll(x, shifts, dims)`: the elements moved `shifts[k]` places along `dims[k]`, those past the end
    /// coming back at the start; with no dims, over the flattened elements.
    public func rolled(_ shifts: [Int], dims: [Int]) throws -> Tensor {
        guard !dims.isEmpty else {
            guard shifts.count == 1 else { throw TensorError("shifts and dimensions must align. shifts: \(shifts.count), dims:0") }
            return picking(Self.rolledPlaces(count, by: shifts[0]), shape: shape, recordedAs: .roll)
        }
        guard shifts.count == dims.count else { throw TensorError("shifts and dimensions must align. shifts: \(shifts.count), dims:\(dims.count)") }
        guard rank > 0 else { throw TensorError("Dimension specified as \(dims[0]) but tensor has no dimensions", kind: .indexError) }
        var tables = shape.map { Array(0..<$0) }
        for (dim, shift) in zip(dims, shifts) {
            let d = try dimension(dim)
            tables[d] = Self.rolledPlaces(shape[d], by: shift).map { tables[d][$0] }  // a dimension named twice rolls twice
        }
        return picking(positions(of: shape, tables), shape: shape, recordedAs: .roll)
    }

    /// `torch.masked_select(x, mask)`: the elements where `mask` (broadcast with `x`) is true, in a 1-D tensor.
    public func maskedSelect(_ mask: Tensor) throws -> Tensor {
        guard mask.dtype == .bool else { throw TensorError("masked_select: expected BoolTensor for mask") }
        let shape = try broadcastShapes(self.shape, mask.shape)
        let input = self.shape == shape ? self : try expand(shape)  // recorded, so that the gradient reaches self
        let picked = mask.expanded(to: shape).contiguous().bools().enumerated().compactMap { $0.element ? $0.offset : nil }
        return input.picking(picked, shape: [picked.count], recordedAs: .maskedSelect)
    }

    /// The elements at `positions` (row-major indices into this tensor) as a tensor of `shape`, recorded as
    /// `function`: the gradient is added back at those positions (a position picked twice gets both).
    func picking(_ positions: [Int], shape: [Int], recordedAs function: GradFunction) -> Tensor {
        let source = contiguous(), size = dtype.storageSize
        let out = Tensor(uninitialized: shape, dtype: dtype)
        let (from, to) = (UnsafeRawPointer(source.storage.base) + source.offset * size, out.storage.base)
        for (i, p) in positions.enumerated() { (to + i * size).copyMemory(from: from + p * size, byteCount: size) }
        let layout = self.layout
        return out.recorded(function, from: self, derivative: Derivative(saving: false) { g in
            let gradients = g.to(.float64).contiguous().doubles()
            var sums = [Double](repeating: 0, count: layout.shape.reduce(1, *))
            for (i, p) in positions.enumerated() { sums[p] += gradients[i] }
            return [Tensor(doubles: sums, shape: layout.shape).to(layout.dtype)]
        })
    }

    /// For each element of a tensor of `shape` (row-major), the row-major position in this tensor of the element
    /// whose index along each dimension `d` is `tables[d][i]` for the element's index `i` there; an entry past the
    /// dimension's end marks a place outside this tensor, whose position is then `self.count` or more.
    func positions(of shape: [Int], _ tables: [[Int]]) -> [Int] {
        let strides = Tensor.contiguousStrides(self.shape), count = shape.reduce(1, *), past = self.count
        guard count > 0 else { return [] }
        let steps = tables.enumerated().map { d, table in table.map { $0 < self.shape[d] ? $0 * strides[d] : past } }
        var index = [Int](repeating: 0, count: shape.count), out = [Int]()
        out.reserveCapacity(count)
        var position = steps.reduce(0) { $0 + $1[0] }
        for _ in 0..<count {
            out.append(position)
            var d = shape.count - 1  // the odometer: the last index turns fastest
            while d >= 0 {
                position -= steps[d][index[d]]
                index[d] += 1
                if index[d] < shape[d] { position += steps[d][index[d]]; break }
                index[d] = 0
                position += steps[d][0]
                d -= 1
            }
        }
        return out
    }

    /// The places `0..<size` rolled by `shift`: place `i` takes what was at `i - shift`, wrapping around.
    private static func rolledPlaces(_ size: Int, by shift: Int) -> [Int] {
        guard size > 0 else { return [] }
        let move = ((shift % size) + size) % size  // the shift reduced first: it may be near Int's limits
        return (0..<size).map { ($0 - move + size) % size }
    }

    /// `F.one_hot(x, num_classes)`: for each class index of `x` (int64), a row of `classes` int64s with a 1 at it
    /// (`classes` -1: one more than the largest index).
    public func oneHot(classes: Int) throws -> Tensor {
        guard dtype == .int64 else { throw TensorError("one_hot is only applicable to index tensor of type LongTensor.") }
        let indices = int64s()
        if indices.contains(where: { $0 < 0 }) { throw TensorError("Class values must be non-negative.") }
        let width = classes == -1 ? Int(indices.max() ?? -1) + 1 : classes
        try Tensor.checkAllocation(shape + [width], dtype: .int64)
        guard classes == -1 || !indices.contains(where: { $0 >= Int64(classes) }) else { throw TensorError("Class values must be smaller than num_classes.") }
        if count == 0 && classes == -1 { throw TensorError("Can not infer total number of classes from empty tensor.") }
        var out = [Int64](repeating: 0, count: count * width)
        for (i, index) in indices.enumerated() { out[i * width + Int(index)] = 1 }
        return Tensor(ints: out, shape: shape + [width])
    }

    /// `F.pad(x, pad, value=...)` in constant mode: `pad` gives the counts to add before and after each dimension,
    /// from the last one back, negative counts cutting; the new places hold `value` (`ConstantPadNdBackward0`: the
    /// gradient is the output's part where the input lies).
    public func padded(_ pad: [Int], value: Scalar) throws -> Tensor {
        guard pad.count % 2 == 0 else { throw TensorError("Padding length must be divisible by 2") }
        guard pad.count / 2 <= rank else {
            throw TensorError("Padding length should be less than or equal to two times the input dimension but got padding length \(pad.count) and input of dimension \(rank)")
        }
        var before = [Int](repeating: 0, count: rank), outShape = shape
        for k in 0..<(pad.count / 2) {
            let d = rank - 1 - k
            let (grown, over1) = shape[d].addingReportingOverflow(pad[2 * k]), (size, over2) = grown.addingReportingOverflow(pad[2 * k + 1])
            (before[d], outShape[d]) = (pad[2 * k], over1 || over2 ? -1 : size)
            guard outShape[d] >= 0 else {
                throw TensorError("The input size \(shape[d]), plus negative padding \(pad[2 * k]) and \(pad[2 * k + 1]) resulted in a negative output size, which is invalid. Check dimension \(d) of your input.")
            }
        }
        try Tensor.checkAllocation(outShape, dtype: dtype)
        // each output element's position in the input, or -1 where it is new
        let tables = outShape.enumerated().map { d, size in
            (0..<size).map { i in i - before[d] >= 0 && i - before[d] < shape[d] ? i - before[d] : shape[d] }
        }
        let sources = count == 0 ? outShape.reduce(1, *) > 0 ? [Int](repeating: -1, count: outShape.reduce(1, *)) : []
            : positions(of: outShape, tables).map { $0 < count ? $0 : -1 }
        let out = Tensor(zeros: outShape, dtype: dtype)
        try out.fill(value)
        let input = contiguous(), size = dtype.storageSize
        let (from, to) = (UnsafeRawPointer(input.storage.base) + input.offset * size, out.storage.base)
        for (o, source) in sources.enumerated() where source >= 0 { (to + o * size).copyMemory(from: from + source * size, byteCount: size) }
        let layout = self.layout
        return out.recorded(.constantPad, from: self, derivative: Derivative(saving: false) { g in
            let gradients = g.to(.float64).contiguous().doubles()
            var inner = [Double](repeating: 0, count: layout.shape.reduce(1, *))
            for (o, source) in sources.enumerated() where source >= 0 { inner[source] = gradients[o] }
            return [Tensor(doubles: inner, shape: layout.shape).to(layout.dtype)]
        })
    }
}
