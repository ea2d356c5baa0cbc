import ArgumentParser
import Diagnostics
import Foundation
import Hub
import Language
import Logging

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

signal(SIGINT) { _ in Interrupt.request() }
// past a file-size limit (`ulimit -f`), a write fails with EFBIG, which a download reports as a full disk, keeping
// what it wrote, instead of the signal ending the process
signal(SIGXFSZ, SIG_IGN)
LoggingSystem.bootstrap { _ in MessageLogHandler() }
let logger = Logger(label: "sbpl")

/// Parses the command line, runs the command and returns the exit status: 0, the script's status, 1 for a
/// failure (`sbpl: MESSAGE`), 2 for a command line that does not parse (as Python's).
func runCommandLine(_ arguments: [String]) -> Int32 {
    do {
        var command = try SbplCommand.parseAsRoot(arguments)
        try command.run()
        return 0
    } catch let exit as ExitCode {
        return exit.rawValue
    } catch let failure as CommandFailure {
        logger.error("sbpl: \(failure.message)")
        return failure.status
    } catch {
        let status = SbplCommand.exitCode(for: error)
        if status.isSuccess {
            print(SbplCommand.fullMessage(for: error))
            return 0
        }
        logger.error("\(SbplCommand.fullMessage(for: error))")
        return 2
    }
}

let status = ScriptRunner.onLargeStack { runCommandLine(Array(CommandLine.arguments.dropFirst())) }
HTTPClient.closeConnections()
exit(status)
