import CEditShim
import Foundation

/// `!command`: the command run by `/bin/sh -c` on a pseudo-terminal, as IPython runs it (pexpect in ipykernel,
/// the terminal itself in the IPython shell), so commands print as they do on a terminal, stderr merged into
/// stdout and lines ending in `\r\n`; the output is passed on a line at a time while the command runs.
enum SystemCommand {
    /// Runs `command` in the current directory, giving `write` its output as it comes; returns the exit status
    /// (128 + the signal's number when a signal ended it).
    static func run(_ command: String, write: (String) -> Void) throws -> Int32 {
        let terminal = try PseudoTerminal()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        process.standardOutput = terminal.child
        process.standardError = terminal.child
        try process.run()
        terminal.child.closeFile()  // the child holds its own copy; reading ends when it closes it
        var pending = Data()
        while let chunk = terminal.read() {
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

/// A pseudo-terminal pair: the child's end to give a process, and reads from the controlling end.
private final class PseudoTerminal {
    private let controller: Int32
    let child: FileHandle

    init() throws {
        var descriptor: Int32 = -1
        controller = shim_open_pty(&descriptor)
        guard controller >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        child = FileHandle(fileDescriptor: descriptor, closeOnDealloc: false)
    }

    deinit { close(controller) }

    /// The next output, or nil once every process holding the child's end has closed it.
    func read() -> Data? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = Glibc.read(controller, &buffer, buffer.count)
            if count > 0 { return Data(buffer[..<count]) }
            if count < 0 && errno == EINTR { continue }
            return nil  // 0, or EIO: the child's end is closed
        }
    }
}
