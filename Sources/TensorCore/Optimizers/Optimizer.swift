/// A `torch.optim` optimizer over a list of parameters: `step(rule:)` updates, in place, each parameter that has a
/// gradient by an `UpdateRule` (made from the settings at that step), keeping that parameter's state (moments,
/// momentum) between steps.
public final class Optimizer: @unchecked Sendable {
    /// The parameters, in the order given (copies of the model's tensors: they share its storage and `.grad`).
    public let parameters: [Tensor]
    private let states: [UpdateState]

    /// An optimizer of `parameters`, which must be float32 leaves (a model's parameters; one that does not require
    /// grad never gets a gradient to step with).
    public init(_ parameters: [Tensor]) throws {
        guard !parameters.isEmpty else { throw TensorError("optimizer got an empty parameter list", kind: .valueError) }
        for parameter in parameters {
            guard parameter.isLeaf else { throw TensorError("can't optimize a non-leaf Tensor", kind: .valueError) }
            guard parameter.dtype == .float32, parameter.isContiguous else {
                throw TensorError("sbpl's optimizers update contiguous float32 parameters, not \(parameter.dtype.torchName)", kind: .notImplementedError)
            }
        }
        self.parameters = parameters
        states = parameters.map { UpdateState(count: $0.count) }
    }

    /// `optimizer.step()`: each parameter with a `.grad` updated in place by `rule`; the others left as they are.
    public func step(rule: any UpdateRule) {
        for (parameter, state) in zip(parameters, states) {
            guard let gradient = parameter.grad else { continue }
            let values = parameter.storage.floats(parameter.offset)
            state.step += 1
            rule.update(UnsafeMutableBufferPointer(start: values, count: parameter.count),
                        gradient: gradient.to(.float32).contiguous().floats(), state: state)
            parameter.storage.touch()  // a layer packed from the old values packs again
        }
    }

    /// `optimizer.zero_grad(set_to_none)`: every parameter's `.grad` cleared (None), or filled with zeros.
    public func zeroGradients(setToNone: Bool = true) throws {
        try Optimizer.zeroGradients(of: parameters, setToNone: setToNone)
    }

    /// `zero_grad` of any parameters (a model's, an optimizer's).
    public static func zeroGradients(of parameters: [Tensor], setToNone: Bool) throws {
        for parameter in parameters {
            if setToNone { try parameter.setGrad(nil) } else { try parameter.grad?.fill(.int(0)) }
        }
    }
}

/// One parameter's state between steps, as `optimizer.state[p]` holds it.
public final class UpdateState: @unchecked Sendable {
    /// How many steps have updated the parameter.
    public internal(set) var step = 0
    /// Per element: the first moment (Adam) or the momentum buffer (SGD).
    var first: [Float]
    /// Per element: the second moment (Adam).
    var second: [Float]
    /// Whether `first` holds a value yet (SGD's momentum buffer starts as the first gradient).
    var started = false

    init(count: Int) {
        first = [Float](repeating: 0, count: count)
        second = [Float](repeating: 0, count: count)
    }
}

/// How one parameter's gradient becomes its update; the arithmetic is float32, in the order torch's kernels do it.
public protocol UpdateRule: Sendable {
    /// Updates `values` in place from `gradient`, with the parameter's `state` (whose `step` is already counted).
    func update(_ values: UnsafeMutableBufferPointer<Float>, gradient: [Float], state: UpdateState)
}
