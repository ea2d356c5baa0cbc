import Language

/// What sbpl adds to the Python interpreter: the `torch`, `transformers`, `tokenizers` and `safetensors` modules (tensors, models,
/// tokenizers, pipelines, tokenizer stages) and the short forms `tokenizer` and `model`.
public enum Bindings {
    /// Registers the modules and short forms with `interpreter`.
    public static func install(into interpreter: Interpreter) {
        interpreter.modules.register("torch", TorchModule.make)
        interpreter.modules.register("torch.nn", TorchModule.makeNN)
        interpreter.modules.register("torch.nn.functional", TorchModule.makeFunctional)
        interpreter.modules.register("torch.nn.utils", TorchModule.makeUtilities)
        interpreter.modules.register("torch.nn.init", TorchInit.make)
        interpreter.modules.register("torch.ao", TorchModule.makeAO)
        interpreter.modules.register("torch.ao.quantization") { TorchModule.makeQuantization("torch.ao.quantization") }
        interpreter.modules.register("torch.quantization") { TorchModule.makeQuantization("torch.quantization") }
        interpreter.modules.register("torch.optim", TorchModule.makeOptim)
        interpreter.modules.register("torch.utils", TorchModule.makeUtils)
        interpreter.modules.register("torch.utils.data", TorchModule.makeData)
        interpreter.modules.register("transformers", TransformersModule.make)
        interpreter.modules.register("transformers.logging", TransformersLogging.make)
        interpreter.modules.register("tokenizers", TokenizersModule.make)
        interpreter.modules.register("safetensors", SafetensorsModule.make)
        interpreter.modules.register("safetensors.torch", SafetensorsModule.makeTorch)
        for (name, make) in TokenizersModule.submodules { interpreter.modules.register("tokenizers.\(name)", make) }
        ShortForms.install(into: interpreter)
    }
}
