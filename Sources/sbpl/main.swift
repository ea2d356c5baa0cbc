import Bindings
import Foundation
import Language
import Pipelines
import Shell

/// sbpl's command line: `sbpl FILE [ARGS...]`, `sbpl -c CODE`, a script on standard input, or the REPL.
let usage = """
    usage: sbpl [-i] [FILE [ARGS...]] | sbpl -c CODE | sbpl download REPO [--revision REV] | sbpl --help | sbpl --version

    sbpl runs the Python of the Hugging Face course chapter "Behind the pipeline" natively.
      FILE        run a .sbpl script (`#!/usr/bin/env sbpl` works)
      -c CODE     run CODE
      -i          after running FILE, open the interactive shell with its variables
      download    fetch a checkpoint into the Hugging Face cache (like `huggingface-cli download`)
      (none)      the interactive shell on a terminal; a script from standard input otherwise

    Checkpoints come from the Hugging Face cache (HF_HUB_CACHE, HF_HOME, ~/.cache/huggingface/hub) or a folder.
    """
let version = "sbpl 0.1.0"

// Two settings that libraries read only when the process starts, so sbpl sets them and starts itself again, once:
// - OpenBLAS's idle worker threads spin for up to 2^28 cycles after each GEMM, taking the cores from sbpl's own
//   element-wise kernels (measured: forward passes 15-20% slower at 8x128 and 32x64);
// - a forward pass allocates and frees the same large activation buffers layer after layer, and by default glibc
//   gives freed memory back to the kernel, so each new buffer faults its pages in again, zeroed (measured: ~4% of
//   a 32x64 pass). glibc keeps up to 512 MiB of freed memory for reuse, buffers up to 256 MiB off mmap.
if getenv("OPENBLAS_THREAD_TIMEOUT") == nil {
    setenv("OPENBLAS_THREAD_TIMEOUT", "4", 1)
    let malloc = "glibc.malloc.trim_threshold=536870912:glibc.malloc.mmap_threshold=268435456"
    setenv("GLIBC_TUNABLES", getenv("GLIBC_TUNABLES").map { String(cString: $0) + ":" + malloc } ?? malloc, 1)
    execv("/proc/self/exe", CommandLine.unsafeArgv)
}

signal(SIGINT) { _ in Interrupt.requested = true }

func fail(_ message: String, status: Int32 = 1) -> Never {
    FileHandle.standardError.write(Data("sbpl: \(message)\n".utf8))
    exit(status)
}

var arguments = Array(CommandLine.arguments.dropFirst())
var interactive = false
if arguments.first == "-i" { interactive = true; arguments.removeFirst() }

let status: Int32 = ScriptRunner.onLargeStack {
    let interpreter = Interpreter()
    Bindings.install(into: interpreter)
    switch arguments.first {
    case "--help", "-h":
        print(usage)
        return 0
    case "--version", "-V":
        print(version)
        return 0
    case "download":
        let rest = Array(arguments.dropFirst())
        guard let repo = rest.first, rest.count == 1 || (rest.count == 3 && rest[1] == "--revision") else {
            fail("usage: sbpl download REPO [--revision REV]", status: 2)
        }
        do {
            print(try Pipeline.prefetch(repo, revision: rest.count == 3 ? rest[2] : "main").directory.path)
            return 0
        } catch {
            fail("\(error)")
        }
    case "-c":
        guard arguments.count >= 2 else { fail("argument expected for the -c option\n\(usage)", status: 2) }
        interpreter.arguments = ["-c"] + arguments.dropFirst(2)
        return ScriptRunner.run(arguments[1], file: "<string>", in: interpreter)
    case let path? where path.hasPrefix("-") && path != "-":
        fail("unknown option \(path)\n\(usage)", status: 2)
    case let path?:
        interpreter.arguments = arguments
        let source: String
        do { source = path == "-" ? String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self) : try ScriptRunner.read(path) } catch {
            fail("\(error)")
        }
        let status = ScriptRunner.run(source, file: path, in: interpreter)
        return interactive && status != 130 ? Shell(interpreter).run() : status
    case nil:
        if isatty(STDIN_FILENO) != 0 { return Shell(interpreter).run() }
        interpreter.arguments = [""]
        let source = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        return ScriptRunner.run(source, file: "<stdin>", in: interpreter)
    }
}
exit(status)
