import Foundation

/// `sbpl NOTEBOOK.ipynb`: runs a notebook's code cells in order in one interpreter, as `jupyter nbconvert
/// --execute` does, printing what each cell shows in a notebook (its stdout, then its last value as the kernel
/// displays it); stops at the first error.
public enum NotebookRunner {
    /// Runs `notebook`; returns the exit status: 0, or 1 after the first failing cell (its error on stderr).
    public static func run(_ notebook: Notebook) -> Int32 {
        let executor = CellExecutor()
        for cell in notebook.cells where cell.cellType == .code {
            var failed = false
            _ = executor.execute(ExecuteRequest(code: cell.source)) { event in
                switch event {
                case .input: break
                case .stream(let stream): write(stream.text, to: stream.name == .stdout ? .standardOutput : .standardError)
                case .result(let result): write((result.data["text/plain"] ?? "") + "\n", to: .standardOutput)
                case .error(let error):
                    write(error.traceback.joined(separator: "\n") + "\n", to: .standardError)
                    failed = true
                }
            }
            if failed { return 1 }
        }
        return 0
    }

    private static func write(_ text: String, to handle: FileHandle) {
        handle.write(Data(text.utf8))
    }
}
