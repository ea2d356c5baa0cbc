import TensorCore

/// `torch.ao.quantization.quantize_dynamic(model, {nn.Linear}, dtype=torch.qint8)`.
extension LoadedModel {
    /// Whether `quantize_dynamic` made this model (its linear layers are `DynamicQuantizedLinear`).
    public var isDynamicallyQuantized: Bool { model.firstModule { ($0 as? Linear)?.quantized != nil } != nil }

    /// A copy of this model whose linear layers are dynamically quantized as PyTorch's are: int8 weights per
    /// tensor, activations quantized on each call; the other modules share this model's tensors. The copy is in eval
    /// mode, as `quantize_dynamic` puts it. A model already quantized is returned as it is (torch leaves its quantized
    /// layers alone).
    public func dynamicallyQuantized() throws -> LoadedModel {
        if isDynamicallyQuantized { return self }
        guard QuantizedWeight.isAvailable else {
            throw ModelError("quantize_dynamic needs a CPU with AVX2 for sbpl's int8 kernels; this one has none")
        }
        let weights = Weights(state: moduleTree.stateDict, description: "\(className) (quantize_dynamic)")
        weights.dtype = dtype  // the other modules keep their type: a bfloat16 model's int8 layers then refuse their inputs, as torch's
        let quantized = try Linear.$quantizing.withValue(true) { try modelClass.build(weights, config) }
        return LoadedModel(modelClass: modelClass, architecture: architecture, config: config, checkpoint: checkpoint,
                           model: quantized, generationConfig: generationConfig, mode: TrainingMode(quantized, training: false))
    }
}
