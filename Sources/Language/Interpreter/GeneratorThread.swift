import Foundation
import PythonText

/// A generator function's body, run on a thread of its own that takes turns with its caller: `resume` hands the
/// body a value and waits until it yields, returns or raises; `yield` (on the body's thread) hands a value back and
/// waits to be resumed. Only one side runs at a time, so the interpreter is never used by two threads at once; each
/// side keeps its own call depth and handled exceptions across a switch. The thread starts at the first `next()` and
/// ends with the body: `close()` (also run when the generator is dropped, and for those left suspended when a
/// script ends) raises `GeneratorExit` at the paused `yield`, so no thread is left waiting.
final class GeneratorThread: @unchecked Sendable {
    private enum State { case created, suspended, running, finished }
    /// What the caller hands the body: a value for the paused `yield` to give, or an error for it to raise.
    private enum Message {
        case send(Value)
        case raise(Error)
    }
    /// How a turn of the body ended.
    enum Outcome {
        case yielded(Value)
        case returned(Value)
        case raised(Error)
    }

    private let interpreter: Interpreter
    /// The body; dropped once it ends, which releases its scope.
    private var body: ((GeneratorThread) throws -> Value)?
    private var state = State.created
    private var message = Message.send(.none)
    private var outcome = Outcome.returned(.none)
    /// The caller's call depth in the current turn, above which the body's own calls count.
    private var callerDepth = 0
    private let toBody = DispatchSemaphore(value: 0), toCaller = DispatchSemaphore(value: 0)

    init(_ interpreter: Interpreter, body: @escaping (GeneratorThread) throws -> Value) {
        self.interpreter = interpreter
        self.body = body
    }

    /// Whether the body has ended (or was closed before it started).
    var isFinished: Bool { state == .finished }

    /// `next()` / `send(value)`: runs the body until it yields, returns or raises.
    func resume(sending value: Value) throws -> Outcome {
        if case .none = value {} else if state == .created {
            throw PyError.type("can't send non-None value to a just-started generator")
        }
        return try turn(.send(value))
    }

    /// `throw(error)`: raises `error` at the paused `yield` (before the first line, for a generator not started).
    func resume(raising error: PyError) throws -> Outcome {
        if state == .finished { throw error }
        return try turn(.raise(error))
    }

    /// `close()`: raises `GeneratorExit` at the paused `yield`. A body that yields again is unwound without running
    /// its `except` clauses (`GeneratorAbandoned`), and the caller gets CPython's RuntimeError.
    func close() throws {
        guard state == .suspended else {
            if state == .created { finish() }
            return
        }
        switch try turn(.raise(PyError(.generatorExit, ""))) {
        case .yielded:
            while state == .suspended { _ = try turn(.raise(GeneratorAbandoned())) }
            throw PyError(.runtimeError, "generator ignored GeneratorExit")
        case .raised(let error as PyError) where error.kind == .generatorExit: return
        case .raised(let error): throw error
        case .returned: return
        }
    }

    /// One turn: the body runs (started on its thread the first time) while the caller waits.
    private func turn(_ message: Message) throws -> Outcome {
        switch state {
        case .finished: return .returned(.none)
        case .running: throw PyError.value("generator already executing")
        case .created, .suspended: break
        }
        let (depth, handling) = (interpreter.depth, interpreter.handling)
        defer { (interpreter.depth, interpreter.handling) = (depth, handling) }
        self.message = message
        callerDepth = depth
        let starting = state == .created
        state = .running
        if starting { try start() } else { toBody.signal() }
        toCaller.wait()
        if case .yielded = outcome { state = .suspended } else { finish() }
        return outcome
    }

    /// Starts the body on its thread; CPython's RuntimeError when the system can make no more threads (nested
    /// generators past what the address space holds), instead of waiting for a body that never starts.
    private func start() throws {
        // registered before the body runs: its own generators register from its thread (a finished one is left alone)
        interpreter.generatorThreads.insert(self)
        let started = ScriptRunner.startOnLargeStack { [self] in
            outcome = run()
            toCaller.signal()
        }
        guard started else {
            finish()
            throw PyError(.runtimeError, "can't start new thread")
        }
    }

    /// The body's thread: runs the body to its end; a `StopIteration` escaping it becomes a RuntimeError.
    private func run() -> Outcome {
        interpreter.handling = []
        do {
            if case .raise(let error) = message { throw error }
            return .returned(try body?(self) ?? .none)
        } catch let error as PyError where error.kind == .stopIteration {
            return .raised(PyError(.runtimeError, "generator raised StopIteration", at: error.location))
        } catch {
            return .raised(error)
        }
    }

    /// `yield value` on the body's thread: hands `value` to the caller and waits for the next turn.
    func yield(_ value: Value) throws -> Value {
        let ownDepth = interpreter.depth - callerDepth, handling = interpreter.handling
        outcome = .yielded(value)
        toCaller.signal()
        toBody.wait()
        interpreter.depth += ownDepth
        interpreter.handling = handling
        switch message {
        case .send(let sent): return sent
        case .raise(let error): throw error
        }
    }

    private func finish() {
        state = .finished
        body = nil
    }
}

/// Unwinds a generator that would not close: it passes every `except` (but runs `finally` blocks), so the body's
/// thread always ends.
struct GeneratorAbandoned: Error {}

/// The generator threads an interpreter started, held weakly, so those a script leaves paused can be closed at its end.
final class GeneratorThreads {
    private final class Entry {
        weak var thread: GeneratorThread?
        init(_ thread: GeneratorThread) { self.thread = thread }
    }
    private var entries = [Entry]()

    func insert(_ thread: GeneratorThread) {
        entries.removeAll { $0.thread?.isFinished ?? true }
        entries.append(Entry(thread))
    }

    /// Closes every paused generator (as CPython does at exit), ignoring what they raise.
    func closeAll() {
        while let entry = entries.popLast() { try? entry.thread?.close() }
    }
}
