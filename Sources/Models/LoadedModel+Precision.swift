import TensorCore

/// `model.to(torch.bfloat16)`, `model.half()`, `from_pretrained(..., torch_dtype=...)`: a model's parameters in another
/// floating-point type, its forward computed in that type as torch computes it (each operation's result rounded).
extension LoadedModel {
    /// The type of the model's parameters (`model.dtype`): that of its first floating-point one, as transformers says.
    public var dtype: DType {
        model.moduleTree.namedParameters.first { $0.tensor.dtype.isFloatingPoint }?.tensor.dtype ?? .float32
    }

    /// This model with its parameters converted to `dtype` (float32, float16 or bfloat16), its modules in the modes
    /// they are in and its frozen parameters frozen; the model itself when they are of that type already. A new
    /// model: unlike torch's in-place conversion, tensors and optimizers taken from the model before keep the old ones.
    public func converted(to dtype: DType) throws -> LoadedModel {
        if dtype == self.dtype { return self }
        guard !isDynamicallyQuantized else {
            throw ModelError("a model made by quantize_dynamic keeps its int8 layers: convert the model before quantizing it")
        }
        let weights = Weights(state: moduleTree.stateDict, description: "\(className) (\(dtype.torchName))")
        weights.dtype = dtype
        let rebuilt = try modelClass.build(weights, config)
        var converted = LoadedModel(modelClass: modelClass, architecture: architecture, config: config, checkpoint: checkpoint,
                                    model: rebuilt, generationConfig: generationConfig, mode: TrainingMode(rebuilt, copying: mode))
        converted.newlyInitialized = newlyInitialized
        // frozen parameters stay frozen, as torch's in-place conversion keeps each parameter's flag
        let frozen = Set(moduleTree.namedParameters.filter { !$0.tensor.requiresGrad }.map(\.name))
        for (name, tensor) in converted.moduleTree.namedParameters where frozen.contains(name) { try tensor.setRequiresGrad(false) }
        return converted
    }
}
