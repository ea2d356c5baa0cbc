import Bindings
import Diagnostics
import Dispatch
import Foundation
import FuzzInput
import Language
import Logging

/// How long one program may run before it is stopped as Ctrl-C stops it (`KeyboardInterrupt`, raised at the
/// interpreter's next check), so that `while True: pass` is an input like any other rather than a hang.
let budget = DispatchTimeInterval.milliseconds(500)

/// Set once: no download can start, nothing waits on standard input, and files a program writes land in the
/// scratch folder.
let environment: Void = {
    setenv("HF_HUB_OFFLINE", "1", 1)
    dup2(open("/dev/null", O_RDONLY), STDIN_FILENO)
    chdir(Scratch.folder.path)
}()

/// The script's `sys.argv`: the examples take a model folder as their argument, so `SBPL_MINILM_DIR`'s is given
/// when set (make test sets it).
let arguments = ["program.sbpl"] + (ProcessInfo.processInfo.environment["SBPL_MINILM_DIR"].map { [$0] } ?? [])

/// libFuzzer's entry point: the bytes as a script file, run as `sbpl FILE ARGS` runs it (read as UTF-8, the torch
/// and transformers bindings installed, errors reported with the source line), its output dropped.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    environment
    let url = Scratch.file(holding: data, size, as: "program.sbpl")
    guard let source = try? ScriptRunner.read(url.path) else { return 0 }
    let interpreter = Interpreter(write: { _ in }, logger: Logger(label: "fuzz", writingTo: .buffer(LogBuffer())))
    Bindings.install(into: interpreter)
    interpreter.arguments = arguments
    let stop = DispatchWorkItem { Interrupt.request() }
    DispatchQueue.global().asyncAfter(deadline: .now() + budget, execute: stop)
    _ = ScriptRunner.onLargeStack { ScriptRunner.run(source, file: url.lastPathComponent, in: interpreter) }
    stop.cancel()
    Interrupt.clear()
    return 0
}

/// The harness's entry point: libFuzzer's driver on `fuzz`.
@main enum Harness {
    static func main() { Fuzzer.run(fuzz) }
}
