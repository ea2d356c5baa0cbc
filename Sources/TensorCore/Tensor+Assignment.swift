/// Writing into a tensor, as torch's in-place operations do: `x[index] = value`, `x[mask] = value`, `x.add_(y)`,
/// `x.fill_(v)`. A write goes to the storage the tensor shares, so every view of it sees the change.
extension Tensor {
    /// `self[indices] = source`: `source` broadcast to the indexed view's shape and converted to this tensor's type.
    public func assign(_ source: Tensor, at indices: [TensorIndex]) throws {
        if isLeaf { try checkWritable(throughView: true) }
        guard (source.requiresGrad || requiresGrad) && GradMode.isEnabled else {
            try view(at: indices).detached().write(source)
            return
        }
        try refuseRecordedWriteIntoView()
        // torch's CopySlices: the tensor (every name of it) now comes from its old self, the written place's gradient
        // zeroed, and from the source at that place
        let (before, layout, sourceLayout) = (gradEdge, self.layout, source.layout)
        try view(at: indices).detached().write(source, recordedElsewhere: true)
        let derivative = Derivative(saving: false) { g in
            let kept = g.copy()
            try kept.assign(Tensor(zeros: [], dtype: layout.dtype), at: indices)
            return [kept, sourceLayout.dtype.isFloatingPoint ? try g.view(at: indices).reduced(to: sourceLayout) : nil]
        }
        gradState.history = .result(GradNode(.copySlices, inputs: [before, source.gradEdge], derivative: derivative))
    }

    /// `self[mask] = source`: the elements (or rows) where `mask` is true, `source` a number or a tensor that
    /// broadcasts to the selection's shape `[count, ...]`.
    public func assign(_ source: Tensor, where mask: Tensor) throws {
        try checkWritable(throughView: false)
        if source.requiresGrad && GradMode.isEnabled { try refuseRecordedWrite() }
        guard mask.rank <= rank, Array(shape.prefix(mask.rank)) == mask.shape else {
            throw TensorError("The shape of the mask \(pythonList(mask.shape)) at index 0 does not match the shape of the indexed tensor \(pythonList(shape)) at index 0", kind: .indexError)
        }
        let selected = mask.bools().enumerated().compactMap { $0.element ? $0.offset : nil }
        let rowShape = Array(shape.dropFirst(mask.rank))
        let values = try source.broadcast(to: [selected.count] + rowShape)
        let maskStrides = Tensor.contiguousStrides(mask.shape)
        for (j, flat) in selected.enumerated() {
            let position = zip(maskStrides, mask.shape).map { TensorIndex.at(flat / $0.0 % $0.1) }
            try view(at: position).detached().write(values.view(at: [.at(j)]))
        }
    }

    /// `x.copy_(source)`: `source` broadcast and converted (floats truncated into an int64 tensor) over every element.
    public func copyIn(_ source: Tensor) throws {
        try checkWritable(throughView: false)
        try write(source)
    }

    /// The in-place arithmetic (`x.add_(y)`, `x += y`): the operation's `result` written over this tensor, which
    /// must be able to hold its type (an int64 tensor cannot take a float32 result, as in torch).
    public func update(with result: Tensor) throws {
        try checkWritable(throughView: false)
        if result.dtype.category > dtype.category {
            throw TensorError("result type \(result.dtype.scalarTypeName) can't be cast to the desired output type \(dtype.scalarTypeName)")
        }
        try write(result)
    }

    /// `x += y` (and the other in-place operators) when autograd records the result: the values are written into
    /// this tensor's storage, which its views share, and the tensor (every name of it) takes the result's history,
    /// as torch records the in-place node on the tensor itself. A leaf that requires
    /// grad is refused, as in torch; a node that saved this tensor finds it changed at backward().
    public func updatedInPlace(with result: Tensor) throws -> Tensor {
        guard result.requiresGrad && GradMode.isEnabled else {
            try update(with: result)
            return self
        }
        if requiresGrad && isLeaf { try checkWritable(throughView: false) }
        try refuseRecordedWriteIntoView()
        if result.dtype.category > dtype.category {
            throw TensorError("result type \(result.dtype.scalarTypeName) can't be cast to the desired output type \(dtype.scalarTypeName)")
        }
        try write(result, recordedElsewhere: true)
        gradState.history = result.gradHistory  // every name of this tensor sees the new history
        return self
    }

    /// A recorded write into a view of a tensor that requires grad (`v = x[1:]; v[0] = y`): torch records it on the
    /// tensor viewed (or refuses a view of a leaf), which sbpl does not follow yet; it says so rather than leave that
    /// tensor's gradient wrong.
    func refuseRecordedWriteIntoView() throws {
        guard requiresGrad, GradMode.isEnabled, let function = gradFunction, function.isView else { return }
        throw TensorError("sbpl cannot record an in-place write into a view (\(function.rawValue)) of a tensor that requires grad yet: write into the tensor itself, or build the result out of place (torch.where, torch.cat)", kind: .notImplementedError)
    }

    /// What a write of recorded values that sbpl cannot record yet (`x[mask] = y`, `x.copy_(y)`) says.
    func refuseRecordedWrite() throws -> Never {
        throw TensorError("sbpl cannot record an in-place write of a tensor that requires grad into one that does not yet: build the result out of place (torch.cat, torch.stack, torch.where), or write source.detach()", kind: .notImplementedError)
    }

