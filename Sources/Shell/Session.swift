import Foundation
import Language

/// What differs between the front ends a `Session` runs in: the terminal shell and the Jupyter kernel.
public protocol SessionFrontEnd: AnyObject {
    /// Shows a cell's value: `Out[count]:` in the terminal, an `execute_result` in a notebook. `text` is IPython's
    /// layout of it (`PrettyPrinter`).
    func show(_ value: Value, text: String, count: Int)
    /// The user's answer to `prompt`, or nil when this front end cannot ask (a notebook client without stdin).
    func ask(_ prompt: String) -> String?
    /// Puts `text` into the next input, to be edited before it runs (IPython's `set_next_input`).
    func setNextInput(_ text: String)
}

/// One interactive session, shared by the terminal shell and the Jupyter kernel so the two cannot drift: the
/// execution count, IPython's input and output caches (`In`, `Out`, `_`, `_i`, ...), the cells and what they
/// showed (for `%history` and `%save`), and cells run as IPython runs them: code, `!command` and `%magic` lines,
/// and `name?` help.
public final class Session {
    public let interpreter: Interpreter
    let frontEnd: any SessionFrontEnd
    /// The number of cells run with `store_history`: the last cell's `In [n]`.
    public private(set) var executionCount = 0
    /// The cells run with `store_history`, in order, with what each showed.
    public private(set) var cells: [SessionCell] = []
    /// IPython's `In` (with the empty input 0) and `Out`, by execution count.
    private let inputList = PyList([.str("")])
    private var outputs = PyDict()
    /// The folders `%cd` visited, the first being the one the session started in (IPython's `_dh`).
    var directoryHistory = [FileManager.default.currentDirectoryPath]

    /// A session over `interpreter` (whose output it also records for `%save`), shown through `frontEnd`.
    public init(_ interpreter: Interpreter, frontEnd: any SessionFrontEnd) {
        self.interpreter = interpreter
        self.frontEnd = frontEnd
        interpreter.readInput = { [weak frontEnd] prompt in frontEnd?.ask(prompt) }
        let write = interpreter.write
        interpreter.write = { [weak self] text in
            self?.record(text)
            write(text)
        }
        interpreter.define("In", .list(inputList))
        interpreter.define("Out", .dict(outputs))
    }

    /// Runs one cell, its value shown through the front end (nothing when `silent`); with `storeHistory` it is
    /// counted and cached. Returns the execution count it ran under; throws the first error (a `PyError`, or a
    /// `UsageError` for a line command), the lines before it having run.
    @discardableResult
    public func execute(_ cell: String, storeHistory: Bool = true, silent: Bool = false) throws -> Int {
        if storeHistory {
            executionCount += 1
            storeInput(cell)
        }
        let value = try run(cell)
        if let value, !silent, value.typeName != "NoneType" { display(value, cached: storeHistory) }
        return executionCount
    }

    /// The cell's pieces in order (code, `!` and `%` lines, a `name?` help request, or a `%%` cell magic); the last
    /// piece's value.
    private func run(_ cell: String) throws -> Value? {
        let trimmed = cell.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasSuffix("?"), !trimmed.contains("\n"), !LineCommand.starts(trimmed) {
            help(String(trimmed.dropLast()).trimmingCharacters(in: .whitespaces))
            return nil
        }
        if let (magic, arguments, body) = try CellMagic.parse(cell) { return try run(magic, arguments, body: body) }
        return try runPieces(cell)
    }

    /// Runs the code and command lines of `cell` in order; the last one's value.
    func runPieces(_ cell: String) throws -> Value? {
        var value: Value?
        for piece in Self.pieces(cell) {
            switch piece {
            case .code(let code): value = try interpreter.run(code, file: "In [\(executionCount)]")
            case .command(let command): value = try run(command)
            case .misused(let error): throw error
            }
        }
        return value
    }

    /// A part of a cell: code, or one command line.
    enum Piece {
        /// Code, with blank lines in place of the cell's lines before it, so errors name the cell's line numbers.
        case code(String)
        case command(LineCommand)
        /// A command line that is wrong (an unknown magic): its error, raised when the cell reaches it.
        case misused(UsageError)
    }

    /// The cell cut at its command lines.
    static func pieces(_ cell: String) -> [Piece] {
        var pieces = [Piece](), code = [String](), first = 0
        let lines = cell.components(separatedBy: "\n")
        func endCode(at index: Int) {
            if code.contains(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) {
                pieces.append(.code(String(repeating: "\n", count: first) + code.joined(separator: "\n")))
            }
            code = []
            first = index + 1
        }
        for (index, line) in lines.enumerated() {
            guard LineCommand.starts(line) else { code.append(line); continue }
            endCode(at: index)
            do { pieces.append(.command(try LineCommand(line)!)) } catch { pieces.append(.misused(error)) }
        }
        endCode(at: lines.count)
        return pieces
    }

    /// `name?`: what `help(name)` says, or IPython's words when there is no such object.
    private func help(_ name: String) {
        guard let value = interpreter.value(ofDottedName: name) ?? (try? interpreter.run(name)) ?? nil else {
            return say("Object `\(name)` not found.\n")
        }
        say(interpreter.describe(value) + "\n")
    }

    /// IPython's input cache as a cell starts: `In[n]` and `_in` its text, `_i`, `_ii`, `_iii` the three before.
    private func storeInput(_ cell: String) {
        let history = ["_iii", "_ii", "_i"].map { interpreter.globals.values[$0] ?? .str("") }
        let previous = interpreter.globals.values["_i\(executionCount - 1)"] ?? .str("")
        for (name, value) in [("_iii", history[1]), ("_ii", history[2]), ("_i", previous), ("_i\(executionCount)", .str(cell))] {
            interpreter.define(name, value)
        }
        inputList.items.append(.str(cell))
        interpreter.define("In", .list(inputList))
        cells.append(SessionCell(count: executionCount, source: cell))
    }

    /// Shows a value; when `cached`, IPython's output cache: `_`, `__`, `___` the last three values, `_n` and
    /// `Out[n]` this one.
    private func display(_ value: Value, cached: Bool) {
        let text = PrettyPrinter.pretty(value)
        if cached {
            let (last, second) = (interpreter.globals.values["_"] ?? .str(""), interpreter.globals.values["__"] ?? .str(""))
            interpreter.define("___", second)
            interpreter.define("__", last)
            interpreter.define("_", value)
            interpreter.define("_\(executionCount)", value)
            try? outputs.set(.int(executionCount), value)
            interpreter.define("Out", .dict(outputs))
            cells[cells.count - 1].result = text
        }
        frontEnd.show(value, text: text, count: executionCount)
    }

    /// `%reset`'s clearing: every variable and the output cache; `In` and the count go on, as in IPython.
    func clearNamespace() {
        interpreter.reset()
        outputs = PyDict()
        interpreter.define("In", .list(inputList))
        interpreter.define("Out", .dict(outputs))
    }

    /// Adds printed text to the running cell's record.
    private func record(_ text: String) {
        guard !cells.isEmpty else { return }
        cells[cells.count - 1].stdout += text
    }

    func say(_ text: String) { interpreter.write(text) }
}

/// A cell of the session: its count and source, what it printed and the text of its value.
public struct SessionCell: Equatable, Sendable {
    public let count: Int
    public let source: String
    public var stdout = ""
    public var result: String?
}
