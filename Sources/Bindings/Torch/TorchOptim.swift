import Language
import Logging
import TensorCore

/// `torch.optim`: SGD, Adam and AdamW over a model's `parameters()`; transformers' deprecated `AdamW` is declared
/// here too. Each class is one `OptimizerClass` line: its settings as its constructor declares them.
extension TorchModule {
    static func makeOptim() -> PythonModule {
        PythonModule("torch.optim", Dictionary(uniqueKeysWithValues: [OptimizerClass.sgd, .adam, .adamW].map {
            ($0.name, $0.constructor)
        }))
    }
}

/// One optimizer class: its settings after `params` with their defaults, in the constructor's order; the fixed
/// entries its parameter group also shows; and the update rule a group's settings make.
struct OptimizerClass {
    let name: String
    let module: String
    let settings: [(name: String, value: Value)]
    var fixed: [(name: String, value: Value)] = []
    /// The settings that only have their default in sbpl (`amsgrad=True` is not there yet).
    var unsupported: Set<String> = []
    /// The FutureWarning a deprecated class gives unless made with `no_deprecation_warning=True`.
    var deprecation: String?
    /// The constructor's checks of the settings, with its ValueErrors.
    var check: (ParameterGroup) throws -> Void = { _ in }
    let rule: (ParameterGroup) throws -> any UpdateRule

    static var sgd: OptimizerClass {
        OptimizerClass(name: "SGD", module: "torch.optim.sgd",
                       settings: [("lr", .float(1e-3)), ("momentum", .int(0)), ("dampening", .int(0)), ("weight_decay", .int(0)),
                                  ("nesterov", .bool(false)), ("maximize", .bool(false)), ("foreach", .none),
                                  ("differentiable", .bool(false)), ("fused", .none)],
                       unsupported: ["differentiable", "fused"], check: { group in
            try group.require("lr", atLeast: 0, "Invalid learning rate: ")
            try group.require("momentum", atLeast: 0, "Invalid momentum value: ")
            try group.require("weight_decay", atLeast: 0, "Invalid weight_decay value: ")
            if try group.bool("nesterov"), try group.double("momentum") <= 0 || group.double("dampening") != 0 {
                throw PyError(.valueError, "Nesterov momentum requires a momentum and zero dampening")
            }
        }) { group in
            var rule = SGD()
            (rule.lr, rule.momentum, rule.dampening) = (try group.double("lr"), try group.double("momentum"), try group.double("dampening"))
            (rule.weightDecay, rule.nesterov, rule.maximize) = (try group.double("weight_decay"), try group.bool("nesterov"), try group.bool("maximize"))
            return rule
        }
    }

    static var adam: OptimizerClass { adamFamily("Adam", module: "torch.optim.adam", weightDecay: .int(0), decoupled: false) }
    static var adamW: OptimizerClass { adamFamily("AdamW", module: "torch.optim.adamw", weightDecay: .float(0.01), decoupled: true) }

    private static func adamFamily(_ name: String, module: String, weightDecay: Value, decoupled: Bool) -> OptimizerClass {
        OptimizerClass(name: name, module: module,
                       settings: [("lr", .float(1e-3)), ("betas", .tuple([.float(0.9), .float(0.999)])), ("eps", .float(1e-8)),
                                  ("weight_decay", weightDecay), ("amsgrad", .bool(false)), ("foreach", .none),
                                  ("maximize", .bool(false)), ("capturable", .bool(false)), ("differentiable", .bool(false)),
                                  ("fused", .none)],
                       fixed: [("decoupled_weight_decay", .bool(decoupled))],
                       unsupported: ["amsgrad", "capturable", "differentiable", "fused"], check: { group in
            try group.require("lr", atLeast: 0, "Invalid learning rate: ")
            try group.require("eps", atLeast: 0, "Invalid epsilon value: ")
            for (index, beta) in try group.betaValues().enumerated() where try !(0..<1).contains(beta.asDouble("beta")) {
                throw PyError(.valueError, "Invalid beta parameter at index \(index): \(beta.str)")
            }
            try group.require("weight_decay", atLeast: 0, "Invalid weight_decay value: ")
        }) { group in
            var rule = Adam()
            (rule.lr, rule.eps, rule.weightDecay) = (try group.double("lr"), try group.double("eps"), try group.double("weight_decay"))
            (rule.beta1, rule.beta2) = try group.betas()
            (rule.decoupled, rule.maximize) = (decoupled, try group.bool("maximize"))
            return rule
        }
    }

    /// transformers' `AdamW` (deprecated in favour of torch's, and saying so).
    static var transformersAdamW: OptimizerClass {
        OptimizerClass(name: "AdamW", module: "transformers.optimization",
                       settings: [("lr", .float(1e-3)), ("betas", .tuple([.float(0.9), .float(0.999)])), ("eps", .float(1e-6)),
                                  ("weight_decay", .float(0)), ("correct_bias", .bool(true))],
                       deprecation: "FutureWarning: This implementation of AdamW is deprecated and will be removed in a future version. Use the PyTorch implementation torch.optim.AdamW instead, or set `no_deprecation_warning=True` to disable this warning",
                       check: { group in
            try group.require("lr", atLeast: 0, "Invalid learning rate: ", " - should be >= 0.0")
            for beta in try group.betaValues() where try !(0..<1).contains(beta.asDouble("beta")) {
                throw PyError(.valueError, "Invalid beta parameter: \(beta.str) - should be in [0.0, 1.0)")
            }
            try group.require("eps", atLeast: 0, "Invalid epsilon value: ", " - should be >= 0.0")
        }) { group in
            var rule = TransformersAdamW()
            (rule.lr, rule.eps, rule.weightDecay) = (try group.double("lr"), try group.double("eps"), try group.double("weight_decay"))
            (rule.beta1, rule.beta2) = try group.betas()
            rule.correctBias = try group.bool("correct_bias")
            return rule
        }
    }

