import Bindings
import Diagnostics
import Hub
import Language
import Logging
import Shell

/// The kernel's one session (the terminal shell's `Session`: variables kept across cells, `Out`, `_`, `!command`
/// and `%magic` lines, `name?`), reporting through the messages an `execute_request` gives rise to.
final class CellExecutor {
    private let output = CellOutput()
    private let notebook = NotebookFrontEnd()
    let session: Session
    var interpreter: Interpreter { session.interpreter }

    init() {
        let output = output
        let interpreter = Interpreter(write: { output.write(.stdout, $0) },
                                      logger: Logger(label: "sbpl"))
        interpreter.isInteractive = true
        interpreter.writeError = { output.write(.stderr, $0) }
        Bindings.install(into: interpreter)
        session = Session(interpreter, frontEnd: notebook)
        ProgressOutput.sink = { output.write(.stderr, $0) }
    }

    /// What a running cell shows, in order: the iopub messages of an `execute_request`.
    enum Event {
        case input(ExecuteInput)
        case stream(StreamContent)
        case result(ExecuteResult)
        case error(ErrorContent)

        /// The event as an iopub message's type and content.
        var broadcast: (type: BroadcastType, content: any Encodable) {
            switch self {
            case .input(let content): (.executeInput, content)
            case .stream(let content): (.stream, content)
            case .result(let content): (.executeResult, content)
            case .error(let content): (.error, content)
            }
        }
    }

    /// The cells run with `store_history`, in order, as `history_request` returns them.
    var history: [HistoryReply.Entry] {
        session.cells.map { HistoryReply.Entry(session: 1, line: $0.count, input: $0.source) }
    }

    /// Runs the request's cell, telling `show` what it shows (nothing when the request is silent) and asking
    /// `ask` for input when the request allows stdin; returns the execute reply's content.
    func execute(_ request: ExecuteRequest, ask: ((String) -> String?)? = nil, show: @escaping (Event) -> Void) -> any Encodable {
        let count = session.executionCount + (request.storeHistory ? 1 : 0)
        if !request.silent {
            show(.input(ExecuteInput(code: request.code, executionCount: count)))
            output.sink = { show(.stream(StreamContent(name: $0, text: $1))) }
            notebook.results = { [output] in
                output.flush()  // what the cell printed first shows first
                show(.result(ExecuteResult(executionCount: $2, data: RichOutput.data($0, text: $1))))
            }
        }
        if request.allowStdin, let ask {
            notebook.asker = { [output] prompt in
                output.flush()
                return ask(prompt)
            }
        }
        notebook.payload = []
        // what any logger says while the cell runs is the cell's stderr (the kernel's own reports made meanwhile too)
        MessageLogHandler.standardErrorSink = { [output] in output.write(.stderr, $0) }
        defer {
            (output.sink, notebook.results, notebook.asker) = (nil, nil, nil)
            MessageLogHandler.standardErrorSink = nil
        }
        Interrupt.clear()
        do {
            try session.execute(request.code, storeHistory: request.storeHistory, silent: request.silent)
            output.flush()
            return ExecuteReply(executionCount: count, payload: notebook.payload)
        } catch {
            output.flush()
            var failure = Self.failure(error, cell: request.code, count: count, sources: session.interpreter.sources)
            if !request.silent { show(.error(failure)) }
            failure.executionCount = count
            return failure
        }
    }

    /// An error as the front end shows it: the exception's name and message, and as traceback the lines the
    /// terminal shell prints (`In [n]:LINE:COL: Kind: message`, the cell line and a caret).
    static func failure(_ error: any Error, cell: String, count: Int, sources: SourceTable) -> ErrorContent {
        if let usage = error as? UsageError {
            return ErrorContent(ename: "UsageError", evalue: usage.message, traceback: ["UsageError: \(usage)"])
        }
        guard let error = error as? PyError else {
            return ErrorContent(ename: "Exception", evalue: "\(error)", traceback: ["\(error)"])
        }
        let name = error.kind.rawValue
        if error.kind == .keyboardInterrupt { return ErrorContent(ename: name, evalue: "", traceback: [name]) }
        let report = error.report(file: "In [\(count)]", source: cell, sources: sources)
        return ErrorContent(ename: name, evalue: error.message, traceback: report.components(separatedBy: "\n"))
    }
}

/// A notebook as a session's front end: values as `execute_result`s, questions through the stdin channel when
/// the request allows it, the next input as ipykernel's `set_next_input` payload.
final class NotebookFrontEnd: SessionFrontEnd {
    /// Receives each value, its text and execution count while a (non-silent) cell runs.
    var results: ((Value, String, Int) -> Void)?
    /// Asks the front end through an `input_request`; nil when the request does not allow stdin.
    var asker: ((String) -> String?)?
    /// The running cell's `set_next_input` payloads.
    var payload: [ExecuteReply.Payload] = []

    func show(_ value: Value, text: String, count: Int) { results?(value, text, count) }

    func ask(_ prompt: String) -> String? { asker?(prompt) ?? nil }

    func setNextInput(_ text: String) { payload.append(ExecuteReply.Payload(text: text)) }
}
