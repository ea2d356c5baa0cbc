import Foundation
import Hub
import Language
import LineEditor
import Logging

/// The notebook-style interactive shell: `In [n]:` prompts, `Out[n]:` echoes, `_`, magics, `x?`, multi-line
/// cells, Ctrl-C that stops a computation but keeps the session, Ctrl-D to leave.
public final class Shell {
    let interpreter: Interpreter
    private let editor: LineEditor?
    private(set) var count = 1
    var inputs: [String] = []
    /// IPython's `In` (with the empty input 0) and `Out`, by execution count.
    private let inputList = PyList([.str("")])
    private let outputs = PyDict()
    /// Set by `exit()` or `quit()`: the status the shell leaves with.
    private var exitStatus: Int32?

    public init(_ interpreter: Interpreter, historyPath: String? = Shell.defaultHistoryPath()) {
        self.interpreter = interpreter
        editor = LineEditor(historyPath: historyPath)
        let completion = Completion(interpreter: interpreter)
        editor?.setCompleter { completion.complete($0) }
    }

    /// The history file: `$XDG_STATE_HOME/sbpl/history`, else `~/.local/state/sbpl/history` (`~` as Python reads
    /// it: `$HOME` first).
    public static func defaultHistoryPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let state = environment["XDG_STATE_HOME"], !state.isEmpty { return state + "/sbpl/history" }
        return UserHome.directory(environment: environment) + "/.local/state/sbpl/history"
    }

    /// Runs until Ctrl-D; returns the exit status.
    public func run() -> Int32 {
        guard let editor else {
            interpreter.warn("sbpl: the line editor could not start (is this a terminal?)")
            return 1
        }
        LineEditor.onInterrupt { _ in Interrupt.request() }
        interpreter.isInteractive = true
        say("sbpl 0.1.0: the Hugging Face pipeline, behind the scenes. help() for help, Ctrl-D to leave.\n\n")
        while true {
            switch readCell(editor) {
            case nil:
                say("\n")
                return 0
            case let cell? where cell.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty:
                continue
            case let cell?:
                editor.remember(cell)
                inputs.append(cell)
                storeInput(cell)
                Interrupt.clear()
                execute(cell)
                if let exitStatus { return exitStatus }
                count += 1
                say("\n")
            }
        }
    }

    private var prompt: String { "In [\(count)]: " }
    private var continuation: String { String(repeating: " ", count: prompt.count - 5) + "...: " }

    /// Reads lines until they form a cell; nil at the end of input.
    private func readCell(_ editor: LineEditor) -> String? {
        var lines = [String]()
        while true {
            let indent = LineEditor.inputPending ? "" : CellReader.indentation(after: lines)
            switch editor.read(prompt: lines.isEmpty ? prompt : continuation, initial: indent) {
            case .endOfInput:
                return lines.isEmpty ? nil : lines.joined(separator: "\n")
            case .interrupted:
                say("\nKeyboardInterrupt\n\n")
                Interrupt.clear()
                lines = []
            case .line(let line):
                lines.append(line)
                if CellReader.isComplete(lines) && !LineEditor.inputPending {
                    while lines.count > 1, lines.last!.trimmingCharacters(in: .whitespaces).isEmpty { lines.removeLast() }
                    return lines.joined(separator: "\n")
                }
            }
        }
    }

    /// Runs one cell: magics (`%` lines), a `x?` help request, or code whose last expression is echoed.
    func execute(_ cell: String) {
        let lines = cell.components(separatedBy: "\n")
        if lines.count > 1, lines.contains(where: { $0.hasPrefix("%") }) {
            var code = [String]()
            for line in lines + ["%"] {
                guard line.hasPrefix("%") else { code.append(line); continue }
                if !code.isEmpty { execute(code.joined(separator: "\n")); code = [] }
                if line != "%" { magic(line) }
            }
            return
        }
        let trimmed = cell.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("%") { return magic(trimmed) }
        if trimmed.hasSuffix("?"), !trimmed.contains("\n") {
            let name = String(trimmed.dropLast()).trimmingCharacters(in: .whitespaces)
            guard let value = interpreter.value(ofDottedName: name) ?? (try? interpreter.run(name)) ?? nil else {
                return say("Object `\(name)` not found.\n")  // IPython's words
            }
            return say(interpreter.describe(value) + "\n")
        }
        run(cell) { value in self.echo(value) }
    }

    /// Runs code, reporting errors with a caret and going on; `then` receives the last expression's value.
    func run(_ code: String, then: (Value) -> Void = { _ in }) {
        do {
            if let value = try interpreter.run(code) { then(value) }
        } catch let error as PyError where error.kind == .systemExit {
            let (status, message) = error.exitStatus
            if let message { interpreter.logger.error("\(message)") }
            exitStatus = status
        } catch let error as PyError {
            interpreter.logger.error("\(error.kind == .keyboardInterrupt ? "KeyboardInterrupt" : error.report(file: "In [\(count)]", source: code))")
        } catch {
            interpreter.logger.error("\(error)")
        }
    }

    /// IPython's input cache as a cell starts: `In[n]` and `_in` its text, `_i`, `_ii`, `_iii` the three before.
    private func storeInput(_ cell: String) {
        let history = ["_iii", "_ii", "_i"].map { interpreter.globals.values[$0] ?? .str("") }
        let previous = interpreter.globals.values["_i\(count - 1)"] ?? .str("")
        for (name, value) in [("_iii", history[1]), ("_ii", history[2]), ("_i", previous), ("_i\(count)", .str(cell))] {
            interpreter.define(name, value)
        }
        inputList.items.append(.str(cell))
        interpreter.define("In", .list(inputList))
    }

    /// `Out[n]: repr`, multi-line values starting on their own line, as IPython shows them; IPython's output cache:
    /// `_`, `__`, `___` the last three values, `_n` and `Out[n]` this one.
    private func echo(_ value: Value) {
        if case .none = value { return }
        let (last, second) = (interpreter.globals.values["_"] ?? .str(""), interpreter.globals.values["__"] ?? .str(""))
        interpreter.define("___", second)
        interpreter.define("__", last)
        interpreter.define("_", value)
        interpreter.define("_\(count)", value)
        try? outputs.set(.int(count), value)
        interpreter.define("Out", .dict(outputs))
        let text = value.repr
        say("Out[\(count)]: " + (text.contains("\n") ? "\n" : "") + text + "\n")
    }

    func say(_ text: String) { interpreter.write(text) }
}
