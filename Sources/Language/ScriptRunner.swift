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
            try interpreter.run(source, file: file)
            return 0
        } catch let error as PyError where error.kind == .systemExit {
            let (status, message) = error.exitStatus
            if let message { interpreter.logger.error("\(message)") }
            return status
        } catch let error as PyError {
            interpreter.logger.error("\(error.report(file: file, source: source, sources: interpreter.sources))")
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
        // where the address space is too small for the stack (`ulimit -v`), on this thread's own
        guard startOnLargeStack({ work.run() }) else { return body() }
        work.done.wait()
        return work.result!
    }

    /// Starts `body` on a new thread with the large stack; false, and nothing started, when the system cannot make
    /// one (an address-space limit too small for its stack), where Foundation's `Thread` would start nothing and say
    /// nothing.
    static func startOnLargeStack(_ body: @escaping () -> Void) -> Bool {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, largeStackSize)
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        let box = Unmanaged.passRetained(ThreadBody(body))
        var thread = pthread_t()
        let status = pthread_create(&thread, &attributes, { raw in
            Unmanaged<ThreadBody>.fromOpaque(raw!).takeRetainedValue().body()
            return nil
        }, box.toOpaque())
        if status != 0 { box.release() }
        return status == 0
    }

    /// A thread's body, handed to `pthread_create` as a pointer.
    private final class ThreadBody {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
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
