import ArgumentParser
import Kernel

extension RunCommand {
    /// `sbpl NOTEBOOK.ipynb [--allow-errors] [--output OUT.ipynb]`: the notebook's code cells run as a Jupyter
    /// front end would run them on the sbpl kernel; a malformed notebook is refused before anything runs.
    func runNotebook(_ path: String, arguments: [String]) throws {
        do {
            let options = try NotebookRunner.Options(arguments: arguments)
            throw ExitCode(try NotebookRunner.run(try Notebook.read(path), path: path, options: options))
        } catch let error as NotebookError {
            throw CommandFailure(message: "\(error)", status: 1)
        }
    }
}