    /// `x.fill_(value)`: every element set to one number.
    public func fill(_ value: Scalar) throws {
        try checkWritable(throughView: false)
        switch dtype.layout {   // the number itself, not rounded through float32
        case .int: try write(Tensor(ints: [try value.integer(as: dtype)], shape: []))
        case .double: try write(Tensor(doubles: [value.doubleValue], shape: []))
        default: try write(Tensor(scalar: value))
        }
    }

    /// torch's refusals: writing in place into a tensor autograd needs, when grad mode is on.
    func checkWritable(throughView: Bool) throws {
        guard requiresGrad && GradMode.isEnabled else { return }
        if isLeaf {
            throw TensorError("a \(throughView ? "view of a " : "")leaf Variable that requires grad is being used in an in-place operation.")
        }
        throw TensorError("sbpl does not support in-place operations on tensors that require grad yet (use torch.no_grad() or .detach())",
                          kind: .notImplementedError)
    }

    /// `x.masked_fill_(mask, value)`: `value` where `mask`, which broadcasts to this tensor's shape, is true.
    public func fill(_ value: Tensor, where mask: Tensor) throws {
        guard mask.dtype == .bool else { throw TensorError("masked_fill_ only supports boolean masks, but got mask with dtype \(mask.dtype.torchName.dropFirst(6))") }
        guard value.rank == 0 else {
            throw TensorError("masked_fill_ only supports a 0-dimensional value tensor, but got tensor with \(value.rank) dimension(s).")
        }
        if dtype.layout == .int {
            _ = try (value.dtype.isFloatingPoint ? Scalar.float(value.doubles()[0]) : Scalar.int(value.int64s()[0])).integer(as: dtype)
        }
        try assign(value, where: try mask.expandedStrictly(to: shape))
    }

    /// `x.masked_fill(mask, value)`: a copy with `value` where `mask` is true (`MaskedFillBackward0`: the gradient
    /// passes where the mask is false).
    public func maskedFilled(_ value: Tensor, where mask: Tensor) throws -> Tensor {
        let out = copy().detached()
        try out.fill(value, where: mask)
        return out.recorded(.maskedFill, from: self, derivative: .masked(self, mask))
    }

    /// `source` as the selection's shape for `x[mask] = source`: `expandedStrictly`, with index_put's error.
    func broadcast(to target: [Int]) throws -> Tensor {
        do { return try expandedStrictly(to: target) } catch {
            throw TensorError("shape mismatch: value tensor of shape \(pythonList(shape)) cannot be broadcast to indexing result of shape \(pythonList(target))")
        }
    }

    /// This tensor expanded to `target` as `expand` does, with its error (leading dimensions of size 1 dropped).
    func expandedStrictly(to target: [Int]) throws -> Tensor {
        var source = self
        while source.rank > target.count, source.shape.first == 1 { source = try source.detached().squeezed(0) }
        let lead = target.count - source.rank
        guard lead >= 0 else {
            throw TensorError("expand(torch.FloatTensor{\(pythonList(shape))}, size=\(pythonList(target))): the number of sizes provided (\(target.count)) must be greater or equal to the number of dimensions in the tensor (\(rank))")
        }
        for d in 0..<source.rank where source.shape[d] != 1 && source.shape[d] != target[lead + d] {
            throw TensorError("The expanded size of the tensor (\(target[lead + d])) must match the existing size (\(source.shape[d])) at non-singleton dimension \(lead + d).  Target sizes: \(pythonList(target)).  Tensor sizes: \(pythonList(source.shape))")
        }
        return source.expanded(to: target)
    }

    /// Every element of this contiguous tensor set to `value`'s one element, of this tensor's type (a fill).
    private func fillContiguous(with value: Tensor) {
        switch dtype.layout {
        case .float: storage.floats(offset).update(repeating: value.floats()[0], count: count)
        case .double: storage.doubles(offset).update(repeating: value.doubles()[0], count: count)
        case .int: storage.ints(offset).update(repeating: value.int64s()[0], count: count)
        case .bool: storage.bools(offset).update(repeating: value.bools()[0] ? 1 : 0, count: count)
        }
    }

    /// Writes `source`, broadcast to this view's shape and converted to its type, element by element.
    private func write(_ source: Tensor, recordedElsewhere: Bool = false) throws {
        if source.requiresGrad && !requiresGrad && GradMode.isEnabled && !recordedElsewhere { try refuseRecordedWrite() }
        let values = try source.expandedStrictly(to: shape)
        storage.touch()
        if source.count == 1 && isContiguous { return fillContiguous(with: source.to(dtype)) }
        var i = 0
        switch dtype.layout {
        case .float:
            let (src, dst) = (values.to(dtype).floats(), storage.floats())
            forEachIndex { dst[$0] = src[i]; i += 1 }
        case .double:
            let (src, dst) = (values.doubles(), storage.doubles())
            forEachIndex { dst[$0] = src[i]; i += 1 }
        case .int:
            let (src, dst) = (values.to(dtype).int64s(), storage.ints())
            forEachIndex { dst[$0] = src[i]; i += 1 }
        case .bool:
            let (src, dst) = (values.bools(), storage.bools())
            forEachIndex { dst[$0] = src[i] ? 1 : 0; i += 1 }
        }
    }
}
