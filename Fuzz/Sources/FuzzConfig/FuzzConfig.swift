import FuzzInput
import Models

/// libFuzzer's entry point: the bytes as a checkpoint's `config.json`, loaded as `AutoConfig.from_pretrained`
/// loads it, printed as `print(config)` prints it, its generation settings read, and its fields checked by each
/// architecture's typed config (as building a model does).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard let config = try? ModelConfig.load(Scratch.checkpoint(holding: data, size, as: "config.json")) else { return 0 }
    _ = config.pythonRepr(withModel: false)
    for name in config.fieldNames { _ = config.field(name) }
    _ = try? GenerationConfig.load(nil, modelConfig: config)
    _ = try? BertConfig(config)
    _ = try? DistilBertConfig(config)
    _ = try? GPT2Config(config)
    _ = try? BartConfig(config)
    _ = try? T5Config(config)
    return 0
}

/// The harness's entry point: libFuzzer's driver on `fuzz`.
@main enum Harness {
    static func main() { Fuzzer.run(fuzz) }
}
