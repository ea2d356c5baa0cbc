import FuzzInput
import Kernel
import Language

/// libFuzzer's entry point: the bytes as an `.ipynb` file, read as `sbpl NOTEBOOK.ipynb` reads it, and each code
/// cell's source parsed (not run: FuzzLanguage runs programs).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let url = Scratch.file(holding: data, size, as: "notebook.ipynb")
    guard let notebook = try? Notebook.read(url.path) else { return 0 }
    for cell in notebook.cells where cell.cellType == .code {
        _ = try? Parser.parse(cell.source)
    }
    return 0
}

/// The harness's entry point: libFuzzer's driver on `fuzz`.
@main enum Harness {
    static func main() { Fuzzer.run(fuzz) }
}
