import FuzzInput
import Safetensors

/// libFuzzer's entry point: the bytes as a `.safetensors` file, mapped and validated, and every tensor it
/// declares loaded (converted from its dtype) and summed, so that each byte the header points at is read.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let url = Scratch.file(holding: data, size, as: "model.safetensors")
    guard let file = try? SafetensorsFile(path: url.path) else { return 0 }
    for name in file.names {
        _ = try? file.tensor(name).sum()
    }
    return 0
}

/// The harness's entry point: libFuzzer's driver on `fuzz`.
@main enum Harness {
    static func main() { Fuzzer.run(fuzz) }
}
