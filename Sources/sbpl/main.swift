import ArgumentParser
import Diagnostics
import Foundation
import Hub
import Language
import Logging
import TensorCore

Tensor.keepFreedMemory()
signal(SIGINT) { _ in Interrupt.request() }
// past a file-size limit (`ulimit -f`), a write fails with EFBIG, which a download reports as a full disk, keeping
// what it wrote, instead of the signal ending the process
signal(SIGXFSZ, SIG_IGN)
// as Python: a write to a pipe whose reader has gone fails (`print` raises BrokenPipeError) instead of ending the
// process unannounced
signal(SIGPIPE, SIG_IGN)
LoggingSystem.bootstrap { MessageLogHandler(label: $0) }
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
