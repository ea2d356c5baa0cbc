import ArgumentParser
import Kernel

extension RunCommand {
    /// `sbpl NOTEBOOK.ipynb`: the notebook's code cells run as a Jupyter front end would run them on the sbpl
    /// kernel; a malformed notebook is refused before anything runs.
    func runNotebook(_ path: String) throws {
        do {
            throw ExitCode(NotebookRunner.run(try Notebook.read(path)))
        } catch let error as NotebookError {
            throw CommandFailure(message: "\(error)", status: 1)
        }
    }
}
