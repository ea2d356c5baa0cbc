import Foundation
import Hub
import Language
import PythonText

/// `%save`: the session's inputs as a script, as IPython's `%save FILE N-M` writes them, or as a notebook.
extension Session {
    /// `%save FILE.ipynb [RANGES]`: the cells (all before this one without ranges) with what they printed and
    /// their values, as an nbformat 4 notebook; `%save FILE[.py] RANGES`: their inputs, as IPython writes them.
    func save(_ arguments: String) throws {
        let words = arguments.split(separator: " ").map(String.init).filter { $0 != "-f" }
        guard let name = words.first else { throw UsageError("Missing filename.") }
        let ranges = try HistoryRange.parse(words.dropFirst().joined(separator: " "), last: executionCount - 1)
        let chosen = ranges.flatMap { range in cells.filter { range.contains($0.count) } }
        let notebook = name.hasSuffix(".ipynb")
        let path = UserHome.expand(notebook || name.hasSuffix(".py") ? name : name + ".py")
        let commands = chosen.map(\.source).joined(separator: "\n")
        let text = notebook ? Self.notebook(chosen) : "# coding: utf-8\n" + commands + (commands.hasSuffix("\n") ? "" : "\n")
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
            throw PyError(.osError, "[Errno 13] cannot write '\(path)'")
        }
        say(notebook ? "The session's \(chosen.count) cells were written to `\(path)`.\n"
                     : "The following commands were written to file `\(path)`:\n\(commands)\n")
    }

    /// `cells` as an nbformat 4.4 notebook for the sbpl kernel.
    static func notebook(_ cells: [SessionCell]) -> String {
        let kernelspec = JSONObject([("display_name", "sbpl (Python)"), ("language", "python"), ("name", "sbpl")])
        let book = JSONObject([
            ("cells", .array(cells.map { .object(codeCell($0)) })),
            ("metadata", .object(JSONObject([("kernelspec", .object(kernelspec)), ("language_info", .object(JSONObject([("name", "python")])))]))),
            ("nbformat", .int(4)), ("nbformat_minor", .int(4)),
        ])
        return PythonJSON.dumps(JSONValue.object(book), ensureASCII: false, indent: " ") + "\n"
    }

    private static func codeCell(_ cell: SessionCell) -> JSONObject {
        var outputs = [JSONValue]()
        if !cell.stdout.isEmpty {
            outputs.append(.object(JSONObject([("name", "stdout"), ("output_type", "stream"), ("text", .string(cell.stdout))])))
        }
        if let result = cell.result {
            outputs.append(.object(JSONObject([
                ("data", .object(JSONObject([("text/plain", .string(result))]))), ("execution_count", .int(cell.count)),
                ("metadata", .object(JSONObject())), ("output_type", "execute_result"),
            ])))
        }
        return JSONObject([("cell_type", "code"), ("execution_count", .int(cell.count)), ("metadata", .object(JSONObject())),
                           ("outputs", .array(outputs)), ("source", .string(cell.source))])
    }
}
