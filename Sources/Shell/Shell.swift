import Foundation
import Hub
import Language
import LineEditor
import Logging

/// The notebook-style interactive shell: `In [n]:` prompts, `Out[n]:` echoes, multi-line cells, Ctrl-C that
/// abandons the cell being typed or stops a computation but keeps the session, Ctrl-D to leave. What a cell does
/// is the `Session`'s, shared with the kernel; the shell is its terminal front end.
public final class Shell {
    let interpreter: Interpreter
    private let editor: LineEditor?
    private let terminal: TerminalFrontEnd
    private let session: Session
    /// Set by `exit()` or `quit()`: the status the shell leaves with.
    private var exitStatus: Int32?

    public init(_ interpreter: Interpreter, historyPath: String? = Shell.defaultHistoryPath()) {
        self.interpreter = interpreter
        editor = LineEditor(historyPath: historyPath)
        terminal = TerminalFrontEnd(editor: editor, write: interpreter.write)
        session = Session(interpreter, frontEnd: terminal)
        let completion = Completion(interpreter: interpreter)
        editor?.setCompleter { completion.complete($0) }
    }

    /// The history file: `$XDG_STATE_HOME/sbpl/history`, else `~/.local/state/sbpl/history` (`~` as Python reads
    /// it: `$HOME` first).
    public static func defaultHistoryPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let state = environment["XDG_STATE_HOME"], !state.isEmpty { return state + "/sbpl/history" }
        return UserHome.directory(environment: environment) + "/.local/state/sbpl/history"
    }

    /// Runs the startup files, then cells until Ctrl-D; returns the exit status.
    public func run() -> Int32 {
        guard let editor else {
            interpreter.warn("sbpl: " + (LineEditor.unavailable ?? "the line editor could not start (is this a terminal?)"))
            return 1
        }
        LineEditor.onInterrupt { _ in Interrupt.request() }
        interpreter.isInteractive = true
        interpreter.streamsGeneration = true
        say("sbpl 0.1.0: the Hugging Face pipeline, behind the scenes. help() for help, Ctrl-D to leave.\n\n")
        for path in StartupFiles.paths() {
            guard let code = try? String(contentsOfFile: path, encoding: .utf8) else { continue }
            report(file: path, source: code) { _ = try interpreter.run(code, file: path) }
        }
        while exitStatus == nil {
            switch readCell(editor) {
            case nil:
                say("\n")
                return 0
            case let cell? where cell.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty:
                continue
            case let cell?:
                editor.remember(cell)
                Interrupt.clear()
                report(file: "In [\(session.executionCount + 1)]", source: cell) { try session.execute(cell) }
                if exitStatus == nil { say("\n") }
            }
        }
        return exitStatus!
    }

    private var prompt: String { "In [\(session.executionCount + 1)]: " }
    private var continuation: String { String(repeating: " ", count: prompt.count - 5) + "...: " }

    /// Reads lines until they form a cell; nil at the end of input. Ctrl-C abandons the lines typed so far. Lines
    /// put into the next input (`%load`) come pre-filled one by one, and the cell is not complete before the last.
    private func readCell(_ editor: LineEditor) -> String? {
        var lines = [String]()
        while true {
            let initial = terminal.nextInput.isEmpty ? (LineEditor.inputPending ? "" : CellReader.indentation(after: lines))
                : terminal.nextInput.removeFirst()
            switch editor.read(prompt: lines.isEmpty ? prompt : continuation, initial: initial) {
            case .endOfInput:
                return lines.isEmpty ? nil : lines.joined(separator: "\n")
            case .interrupted:
                say("\nKeyboardInterrupt\n\n")
                Interrupt.clear()
                lines = []
                terminal.nextInput = []
            case .line(let line):
                lines.append(line)
                if terminal.nextInput.isEmpty && CellReader.isComplete(lines) && !LineEditor.inputPending {
                    while lines.count > 1, lines.last!.trimmingCharacters(in: .whitespaces).isEmpty { lines.removeLast() }
                    return lines.joined(separator: "\n")
                }
            }
        }
    }

    /// Runs `body`, reporting an error as `FILE:LINE:COL: Kind: message` with the line of `source` and a caret;
    /// `exit()` sets the status the shell leaves with.
    private func report(file: String, source: String, _ body: () throws -> Void) {
        do {
            try body()
        } catch let error as PyError where error.kind == .systemExit {
            let (status, message) = error.exitStatus
            if let message { interpreter.logger.error("\(message)") }
            exitStatus = status
        } catch let error as PyError {
            interpreter.logger.error("\(error.kind == .keyboardInterrupt ? "KeyboardInterrupt" : error.report(file: file, source: source, sources: interpreter.sources))")
        } catch let error as UsageError {
            interpreter.logger.error("UsageError: \(error)")
        } catch {
            interpreter.logger.error("\(error)")
        }
    }

    /// Writes the shell's own text (banner, blank lines), which is no cell's output.
    func say(_ text: String) { terminal.write(text) }
}

/// The terminal as a session's front end: values echoed as `Out[n]:`, questions read with the line editor, and
/// the next input kept for the prompt to pre-fill.
final class TerminalFrontEnd: SessionFrontEnd {
    private let editor: LineEditor?
    /// Writes to the terminal.
    let write: (String) -> Void
    /// The lines of the next input, pre-filled one prompt at a time.
    var nextInput: [String] = []

    init(editor: LineEditor?, write: @escaping (String) -> Void) {
        self.editor = editor
        self.write = write
    }

    /// `Out[n]: text`, a multi-line text starting on its own line, as IPython shows it.
    func show(_ value: Value, text: String, count: Int) {
        write("Out[\(count)]: " + (text.contains("\n") ? "\n" : "") + text + "\n")
    }

    func ask(_ prompt: String) -> String? {
        guard case .line(let answer)? = editor?.read(prompt: prompt) else { return "" }
        return answer
    }

    func setNextInput(_ text: String) {
        nextInput = text.components(separatedBy: "\n")
        if nextInput.count > 1, nextInput.last!.isEmpty { nextInput.removeLast() }
    }
}
