import Foundation
import Logging

/// Runs whole scripts with the CLI's contract: output in order, errors as `FILE:LINE:COL: Kind: message` with
/// the source line and a caret (logged as errors to the interpreter's logger), and an exit status (0 success,
/// 1 error, 130 interrupted).
public enum ScriptRunner {
    /// Runs `source` (named `file` in messages) and returns the exit status.
    public static func run(_ source: String, file: String, in interpreter: Interpreter) -> Int32 {
        defer { interpreter.generatorThreads.closeAll() }
        do {
            try interpreter.run(source)
            return 0
        } catch let error as PyError where error.kind == .systemExit {
            let (status, message) = error.exitStatus
            if let message { interpreter.logger.error("\(message)") }
            return status
        } catch let error as PyError {
            interpreter.logger.error("\(error.report(file: file, source: source))")
            return error.kind == .keyboardInterrupt ? 130 : 1
        } catch {
            interpreter.logger.error("\(file): \(Interpreter.kind(of: error).rawValue): \(error)")
            return 1
        }
    }

    /// Reads a script file as UTF-8 text, with the error a user needs when it cannot be used.
    public static func read(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            throw PyError(.osError, exists ? (isDirectory.boolValue ? "\(path) is a directory" : "\(path): permission denied")
                                            : "can't open file '\(path)': No such file or directory")
        }
        if data.contains(0) { throw PyError(.syntaxError, "\(path): source code cannot contain null bytes (is it a binary file?)") }
        guard let text = String(data: data, encoding: .utf8) else {
            throw PyError(.syntaxError, "\(path) is not UTF-8 text")
        }
        return text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
    }

    /// The stack of the threads that run Python code: room for the recursion limit's depth of calls.
    static let largeStackSize = 512 << 20

    /// Runs `body` on a thread with a large stack (deep recursion stays within the recursion limit, not the
    /// stack) and waits for it.
    public static func onLargeStack<T>(_ body: @escaping () -> T) -> T {
        let work = Work(body)
        let thread = Thread { work.run() }
        thread.stackSize = largeStackSize
        thread.start()
        work.done.wait()
        return work.result!
    }

    /// A body handed to another thread and its result, read after `done` is signalled.
    private final class Work<T>: @unchecked Sendable {
        let body: () -> T
        var result: T?
        let done = DispatchSemaphore(value: 0)

        init(_ body: @escaping () -> T) { self.body = body }

        func run() {
            result = body()
            done.signal()
        }
    }
}
