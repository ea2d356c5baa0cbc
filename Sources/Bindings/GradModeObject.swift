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
    static func made(_ kind: Kind, enabled: Bool, _ arguments: Arguments, _ interpreter: Interpreter) throws -> Value {
        let mode = GradModeObject(kind, enabled: enabled)
        guard let function = try arguments.bind(kind.rawValue, ["orig_func"])[0] else { return .object(mode) }
        return mode.decorating(function, interpreter)
    }

    /// `@mode` on `function`: a function (a method, in a class) that calls it inside the mode, with its name. A
    /// `set_grad_enabled` object, which switched the mode when made, gives the previous mode back, as torch's does.
    func call(_ arguments: Arguments, _ interpreter: Interpreter) throws -> Value? {
        let function = try arguments.bind(kind.rawValue, ["func"], required: 1)[0]!
        if kind == .setGradEnabled { exit() }
        return decorating(function, interpreter)
    }

    private func decorating(_ function: Value, _ interpreter: Interpreter) -> Value {
        let name = (try? interpreter.attribute(function, "__name__")).flatMap { if case .str(let s) = $0 { s } else { nil } }
        let decorated = BuiltinFunction(name ?? kind.rawValue, calling: { [enabled] arguments, interpreter in
            let previous = GradMode.isEnabled
            GradMode.isEnabled = enabled
            defer { GradMode.isEnabled = previous }
            return try interpreter.call(function, arguments)
        })
        decorated.isMethod = true
        return .object(decorated)
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
