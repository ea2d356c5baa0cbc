import Foundation

/// `torch.optim.SGD(params, lr, momentum, dampening, weight_decay, nesterov, maximize)`, as its single-tensor
/// path runs on the CPU.
public struct SGD: UpdateRule {
    public var lr = 1e-3, momentum = 0.0, dampening = 0.0, weightDecay = 0.0
    public var nesterov = false, maximize = false

    public init() {}

    public func update(_ values: UnsafeMutableBufferPointer<Float>, gradient: [Float], state: UpdateState) {
        let (decay, mu, keep, rate) = (Float(weightDecay), Float(momentum), Float(1 - dampening), Float(-lr))
        // torch's `add_(other, alpha)` is one fused multiply-add (`vec::fmadd`) on the CPU
        for i in values.indices {
            var d = maximize ? -gradient[i] : gradient[i]
            if weightDecay != 0 { d = d.addingProduct(decay, values[i]) }
            if momentum != 0 {
                state.first[i] = state.started ? (state.first[i] * mu).addingProduct(keep, d) : d
                d = nesterov ? d.addingProduct(mu, state.first[i]) : state.first[i]
            }
            values[i] = values[i].addingProduct(rate, d)
        }
        if momentum != 0 { state.started = true }
    }
}

/// `torch.optim.Adam` and `AdamW` (`decoupled`: the weight decay scales the parameter, not the gradient), as
/// `_single_tensor_adam` runs them on the CPU.
public struct Adam: UpdateRule {
    public var lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weightDecay = 0.0
    public var decoupled = false, maximize = false

    public init() {}

    public func update(_ values: UnsafeMutableBufferPointer<Float>, gradient: [Float], state: UpdateState) {
        let step = Double(state.step)
        let stepSize = Float(-(lr / (1 - Foundation.pow(beta1, step))))
        let correction2 = Float((1 - Foundation.pow(beta2, step)).squareRoot())
        let (shrink, decay, weight, b2, rest2) = (Float(1 - lr * weightDecay), Float(weightDecay), Float(1 - beta1), Float(beta2), Float(1 - beta2))
        // fused where torch's CPU kernels fuse: `add(alpha=)`, `lerp_` and `addcmul_` (`fma(value * t1, t2, self)`);
        // `addcdiv_` is `self + (value * t1) / t2`
        for i in values.indices {
            var g = maximize ? -gradient[i] : gradient[i]
            if weightDecay != 0 {
                if decoupled { values[i] = values[i] * shrink } else { g = g.addingProduct(decay, values[i]) }
            }
            let difference = g - state.first[i]
            state.first[i] = weight < 0.5 ? state.first[i].addingProduct(weight, difference) : g.addingProduct(weight - 1, difference)
            state.second[i] = (state.second[i] * b2).addingProduct(rest2 * g, g)
            let denominator = state.second[i].squareRoot() / correction2 + Float(eps)
            values[i] = values[i] + (stepSize * state.first[i]) / denominator
        }
    }
}

/// transformers' own (deprecated) `AdamW(params, lr, betas, eps, weight_decay, correct_bias)`, whose steps differ
/// from torch's: eps added before the bias correction, which scales the step, and the weight decay applied last.
public struct TransformersAdamW: UpdateRule {
    public var lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-6, weightDecay = 0.0
    public var correctBias = true

    public init() {}

    public func update(_ values: UnsafeMutableBufferPointer<Float>, gradient: [Float], state: UpdateState) {
        let step = Double(state.step)
        let size = correctBias ? lr * (1 - Foundation.pow(beta2, step)).squareRoot() / (1 - Foundation.pow(beta1, step)) : lr
        let (b1, rest1, b2, rest2) = (Float(beta1), Float(1 - beta1), Float(beta2), Float(1 - beta2))
        let (stepSize, decay) = (Float(-size), Float(-lr * weightDecay))
        for i in values.indices {  // fused as torch's `add_(alpha=)` and `addcmul_`; `addcdiv_` as in Adam
            let g = gradient[i]
            state.first[i] = (state.first[i] * b1).addingProduct(rest1, g)
            state.second[i] = (state.second[i] * b2).addingProduct(rest2 * g, g)
            values[i] = values[i] + (stepSize * state.first[i]) / (state.second[i].squareRoot() + Float(eps))
            if weightDecay > 0 { values[i] = values[i].addingProduct(decay, values[i]) }
        }
    }
}
