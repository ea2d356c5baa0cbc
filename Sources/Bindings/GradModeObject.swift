import Language
import TensorCore

/// `torch.no_grad()`, `torch.enable_grad()`, `torch.inference_mode()` and `torch.set_grad_enabled(mode)`: whether
/// operations record their `grad_fn`, set for a `with` block and restored when it ends, however it ends. As a
/// decorator (`@torch.no_grad()`, or `@torch.no_grad`), each call of the function runs in that mode.
final class GradModeObject: ContextManager, CallableObject {
    /// torch's class for each.
    enum Kind: String {
        case noGrad = "no_grad", enableGrad = "enable_grad", inferenceMode = "inference_mode"
        case setGradEnabled = "set_grad_enabled"
    }

    let kind: Kind
    /// The mode inside the block.
    private let enabled: Bool
    /// The modes to restore, one per `with` entered (an object can be entered again).
    private var saved = [Bool]()

    /// `set_grad_enabled(mode)` sets the mode at once (it is also a plain function); the others on `with`.
    init(_ kind: Kind, enabled: Bool) {
        self.kind = kind
        self.enabled = enabled
        if kind == .setGradEnabled { switchMode() }
    }

    /// `torch.no_grad()`, or `torch.no_grad(function)`: the function decorated.
    static func made(_ kind: Kind, enabled: Bool, _ arguments: Arguments) throws -> Value {
        let mode = GradModeObject(kind, enabled: enabled)
        guard let function = try arguments.bind(kind.rawValue, ["orig_func"])[0] else { return .object(mode) }
        return mode.decorating(function)
    }

    /// `@mode` on `function`: a function that calls it inside the mode.
    func call(_ arguments: Arguments, _ interpreter: Interpreter) throws -> Value? {
        decorating(try arguments.bind(kind.rawValue, ["func"], required: 1)[0]!)
    }

    private func decorating(_ function: Value) -> Value {
        .object(BuiltinFunction(kind.rawValue, calling: { [self] arguments, interpreter in
            _ = try enter()
            defer { exit() }
            return try interpreter.call(function, arguments)
        }))
    }

    var typeName: String { kind.rawValue }
    var qualifiedTypeName: String? { "torch.autograd.grad_mode.\(kind.rawValue)" }
    var repr: String { "<torch.autograd.grad_mode.\(kind.rawValue) object at \(objectAddress(self))>" }

    func enter() throws -> Value {
        if kind != .setGradEnabled { switchMode() }
        return .none
    }

    func exit() {
        if let previous = saved.popLast() { GradMode.isEnabled = previous }
    }

    private func switchMode() {
        saved.append(GradMode.isEnabled)
        GradMode.isEnabled = enabled
    }
}
