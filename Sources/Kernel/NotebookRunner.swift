import Diagnostics
import Foundation
import PythonText

/// `sbpl NOTEBOOK.ipynb`: runs a notebook's code cells in order in one interpreter, as `jupyter nbconvert
/// --execute` does, printing what each cell shows in a notebook (its stdout, then its last value as the kernel
/// displays it); stops at the first error unless `--allow-errors`; with `--output`, writes the executed notebook.
public enum NotebookRunner {
    /// `--allow-errors` and `--output OUT.ipynb`, as nbconvert's.
    public struct Options: Sendable {
        public var allowErrors = false
        public var output: String?

        public init() {}

        /// The options after the notebook's path on the command line.
        public init(arguments: [String]) throws {
            var rest = arguments[...]
            while let argument = rest.popFirst() {
                switch argument {
                case "--allow-errors": allowErrors = true
                case "--output", "-o":
                    guard let path = rest.popFirst() else { throw NotebookError(path: argument, problem: "expects a file name") }
                    output = path
                case _ where argument.hasPrefix("--output="): output = String(argument.dropFirst("--output=".count))
                default: throw NotebookError(path: argument, problem: "unknown option for a notebook (it takes --allow-errors and --output OUT.ipynb)")
                }
            }
        }
    }

    /// Runs the notebook at `path`; returns the exit status: 0, or 1 after the first failing cell (its error on
    /// stderr) unless errors are allowed. The executed notebook is written when asked for and the run did not stop.
    public static func run(_ notebook: Notebook, path: String, options: Options = Options()) throws -> Int32 {
        let executor = CellExecutor()
        var executed = [ExecutedCell]()
        for cell in notebook.cells where cell.cellType == .code {
            var record = ExecutedCell()
            let reply = executor.execute(ExecuteRequest(code: cell.source)) { event in
                switch event {
                case .input(let input): record.executionCount = input.executionCount
                case .stream(let stream):
                    StandardStreams.write(stream.text, to: stream.name == .stdout ? .output : .error)
                    record.append(stream)
                case .result(let result):
                    StandardStreams.write((result.data["text/plain"] ?? "") + "\n", to: .output)
                    record.outputs.append(.object(JSONObject([
                        ("output_type", "execute_result"), ("execution_count", .int(result.executionCount)),
                        ("data", .object(JSONObject(result.data.map { ($0.key, JSONValue.string($0.value)) }))), ("metadata", .object(JSONObject())),
                    ])))
                case .error(let error):
                    StandardStreams.write(error.traceback.joined(separator: "\n") + "\n", to: .error)
                    record.outputs.append(.object(JSONObject([
                        ("output_type", "error"), ("ename", .string(error.ename)), ("evalue", .string(error.evalue)),
                        ("traceback", .array(error.traceback.map(JSONValue.string))),
                    ])))
                }
            }
            executed.append(record)
            if reply is ErrorContent && !options.allowErrors { return 1 }
        }
        if let output = options.output { try write(executed, over: path, to: output) }
        return 0
    }

    /// A code cell's execution count and outputs, as nbformat stores them (a stream's consecutive texts in one
    /// output, as front ends show them).
    struct ExecutedCell {
        var executionCount: Int?
        var outputs = [JSONValue]()

        mutating func append(_ stream: StreamContent) {
            if case .object(var last)? = outputs.last, last["output_type"] == "stream", last["name"] == .string(stream.name.rawValue),
               case .string(let text)? = last["text"] {
                last["text"] = .string(text + stream.text)
                outputs[outputs.count - 1] = .object(last)
            } else {
                outputs.append(.object(JSONObject([("output_type", "stream"), ("name", .string(stream.name.rawValue)), ("text", .string(stream.text))])))
            }
        }
    }

    /// The notebook at `path` with each code cell's outputs and execution count filled in, written to `output`.
    private static func write(_ cells: [ExecutedCell], over path: String, to output: String) throws {
        guard let data = FileManager.default.contents(atPath: path), case .object(var book)? = try? JSONValue(parsing: String(decoding: data, as: UTF8.self)),
              case .array(var stored)? = book["cells"] else {
            throw NotebookError(path: path, problem: "could not be read again to write the executed notebook")
        }
        var results = cells.makeIterator()
        for (i, cell) in stored.enumerated() {
            guard case .object(var fields) = cell, fields["cell_type"] == "code", let result = results.next() else { continue }
            fields["execution_count"] = result.executionCount.map(JSONValue.int) ?? .null
            fields["outputs"] = .array(result.outputs)
            stored[i] = .object(fields)
        }
        book["cells"] = .array(stored)
        let text = PythonJSON.dumps(JSONValue.object(book), ensureASCII: false) + "\n"
        guard FileManager.default.createFile(atPath: output, contents: Data(text.utf8)) else {
            throw NotebookError(path: output, problem: "cannot be written")
        }
    }
}
