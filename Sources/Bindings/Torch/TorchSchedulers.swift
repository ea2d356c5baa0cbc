import Language
import TensorCore

/// transformers' `get_scheduler` and `get_linear_schedule_with_warmup` (and the other `get_..._schedule...`
/// functions): torch's `LambdaLR` over an optimizer, its factor a `LearningRateSchedule`.
enum TorchSchedulers {
    /// The names transformers' `SchedulerType` lists, for its error.
    private static let typeNames = ["linear", "cosine", "cosine_with_restarts", "polynomial", "constant", "constant_with_warmup",
                                    "inverse_sqrt", "reduce_lr_on_plateau", "cosine_with_min_lr", "warmup_stable_decay"]

    /// The transformers functions that make schedulers.
    static var functions: [String: Value] {
        var functions = ["get_scheduler": builtin("get_scheduler", getScheduler)]
        for kind in LearningRateSchedule.Kind.allCases {
            let name = "get_\(kind.rawValue)_schedule" + (kind == .constant || kind == .constantWithWarmup ? "" : "_with_warmup")
            functions[name] = builtin(name) { arguments in
                let a = try arguments.bind(name, ["optimizer"] + (kind.needsWarmup ? ["num_warmup_steps"] : [])
                                           + (kind.needsTraining ? ["num_training_steps"] : []), required: 1 + (kind.needsWarmup ? 1 : 0) + (kind.needsTraining ? 1 : 0))
                return try make(kind, a[0]!, warmup: a.count > 1 ? a[1] : nil, training: a.count > 2 ? a[2] : nil)
            }
        }
        return functions
    }

    /// `get_scheduler(name, optimizer, num_warmup_steps=None, num_training_steps=None)`.
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
        return try make(kind, a[1]!, warmup: a[2], training: a[3])
    }

    private static func make(_ kind: LearningRateSchedule.Kind, _ optimizer: Value, warmup: Value?, training: Value?) throws -> Value {
        guard case .object(let optimizer as OptimizerObject) = optimizer else {
            throw PyError.type("\(optimizer.typeName) is not an Optimizer")
        }
        let schedule = LearningRateSchedule(kind, warmupSteps: try warmup.given?.asInt("num_warmup_steps") ?? 0,
                                            trainingSteps: try training.given?.asInt("num_training_steps") ?? 0)
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
                return .list(PyList([try optimizer.group.value("lr")]))
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
        try optimizer.group.dict.set(.str("lr"), .float(baseLR * schedule.factor(at: lastEpoch)))
    }
}
