import Foundation

/// transformers' learning-rate schedules (`get_scheduler(name, optimizer, num_warmup_steps, num_training_steps)`):
/// the factor of the initial learning rate at each step, as its `_get_..._lr_lambda` functions compute it in double.
public struct LearningRateSchedule: Sendable {
    /// The schedules sbpl has, by transformers' `SchedulerType` names.
    public enum Kind: String, CaseIterable, Sendable {
        case linear, cosine, constant
        case constantWithWarmup = "constant_with_warmup"

        /// Whether the schedule needs `num_warmup_steps` and `num_training_steps`.
        public var needsWarmup: Bool { self != .constant }
        public var needsTraining: Bool { self == .linear || self == .cosine }
    }

    public let kind: Kind
    /// Steps, as numbers: transformers takes floats too (`0.1 * total`).
    public let warmupSteps: Double
    public let trainingSteps: Double
    /// The cosine's number of waves over the training (0.5: from the peak down to zero).
    public let cycles: Double

    public init(_ kind: Kind, warmupSteps: Double = 0, trainingSteps: Double = 0, cycles: Double = 0.5) {
        (self.kind, self.warmupSteps, self.trainingSteps, self.cycles) = (kind, warmupSteps, trainingSteps, cycles)
    }

    /// The factor at `step` (the scheduler's `last_epoch`).
    public func factor(at step: Int) -> Double {
        let step = Double(step)
        if kind == .constant { return 1 }
        if step < warmupSteps { return step / Swift.max(1, warmupSteps) }
        switch kind {
        case .constant, .constantWithWarmup: return 1
        case .linear: return Swift.max(0, (trainingSteps - step) / Swift.max(1, trainingSteps - warmupSteps))
        case .cosine:
            let progress = (step - warmupSteps) / Swift.max(1, trainingSteps - warmupSteps)
            return Swift.max(0, 0.5 * (1 + Foundation.cos(Double.pi * cycles * 2 * progress)))
        }
    }
}
