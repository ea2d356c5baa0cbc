import Foundation

/// `!command`: the command run by `/bin/sh -c`, as IPython's `system` runs it, its output (stderr merged into
/// stdout) passed on a line at a time while it runs, so a long command shows its progress.
enum SystemCommand {
    /// Runs `command` in the current directory, giving `write` its output as it comes; returns the exit status
    /// (128 + the signal's number when a signal ended it).
    static func run(_ command: String, write: (String) -> Void) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        var pending = Data()
        while case let chunk = pipe.fileHandleForReading.availableData, !chunk.isEmpty {
            pending.append(chunk)
            if let end = pending.lastIndex(where: { $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }) {
                write(String(decoding: pending[...end], as: UTF8.self))
                pending = Data(pending[(end + 1)...])
            }
        }
        if !pending.isEmpty { write(String(decoding: pending, as: UTF8.self)) }
        process.waitUntilExit()
        return process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
    }
}
