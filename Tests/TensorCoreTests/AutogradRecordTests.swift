import Foundation
import TensorCore
import Testing

/// What operations record for autograd (the names themselves are pinned against PyTorch by LanguageTests'
/// autograd.jsonl): only when grad mode is on and an input requires grad, and grad mode is per thread.
@Suite struct AutogradRecordTests {
    let constant = Tensor(floats: [1, -2], shape: [2])

    @Test func anOperationRecordsOnlyWhenAnInputRequiresGrad() throws {
        let leaf = try constant.requiringGrad()
        #expect(try constant.combined(.add, constant).requiresGrad == false)
        #expect(try leaf.combined(.add, constant).gradFunction == .add)
        #expect(try constant.combined(.mul, leaf).gradFunction == .mul)
        #expect(try leaf.argmax().requiresGrad == false)
        #expect(leaf.isLeaf && leaf.requiresGrad && leaf.gradFunction == nil)
        #expect(leaf.detached().requiresGrad == false)
    }

    @Test func onlyFloatingPointTensorsCanRequireGrad() {
        #expect(throws: TensorError("Only Tensors of floating point and complex dtype can require gradients")) {
            try Tensor(ints: [1, 2], shape: [2]).requiringGrad()
        }
    }

    @Test func gradModeOffStopsRecordingOnThisThreadOnly() throws {
        let leaf = try constant.requiringGrad()
        GradMode.isEnabled = false
        defer { GradMode.isEnabled = true }
        #expect(try leaf.combined(.add, leaf).requiresGrad == false)
        let enabledElsewhere = LockedFlag()
        let thread = Thread { enabledElsewhere.set(GradMode.isEnabled) }
        thread.start()
        enabledElsewhere.wait()
        #expect(enabledElsewhere.value == true)
    }

    @Test func parametersPrintAsTorchPrintsThem() throws {
        #expect(try constant.asParameter().description == "Parameter containing:\ntensor([ 1., -2.], requires_grad=True)")
        #expect(try constant.requiringGrad().sum().description == "tensor(-1., grad_fn=<SumBackward0>)")
    }
}

/// A Bool set once by another thread.
private final class LockedFlag: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private(set) var value: Bool?

    func set(_ value: Bool) {
        self.value = value
        done.signal()
    }

    func wait() { done.wait() }
}
