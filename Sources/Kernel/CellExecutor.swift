import Bindings
import Language
import Logging

/// The kernel's one interpreter and its execution count: runs cells as the terminal shell does (variables kept
/// across cells, the last expression's value shown as `Out[n]:` shows it, and kept as `_`), reporting through the
/// messages an `execute_request` gives rise to.
final class CellExecutor {
    let interpreter: Interpreter
    private let output = CellOutput()
    /// The number of cells run with `store_history`.
    private(set) var executionCount = 0
    /// The cells run with `store_history`, in order, as `history_request` returns them.
    private(set) var history: [HistoryReply.Entry] = []

    init() {
        let output = output
        interpreter = Interpreter(write: { output.write(.stdout, $0) },
                                  logger: Logger(label: "sbpl") { _ in CellLogHandler(output: output) })
        interpreter.isInteractive = true
        Bindings.install(into: interpreter)
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

    /// Runs the request's cell, telling `show` what it shows (nothing when the request is silent); returns the
    /// execute reply's content. `!pip install` lines of packages sbpl provides natively say so and run nothing;
    /// other `!` and `%` lines are refused (`LineCommands`).
    func execute(_ request: ExecuteRequest, show: @escaping (Event) -> Void) -> any Encodable {
        if request.storeHistory {
            executionCount += 1
            history.append(HistoryReply.Entry(session: 1, line: executionCount, input: request.code))
        }
        let count = executionCount
        if !request.silent {
            show(.input(ExecuteInput(code: request.code, executionCount: count)))
            output.sink = { show(.stream(StreamContent(name: $0, text: $1))) }
        }
        defer { output.sink = nil }
        Interrupt.clear()
        do {
            let code = try LineCommands.run(request.code) { output.write(.stdout, $0 + "\n") }
            let value = try interpreter.run(code)
            output.flush()
            if let value, !request.silent, value.typeName != "NoneType" {
                interpreter.define("_", value)
                show(.result(ExecuteResult(executionCount: count, data: ["text/plain": value.repr])))
            }
            return ExecuteReply(executionCount: count)
        } catch {
            output.flush()
            var failure = Self.failure(error, cell: request.code, count: count)
            if !request.silent { show(.error(failure)) }
            failure.executionCount = count
            return failure
        }
    }

    /// An error as the front end shows it: the exception's name and message, and as traceback the lines the
    /// terminal shell prints (`In [n]:LINE:COL: Kind: message`, the cell line and a caret).
    static func failure(_ error: any Error, cell: String, count: Int) -> ErrorContent {
        if let refused = error as? LineCommands.Refused {
            return ErrorContent(ename: "UsageError", evalue: refused.description, traceback: ["UsageError: \(refused)"])
        }
        guard let error = error as? PyError else {
            return ErrorContent(ename: "Exception", evalue: "\(error)", traceback: ["\(error)"])
        }
        let name = error.kind.rawValue
        if error.kind == .keyboardInterrupt { return ErrorContent(ename: name, evalue: "", traceback: [name]) }
        let report = error.report(file: "In [\(count)]", source: cell)
        return ErrorContent(ename: name, evalue: error.message, traceback: report.components(separatedBy: "\n"))
    }
}