    private static let warnings = Logger(label: "py.warnings")

    /// The class: `AdamW(model.parameters(), lr=5e-5)` makes one.
    var constructor: Value {
        .object(TypeObject(name, qualified: "\(module).\(name)") { arguments in try self.make(arguments) })
    }

    private func make(_ arguments: Arguments) throws -> Value {
        let parameterNames = ["params"] + settings.map(\.name) + (deprecation == nil ? [] : ["no_deprecation_warning"])
        let bound = try arguments.bind(name, parameterNames, required: 1)
        if let deprecation, try bound[settings.count + 1]?.isTruthy() != true, WarningFilters.shows(.futureWarning) {
            Self.warnings.warning("\(deprecation)")
        }
        if case .tensor(let tensor) = bound[0]! {
            throw PyError.type("params argument given to the optimizer should be an iterable of Tensors or dicts, but got \(tensor.dtype.legacyTypeName)")
        }
        let parameters = try Iteration.materialize(bound[0]!)
        if case .dict? = parameters.first {
            throw PyError.notImplemented("parameter groups (a list of dicts) in \(name) (give the parameters as one list)")
        }
        var entries: [(name: String, value: Value)] = []
        for (index, setting) in settings.enumerated() {
            let value = bound[index + 1] ?? setting.value
            if unsupported.contains(setting.name), try value.isTruthy() {
                throw PyError.notImplemented("\(name)(\(setting.name)=\(value.repr))")
            }
            entries.append((setting.name, value))
        }
        let tensors = try parameters.map { try $0.asTensor("\(name) parameter") }
        let group = ParameterGroup(tensors, settings: entries + fixed)
        try check(group)
        _ = try rule(group)  // checks the settings' types now, as torch's constructor does
        return .object(OptimizerObject(self, try Optimizer(tensors), group: group))
    }
}

/// An optimizer's one parameter group, `optimizer.param_groups[0]`: a dict a program can change (a scheduler
/// sets its `lr`), read again at every step.
final class ParameterGroup {
    let dict: PyDict

    init(_ parameters: [Tensor], settings: [(name: String, value: Value)]) {
        dict = PyDict()
        try? dict.set(.str("params"), .list(PyList(parameters.map(Value.tensor))))
        for (name, value) in settings { try? dict.set(.str(name), value) }
    }

    /// The settings as `print(optimizer)` lists them: by name, without the parameters.
    var listed: [(name: String, value: Value)] {
        dict.items.compactMap { key, value in
            guard case .str(let name) = key, name != "params" else { return nil }
            return (name, value)
        }.sorted { $0.name < $1.name }
    }

    func value(_ name: String) throws -> Value {
        guard let value = try dict.get(.str(name)) else { throw PyError(.keyError, "'\(name)'") }
        return value
    }

    func double(_ name: String) throws -> Double { try value(name).asDouble(name) }

    func bool(_ name: String) throws -> Bool { try value(name).isTruthy() }

    /// The constructor's ValueError `message` + the value (+ `suffix`) when setting `name` is below `minimum`.
    func require(_ name: String, atLeast minimum: Double, _ message: String, _ suffix: String = "") throws {
        let setting = try value(name)
        if try setting.asDouble(name) < minimum { throw PyError(.valueError, message + setting.str + suffix) }
    }

    func betas() throws -> (Double, Double) {
        let pair = try betaValues()
        return (try pair[0].asDouble("betas[0]"), try pair[1].asDouble("betas[1]"))
    }

    /// The two `betas` as given.
    func betaValues() throws -> [Value] {
        let pair = try Iteration.materialize(try value("betas"))
        guard pair.count == 2 else { throw PyError(.valueError, "betas must be a pair of floats, got \(try value("betas").repr)") }
        return pair
    }
}

/// An optimizer as Python sees it: `step()`, `zero_grad()`, `param_groups`, and torch's repr.
final class OptimizerObject: PyObject {
    let optimizerClass: OptimizerClass
    let optimizer: Optimizer
    let group: ParameterGroup

    init(_ optimizerClass: OptimizerClass, _ optimizer: Optimizer, group: ParameterGroup) {
        (self.optimizerClass, self.optimizer, self.group) = (optimizerClass, optimizer, group)
    }

    var typeName: String { optimizerClass.name }
    var qualifiedTypeName: String? { "\(optimizerClass.module).\(optimizerClass.name)" }
    var repr: String {
        "\(optimizerClass.name) (\nParameter Group 0\n" + group.listed.map { "    \($0.name): \($0.value.repr)\n" }.joined() + ")"
    }
    var attributeNames: [String] { ["param_groups", "step", "zero_grad"] }

    func attribute(_ name: String, _ interpreter: Interpreter) throws -> Value? {
        switch name {
        case "param_groups": return .list(PyList([.dict(group.dict)]))
        case "step":
            return builtin("step") { [self] arguments in
                if try arguments.bind("step", ["closure"])[0].given != nil {
                    throw PyError.notImplemented("step(closure) (call the closure, then step())")
                }
                optimizer.step(rule: try optimizerClass.rule(group))
                return .none
            }
        case "zero_grad":
            return builtin("zero_grad") { [self] arguments in
                try optimizer.zeroGradients(setToNone: try arguments.bind("zero_grad", ["set_to_none"])[0]?.isTruthy() ?? true)
                return .none
            }
        default: return nil
        }
    }
}
