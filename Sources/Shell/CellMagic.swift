import Foundation
import Hub
import Language

/// IPython's cell magics: a cell whose first line is `%%name arguments` gives the lines after it to the magic.
/// `%%time` and `%%timeit` time them, `%%capture [name]` keeps what they print, `%%writefile [-a] path` writes
/// them to a file.
public enum CellMagic: String, CaseIterable, Sendable {
    case capture, time, timeit, writefile

    /// A cell that starts with `%%`: its magic, the first line's arguments and the body, the first line left blank
    /// so that errors name the cell's line numbers; nil for any other cell. An unknown magic is IPython's
    /// `UsageError`.
    static func parse(_ cell: String) throws(UsageError) -> (magic: CellMagic, arguments: String, body: String)? {
        guard cell.hasPrefix("%%") else { return nil }
        let firstLine = cell.prefix { $0 != "\n" }
        let parts = firstLine.dropFirst(2).split(separator: " ", maxSplits: 1).map(String.init)
        let name = parts.first ?? ""
        guard let magic = CellMagic(rawValue: name) else {
            throw UsageError("Cell magic `%%\(name)` not found (sbpl has " + allCases.map { "%%" + $0.rawValue }.joined(separator: ", ") + ").")
        }
        let arguments = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
        return (magic, arguments, String(cell.dropFirst(firstLine.count)))
    }
}

extension Session {
    /// Runs `body` (a cell's lines after `%%magic arguments`) through the magic; returns the value the cell shows.
    func run(_ magic: CellMagic, _ arguments: String, body: String) throws -> Value? {
        switch magic {
        case .time: return try time { try runPieces(body) }
        case .timeit:
            // `-n N` and `-r R` set the loops and runs; the rest of the line is set-up, run once and not timed
            let (loops, runs, setup) = try Self.timeitOptions(arguments)
            if !setup.isEmpty { try interpreter.run(setup) }
            let steps = try prepared(body)
            try timeit(loops: loops, runs: runs) { for step in steps { try step() } }
        case .capture: try capture(into: arguments, body)
        case .writefile: try writeFile(arguments, body)
        }
        return nil
    }

    /// The body's pieces made ready to run again and again: code parsed once (its errors raised before any runs, as
    /// IPython compiles a timed cell first), command lines as they are.
    private func prepared(_ body: String) throws -> [() throws -> Void] {
        try Self.pieces(body).map { piece in
            switch piece {
            case .code(let code):
                let statements = try interpreter.compile(code, file: "In [\(executionCount)]")
                return { [interpreter] in try interpreter.run(statements) }
            case .command(let command): return { _ = try self.run(command) }
            case .misused(let error): throw error
            }
        }
    }

    /// `%%capture [name]`: the body runs printing nothing; with a name, what it printed is kept there as IPython's
    /// `CapturedIO` (`.stdout`, `.stderr`, `.show()`).
    private func capture(into name: String, _ body: String) throws {
        guard name.isEmpty || name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
            throw UsageError("%%capture takes one variable name, not `\(name)` (sbpl has no options for it)")
        }
        let captured = CapturedOutput { [interpreter] in interpreter.write($0) } error: { [interpreter] in interpreter.writeError($0) }
        let (write, writeError) = (interpreter.write, interpreter.writeError)
        (interpreter.write, interpreter.writeError) = ({ captured.stdout += $0 }, { captured.stderr += $0 })
        defer {
            (interpreter.write, interpreter.writeError) = (write, writeError)
            if !name.isEmpty { interpreter.define(name, .object(captured)) }
        }
        do { _ = try runPieces(body) } catch let error as PyError where ![.keyboardInterrupt, .systemExit].contains(error.kind) {
            // the cell's error is part of what it printed, as IPython's run_cell shows it inside the capture
            captured.stdout += error.report(file: "In [\(executionCount)]", source: body, sources: interpreter.sources) + "\n"
        }
    }

    /// `%%timeit`'s first line: `-n N` (loops per run), `-r R` (runs), flags it ignores, then the set-up statement.
    private static func timeitOptions(_ line: String) throws -> (loops: Int?, runs: Int, setup: String) {
        var words = line.split(separator: " ").map(String.init)[...], loops: Int?, runs = 7
        while let word = words.first, word.hasPrefix("-") {
            words.removeFirst()
            guard ["-n", "-r"].contains(word.prefix(2)) else {
                guard ["-q", "-o", "-t", "-c"].contains(word) else { throw UsageError("%%timeit option \(word) is not supported by sbpl (it has -n, -r)") }
                continue
            }
            let text = word.count > 2 ? String(word.dropFirst(2)) : words.popFirst() ?? ""
            guard let value = Int(text), value > 0 else { throw UsageError("%%timeit \(word.prefix(2)) needs a positive number, not `\(text)`") }
            if word.hasPrefix("-n") { loops = value } else { runs = value }
        }
        return (loops, runs, words.joined(separator: " "))
    }

    /// `%%writefile [-a] path`: the body written to `path` (appended with `-a`), saying which, as IPython does.
    private func writeFile(_ arguments: String, _ body: String) throws {
        let appending = arguments.hasPrefix("-a ") || arguments.hasPrefix("--append ")
        let given = appending ? String(arguments.drop { $0 != " " }).trimmingCharacters(in: .whitespaces) : arguments
        let name = given.count >= 2 && given.first == given.last && "\"'".contains(given.first!) ? String(given.dropFirst().dropLast()) : given
        guard !name.isEmpty else { throw UsageError("the following arguments are required: filename") }
        let path = UserHome.expand(name)
        let exists = FileManager.default.fileExists(atPath: path)
        say(appending && exists ? "Appending to \(name)\n" : exists ? "Overwriting \(name)\n" : "Writing \(name)\n")
        var text = String(body.dropFirst())  // the blank first line
        if !text.hasSuffix("\n") { text += "\n" }  // IPython ends a cell with a newline
        do {
            if appending, exists, let file = FileHandle(forWritingAtPath: path) {
                defer { try? file.close() }
                try file.seekToEnd()
                try file.write(contentsOf: Data(text.utf8))
            } else {
                try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            }
        } catch {
            throw PyError(.fileNotFoundError, "[Errno 2] No such file or directory: '\(name)'")
        }
    }
}

/// IPython's `CapturedIO`: what a `%%capture` cell printed, `.stdout` and `.stderr`; `.show()` prints it again.
final class CapturedOutput: PyObject {
    var stdout = "", stderr = ""
    private let write: (String) -> Void, writeError: (String) -> Void

    init(_ write: @escaping (String) -> Void, error writeError: @escaping (String) -> Void) {
        (self.write, self.writeError) = (write, writeError)
    }

    var typeName: String { "CapturedIO" }
    var qualifiedTypeName: String? { "IPython.utils.capture.CapturedIO" }
    var repr: String { "<IPython.utils.capture.CapturedIO object at \(objectAddress(self))>" }
    var attributeNames: [String] { Self.members.names }

    func attribute(_ name: String, _ interpreter: Interpreter) throws -> Value? { try Self.members.value(of: name, for: self, interpreter) }

    private static let members = MemberTable<CapturedOutput>("CapturedIO", [
        .attribute("stdout", "what the cell printed") { .str($0.stdout) },
        .attribute("stderr", "what the cell wrote to stderr") { .str($0.stderr) },
        .method("show", "", "prints what the cell printed, again") { captured, _ in
            captured.write(captured.stdout)
            captured.writeError(captured.stderr)
            return .none
        },
    ])
}
