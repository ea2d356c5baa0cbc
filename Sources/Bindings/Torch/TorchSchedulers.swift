import Language
import TensorCore

/// transformers' `get_scheduler` and `get_linear_schedule_with_warmup` (and the other `get_..._schedule...`
/// functions): torch's `LambdaLR` over an optimizer, its factor a `LearningRateSchedule`.
enum TorchSchedulers {
    /// The names transformers' `SchedulerType` lists, for its error.
    private static let typeNames = ["linear", "cosine", "cosine_with_restarts", "polynomial", "constant", "constant_with_warmup",
                                    "inverse_sqrt", "reduce_lr_on_plateau", "cosine_with_min_lr", "warmup_stable_decay"]

    /// The transformers functions that make schedulers: `get_scheduler` and one per schedule, with its own
    /// parameters (`get_cosine_schedule_with_warmup(optimizer, num_warmup_steps, num_training_steps, num_cycles=0.5)`).
    static var functions: [String: Value] {
        var functions = ["get_scheduler": builtin("get_scheduler", getScheduler)]
        for kind in LearningRateSchedule.Kind.allCases {
            let name = kind == .constantWithWarmup ? "get_constant_schedule_with_warmup"
                : "get_\(kind.rawValue)_schedule" + (kind == .constant ? "" : "_with_warmup")
            let steps = (kind.needsWarmup ? ["num_warmup_steps"] : []) + (kind.needsTraining ? ["num_training_steps"] : [])
            functions[name] = builtin(name) { arguments in
                let a = try arguments.bind(name, ["optimizer"] + steps + (kind == .cosine ? ["num_cycles"] : []) + ["last_epoch"],
                                           required: 1 + steps.count)
                var settings = [String: Value]()
                for (index, parameter) in steps.enumerated() { settings[parameter] = a[1 + index] }
                if kind == .cosine { settings["num_cycles"] = a[1 + steps.count] }
                try checkLastEpoch(a.last!)
                return try make(kind, a[0]!, settings)
            }
        }
        return functions
    }

    /// `get_scheduler(name, optimizer, num_warmup_steps=None, num_training_steps=None, scheduler_specific_kwargs=None)`.
    private static func getScheduler(_ arguments: Arguments) throws -> Value {
        let a = try arguments.bind("get_scheduler", ["name", "optimizer", "num_warmup_steps", "num_training_steps", "scheduler_specific_kwargs"], required: 2)
        let name = try a[0]!.asString("name")
        guard let kind = LearningRateSchedule.Kind(rawValue: name) else {
            guard typeNames.contains(name) else {
                throw PyError(.valueError, "\(name) is not a valid SchedulerType, please select one of \(Value.list(PyList(typeNames.map(Value.str))).repr)")
            }
            throw PyError.notImplemented("the \(name) schedule (sbpl has \(LearningRateSchedule.Kind.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        let title = "SchedulerType.\(name.uppercased())"
        if kind.needsWarmup, a[2].given == nil { throw PyError(.valueError, "\(title) requires `num_warmup_steps`, please provide that argument.") }
        if kind.needsTraining, a[3].given == nil { throw PyError(.valueError, "\(title) requires `num_training_steps`, please provide that argument.") }
        var settings = ["num_warmup_steps": a[2], "num_training_steps": a[3]].compactMapValues { $0 }
        if case .dict(let extra)? = a[4].given {
            for (key, value) in extra.items {
                guard case .str(let key) = key, kind == .cosine && key == "num_cycles" else {
                    throw PyError.type("get_\(name)_schedule_with_warmup() got an unexpected keyword argument '\(key.repr)'")
                }
                settings[key] = value
            }
        }
        return try make(kind, a[1]!, settings)
    }

    /// `last_epoch=-1` (a fresh schedule) is what sbpl makes; resuming one at another step is not there yet.
    private static func checkLastEpoch(_ value: Value?) throws {
        if let value = value.given, try value.asInt("last_epoch") != -1 { throw PyError.notImplemented("a schedule resumed at last_epoch=\(value.repr)") }
    }

    private static func make(_ kind: LearningRateSchedule.Kind, _ optimizer: Value, _ settings: [String: Value]) throws -> Value {
        guard case .object(let optimizer as OptimizerObject) = optimizer else {
            throw PyError.type("\(optimizer.typeName) is not an Optimizer")
        }
        func number(_ key: String, _ otherwise: Double) throws -> Double { try settings[key].given?.asDouble(key) ?? otherwise }
        let schedule = LearningRateSchedule(kind, warmupSteps: try number("num_warmup_steps", 0), trainingSteps: try number("num_training_steps", 0),
                                            cycles: try number("num_cycles", 0.5))
        return .object(try SchedulerObject(optimizer, schedule))
    }
}

/// torch's `LambdaLR` as transformers makes it: at each `step()`, the group's `lr` is its `initial_lr` times the
/// schedule's factor at the new step (step 0 is taken when it is made).
final class SchedulerObject: PyObject {
    private let optimizer: OptimizerObject
    private let schedule: LearningRateSchedule
    private let baseLR: Double
    private var lastEpoch = -1
    /// The learning rate the last step set (`get_last_lr()`), whatever the group holds since.
    private var lastLR = Value.none

    init(_ optimizer: OptimizerObject, _ schedule: LearningRateSchedule) throws {
        (self.optimizer, self.schedule) = (optimizer, schedule)
        let group = optimizer.group.dict
        if try group.get(.str("initial_lr")) == nil { try group.set(.str("initial_lr"), try optimizer.group.value("lr")) }
        baseLR = try optimizer.group.double("initial_lr")
        try step()
    }

    var typeName: String { "LambdaLR" }
    var qualifiedTypeName: String? { "torch.optim.lr_scheduler.LambdaLR" }
    var repr: String { "<torch.optim.lr_scheduler.LambdaLR object at \(objectAddress(self))>" }
    var attributeNames: [String] { ["get_last_lr", "last_epoch", "optimizer", "step"] }

    func attribute(_ name: String, _ interpreter: Interpreter) throws -> Value? {
        switch name {
        case "last_epoch": return .int(lastEpoch)
        case "optimizer": return .object(optimizer)
        case "get_last_lr":
            return builtin("get_last_lr") { [self] arguments in
                try arguments.expectNone("get_last_lr")
                return .list(PyList([lastLR]))
            }
        case "step":
            return builtin("step") { [self] arguments in
                if try arguments.bind("step", ["epoch"])[0].given != nil { throw PyError.notImplemented("step(epoch) (deprecated in torch: call step())") }
                try step()
                return .none
            }
        default: return nil
        }
    }

    private func step() throws {
        lastEpoch += 1
        lastLR = .float(baseLR * schedule.factor(at: lastEpoch))
        try optimizer.group.dict.set(.str("lr"), lastLR)
    }
}
