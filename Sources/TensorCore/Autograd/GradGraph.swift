import Foundation

/// Where a tensor stands in autograd's graph, as torch records it.
public enum GradHistory: Sendable {
    /// `requires_grad=False`: a constant to autograd.
    case none
    /// A leaf that requires grad: made with `requires_grad=True`, or a parameter. Copies of the tensor share the
    /// leaf, so the gradient `backward()` leaves there is every copy's `.grad`.
    case leaf(GradLeaf)
    /// Made by an operation on tensors that require grad; the node is the tensor's `grad_fn`.
    case result(GradNode)
}

/// A tensor's place in the graph, shared by the copies of one tensor (what torch keeps on the tensor object).
final class GradState: @unchecked Sendable {
    var history: GradHistory

    init(_ history: GradHistory) { self.history = history }
}

/// A leaf's accumulated gradient (`tensor.grad`).
public final class GradLeaf: @unchecked Sendable {
    /// The sum of the gradients `backward()` calls have left, nil before the first (or after `.grad = None`).
    public var grad: Tensor?

    init() {}
}

/// One recorded operation: its torch name, where each input came from, and how the result's gradient becomes
/// the inputs' (`Derivative`), dropped after a `backward()` that does not retain the graph.
public final class GradNode: @unchecked Sendable {
    /// The name torch gives the node (`grad_fn`).
    public let function: GradFunction
    /// Per input of the operation (in its order): the node or leaf it came from; nil for a constant.
    let inputs: [GradEdge?]
    /// The inputs' gradients from the result's; nil when sbpl does not know this derivative.
    private(set) var derivative: Derivative?
    /// Whether a `backward()` has already freed what the derivative keeps.
    private(set) var isReleased = false
    /// Where the gradient of the node's result is kept when the tensor asked to (`retain_grad()`).
    var retained: GradLeaf?

    init(_ function: GradFunction, inputs: [GradEdge?], derivative: Derivative?) {
        self.function = function
        self.inputs = inputs
        self.derivative = derivative
    }

    /// Frees what the derivative keeps (its saved tensors), as `retain_graph=False` does; a node that saved none
    /// can be run again, as in torch.
    func release() {
        guard derivative?.savesTensors ?? false else { return }
        derivative = nil
        isReleased = true
    }
}

/// Where an input of a recorded operation came from.
enum GradEdge {
    case node(GradNode)
    case leaf(GradLeaf)
}

/// How an operation's result gradient becomes its inputs': one gradient per input, nil where an input is a
/// constant or gets none. Computed with grad mode off, from the tensors the closure saved.
public struct Derivative: Sendable {
    /// Whether the formula keeps values of the forward pass (freed after a `backward()`).
    let savesTensors: Bool
    /// The tensors the formula reads, with their storage's version when saved: written in place since, they would
    /// give a wrong gradient, so `backward()` refuses, as torch does.
    private(set) var saved: [SavedVersion]
    let gradients: @Sendable (Tensor) throws -> [Tensor?]

    /// A derivative from its formula; `saving` tells whether the closure keeps values of the forward pass, `versionsOf`
    /// lists the tensors it reads.
    public init(saving: Bool = true, versionsOf tensors: [Tensor] = [], _ gradients: @escaping @Sendable (Tensor) throws -> [Tensor?]) {
        self.savesTensors = saving
        self.saved = tensors.map(SavedVersion.init)
        self.gradients = gradients
    }

    /// Marks the saved tensors that are the operation's result (kept in `storage`), which torch's error names so.
    mutating func markResult(_ storage: TensorStorage) {
        for index in saved.indices where saved[index].storage === storage { saved[index].isResult = true }
    }

    /// Throws torch's error when a saved tensor was written in place after `function` read it.
    func checkSavedVersions(of function: GradFunction) throws {
        for saved in saved where saved.storage.version != saved.version {
            let operation = function.name.replacingOccurrences(of: #"Backward\d+$"#, with: "", options: .regularExpression)
            let source = saved.isResult ? ", which is output 0 of \(operation)," : ""
            throw TensorError("one of the variables needed for gradient computation has been modified by an inplace operation: [\(saved.dtype.legacyTypeName) \(pythonList(saved.shape))]\(source) is at version \(saved.storage.version); expected version \(saved.version) instead. Hint: enable anomaly detection to find the operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True, check_nan=False).")
        }
    }
}

/// A saved tensor's storage and the version it had then.
struct SavedVersion: @unchecked Sendable {
    let storage: TensorStorage
    let version: Int
    let shape: [Int]
    let dtype: DType
    /// Whether it is the operation's result (not one of its inputs).
    var isResult = false

    init(_ tensor: Tensor) {
        (storage, version, shape, dtype) = (tensor.storage, tensor.storage.version, tensor.shape, tensor.dtype)
    }
}

extension Tensor {
    /// Where operations on this tensor record that their input came from: its node, its leaf, or nowhere.
    var gradEdge: GradEdge? {
        switch gradHistory {
        case .none: return nil
        case .leaf(let leaf): return .leaf(leaf)
        case .result(let node): return .node(node)
        }
    }
}
