/// `tensor.backward()`: the gradient of a result flows back through the recorded nodes, each input's gradient
/// from its derivative, summed where a tensor fed several operations, into the leaves' `.grad`.
extension Tensor {
    /// `tensor.grad`: what `backward()` has summed into this leaf, or into a result that `retain_grad()` asked to keep
    /// it; nil for any other tensor.
    public var grad: Tensor? {
        switch gradHistory {
        case .leaf(let leaf): leaf.grad
        case .result(let node): node.retained?.grad
        case .none: nil
        }
    }

    /// `tensor.retain_grad()`: a result keeps the gradient `backward()` computes for it in `.grad` (a leaf keeps
    /// its own anyway).
    public func retainGrad() throws {
        switch gradHistory {
        case .none: throw TensorError("can't retain_grad on Tensor that has requires_grad=False")
        case .leaf: return
        case .result(let node): if node.retained == nil { node.retained = GradLeaf() }
        }
    }

    /// `tensor.retains_grad`: whether it is a result that keeps its gradient.
    public var retainsGrad: Bool {
        if case .result(let node) = gradHistory { return node.retained != nil }
        return false
    }

    /// `tensor.grad = value` (`None` clears it): the value must have this tensor's shape and a floating type.
    public func setGrad(_ value: Tensor?) throws {
        if let value, value.shape != shape {
            throw TensorError("attempting to assign a gradient of size '\(pythonList(value.shape))' to a tensor of size '\(pythonList(shape))'. Please ensure that the gradient and the tensor are the same size")
        }
        if let value, value.dtype != dtype {
            throw TensorError("attempting to assign a gradient with dtype '\(value.dtype.cTypeName)' to a tensor with grad_dtype '\(dtype.scalarTypeName)'. The gradient must match the tensor's grad_dtype (defaults to the tensor's dtype). You can set the tensor's grad_dtype attribute with a specific dtype, or None to allow any dtype. Set grad_dtype with caution. Diverging the dtypes of a tensor and its gradient may break downstream systems that assume they match.")
        }
        switch gradHistory {
        case .leaf(let leaf): leaf.grad = value
        case .result(let node) where node.retained != nil: node.retained?.grad = value
        default: guard value == nil else { throw TensorError("sbpl keeps .grad on leaves that require grad and on results that retain it only") }
        }
    }

    /// `tensor.backward(gradient, retain_graph)`: `gradient` (ones for a one-element result when nil) flows back
    /// to every leaf this tensor was computed from. Without `retainGraph`, the nodes' saved tensors are freed and a
    /// second pass through them raises, as in torch.
    public func backward(gradient: Tensor? = nil, retainGraph: Bool = false) throws {
        guard requiresGrad else {
            throw TensorError("element 0 of tensors does not require grad and does not have a grad_fn")
        }
        let seed: Tensor
        if let gradient {
            guard gradient.shape == shape else {
                throw TensorError("Mismatch in shape: grad_output[0] has a shape of \(TensorShape(gradient.shape)) and output[0] has a shape of \(TensorShape(shape)).")
            }
            seed = gradient.detached()
        } else {
            guard count == 1 else { throw TensorError("grad can be implicitly created only for scalar outputs") }
            seed = Tensor(floats: [1], shape: shape).to(dtype)
        }
        try GradMode.withoutRecording {
            switch gradHistory {
            case .none: break
            case .leaf(let leaf): try leaf.accumulate(seed)
            case .result(let root):
                var pass = BackwardPass(root: root)
                try pass.run(seed: seed, retainGraph: retainGraph)
            }
        }
    }
}

/// One `backward()`: the nodes reachable from the root, each run once every node that feeds it a gradient has run.
private struct BackwardPass {
    let root: GradNode
    /// For each node, how many edges from reachable nodes lead to it.
    private var consumers: [ObjectIdentifier: Int] = [:]

    init(root: GradNode) {
        self.root = root
        var stack = [root], seen: Set<ObjectIdentifier> = [ObjectIdentifier(root)]
        while let node = stack.popLast() {
            for case .node(let input)? in node.inputs {
                consumers[ObjectIdentifier(input), default: 0] += 1
                if seen.insert(ObjectIdentifier(input)).inserted { stack.append(input) }
            }
        }
    }

    mutating func run(seed: Tensor, retainGraph: Bool) throws {
        var pending: [ObjectIdentifier: Tensor] = [ObjectIdentifier(root): seed]
        var ready = [root]
        while let node = ready.popLast() {
            let gradient = pending.removeValue(forKey: ObjectIdentifier(node))
            if let retained = node.retained, let gradient { try retained.accumulate(gradient) }
            let gradients = try gradient.map { try Self.inputGradients(node, $0) }
            if !retainGraph { node.release() }
            for (index, edge) in node.inputs.enumerated() {
                let gradient = gradients?[index]
                switch edge {
                case .none: continue
                case .leaf(let leaf)?: if let gradient { try leaf.accumulate(gradient) }
                case .node(let input)?:
                    let key = ObjectIdentifier(input)
                    if let gradient { pending[key] = try pending[key].map { try $0.combined(.add, gradient) } ?? gradient }
                    consumers[key]! -= 1
                    if consumers[key] == 0 { ready.append(input) }
                }
            }
        }
    }

    /// The node's input gradients from its result's, one per input.
    private static func inputGradients(_ node: GradNode, _ gradient: Tensor) throws -> [Tensor?] {
        guard !node.isReleased else {
            throw TensorError("Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved tensors after calling backward.")
        }
        guard let derivative = node.derivative else {
            throw TensorError("sbpl cannot differentiate \(node.function.name) yet: backward() reached an operation whose derivative it does not have", kind: .notImplementedError)
        }
        try derivative.checkSavedVersions(of: node.function)
        let gradients = try derivative.gradients(gradient)
        precondition(gradients.count == node.inputs.count, "a derivative gives one gradient per input")
        return gradients
    }
}

extension GradLeaf {
    /// Adds `gradient` into `.grad`: the first is kept as a tensor of its own, later ones are added in place (so a
    /// `.grad` read earlier sees them, as in torch).
    func accumulate(_ gradient: Tensor) throws {
        guard let grad else {
            self.grad = gradient.copy()
            return
        }
        try grad.update(with: try grad.combined(.add, gradient))
    }
}
