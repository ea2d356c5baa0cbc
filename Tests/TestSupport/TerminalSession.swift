import Foundation
import Subprocess
import Synchronization

/// The real `sbpl` binary (`SbplBinary`) in a pseudo-terminal (through `script`), typed at as a person would. A session lives for
/// the length of `TerminalSession.run`'s closure.
public final class TerminalSession: Sendable {
    /// The folder given to sbpl as HOME and XDG_STATE_HOME (where its history goes); XDG_CONFIG_HOME is its
    /// `.config`.
    public let stateHome: URL
    private let keyboard: StandardInputWriter
    private let shown = Mutex("")

    private init(stateHome: URL, keyboard: StandardInputWriter) {
        self.stateHome = stateHome
        self.keyboard = keyboard
    }

    /// Starts sbpl in a 120x40 terminal, runs `body` with the session, and returns sbpl's exit status once it ends
    /// (the body ends it, e.g. with Ctrl-D); everything is killed after `timeout`.
    public static func run(stateHome: URL, timeout: Duration = .seconds(120),
                    _ body: @escaping @Sendable (TerminalSession) async throws -> Void) async throws -> Int32 {
        let binary = try SbplBinary.url()
        return try await ChildProcess.withTimeout(timeout, "sbpl in a terminal") {
            let result = try await Subprocess.run(
                .path("/usr/bin/script"), arguments: ["-qfec", "stty cols 120 rows 40; exec \(binary.path)", "/dev/null"],
                environment: ChildProcess.inheriting(["TERM": "xterm", "XDG_STATE_HOME": stateHome.path, "HOME": stateHome.path,
                                                     "XDG_CONFIG_HOME": stateHome.appendingPathComponent(".config").path]),
                input: .inputWriter, output: .sequence, error: .discarded
            ) { execution in
                let session = TerminalSession(stateHome: stateHome, keyboard: execution.standardInputWriter)
                async let screen: Void = session.show(execution.standardOutput)
                // A failing body (say, a screen that never showed what it waited for) ends the terminal, so its error is
                // what the test reports rather than the overall timeout of a session left waiting for keys.
                var failure: (any Error)?
                do { try await body(session) } catch {
                    failure = error
                    try? execution.send(signal: .kill)
                }
                try await screen
                if let failure { throw failure }
            }
            return ChildProcess.status(result.terminationStatus)
        }
    }

    /// Appends everything the terminal shows until it closes.
    private func show(_ output: SubprocessOutputSequence) async throws {
        for try await chunk in output {
            let text = chunk.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
            shown.withLock { $0 += text }
        }
    }

    /// Everything shown so far, without terminal escape sequences and carriage returns.
    public var screen: String {
        shown.withLock { $0 }.replacingOccurrences(of: #"\x{1B}\[[0-9;?]*[A-Za-z]|\x{1B}[=>]|\r"#, with: "", options: .regularExpression)
    }

    /// Types keys (`\r` is Enter, `\t` Tab, `\u{03}` Ctrl-C, `\u{04}` Ctrl-D, `\u{1B}[A` up).
    public func type(_ keys: String) async throws {
        _ = try await keyboard.write(Array(keys.utf8))
    }

    /// Waits until the screen shows `text` `count` times; throws `ScreenTimeout` after `timeout`.
    public func waitFor(_ text: String, count: Int = 1, timeout: Duration = .seconds(30)) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if screen.components(separatedBy: text).count - 1 >= count { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw ScreenTimeout(awaited: text, count: count, screen: screen)
    }
}

/// The terminal did not show what a test waited for.
public struct ScreenTimeout: Error, CustomStringConvertible {
    public let awaited: String
    public let count: Int
    public let screen: String
    public var description: String { "timed out waiting for \(awaited.debugDescription) x\(count); screen:\n\(screen)" }
}
