import Foundation
import TestSupport
import XCTest

/// The real `sbpl` binary in a pseudo-terminal (through `script`), typed at as a person would.
final class TerminalSession: @unchecked Sendable {
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private let lock = NSLock()
    private var buffer = ""
    let stateHome: URL

    init(environment extra: [String: String] = [:]) throws {
        stateHome = try Fixtures.temporaryDirectory()
        let binary = Fixtures.repositoryRoot.appendingPathComponent(".build/debug/sbpl").path
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qfec", "stty cols 120 rows 40; exec \(binary)", "/dev/null"]
        var environment = ProcessInfo.processInfo.environment
        environment["TERM"] = "xterm"
        environment["XDG_STATE_HOME"] = stateHome.path
        environment["HOME"] = stateHome.path
        for (k, v) in extra { environment[k] = v }
        process.environment = environment
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let reader = output.fileHandleForReading
        Thread.detachNewThread { [self] in
            while true {
                let data = reader.availableData
                if data.isEmpty { return }
                lock.lock()
                buffer += String(decoding: data, as: UTF8.self)
                lock.unlock()
            }
        }
    }

    /// Everything shown so far, without terminal escape sequences and carriage returns.
    var screen: String {
        lock.lock()
        defer { lock.unlock() }
        return buffer.replacingOccurrences(of: #"\x{1B}\[[0-9;?]*[A-Za-z]|\x{1B}[=>]|\r"#, with: "", options: .regularExpression)
    }

    /// Types keys (`\r` is Enter, `\t` Tab, `\u{03}` Ctrl-C, `\u{04}` Ctrl-D, `\u{1B}[A` up).
    func type(_ keys: String) {
        input.fileHandleForWriting.write(Data(keys.utf8))
    }

    /// Waits until the screen shows `text` `count` times; fails the test after `timeout` seconds.
    @discardableResult
    func waitFor(_ text: String, count: Int = 1, timeout: Double = 15, file: StaticString = #filePath, line: UInt = #line) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if screen.components(separatedBy: text).count - 1 >= count { return true }
            Thread.sleep(forTimeInterval: 0.05)
        }
        XCTFail("timed out waiting for \(text.debugDescription) x\(count); screen:\n\(screen)", file: file, line: line)
        return false
    }

    /// Waits for the process to end and returns its status.
    func exitStatus(timeout: Double = 10) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning { process.terminate(); return nil }
        return process.terminationStatus
    }
}
