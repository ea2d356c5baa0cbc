import Foundation
import TestSupport
import Testing

/// `sbpl NOTEBOOK.ipynb`: code cells in order in one interpreter, each cell's stdout then its value, stopping at
/// the first error with status 1; malformed notebooks refused before anything runs.
@Suite(.serialized)
struct NotebookRunnerTests {
    private func sbpl(_ notebook: String) async throws -> ProcessOutput {
        let path = KernelClientScript.script.deletingLastPathComponent().appendingPathComponent("notebooks/\(notebook)").path
        return try await ChildProcess.run(try SbplBinary.url(), [path])
    }

    @Test func runsTheCodeCellsInOrderAndStopsAtTheFirstError() async throws {
        let r = try await sbpl("course_shaped.ipynb")
        #expect(r.out == """
            sbpl: datasets, evaluate, transformers are built in; nothing to install
            4 words
            'I LOVE THIS COURSE'
            30
            before the error

            """)
        #expect(r.err == "In [4]:2:6: IndexError: list index out of range\n    words[10]\n         ^\n")
        #expect(r.status == 1)
    }

    @Test(arguments: [
        ("not_json.ipynb", "not JSON"),
        ("nbformat3.ipynb", "nbformat 3; sbpl reads nbformat 4"),
        ("no_cells.ipynb", "missing 'cells'"),
        ("bad_source.ipynb", "a cell's source is neither a string nor a list of strings in cell 2"),
    ])
    func aMalformedNotebookIsRefusedBeforeAnythingRuns(notebook: String, problem: String) async throws {
        let r = try await sbpl(notebook)
        #expect(r.out == "", "nothing ran")
        #expect(r.err.hasPrefix("sbpl: /"), "\(r.err)")
        #expect(r.err.hasSuffix("/notebooks/\(notebook): \(problem)\n"), "\(r.err)")
        #expect(r.status == 1)
    }

    @Test func pipInstallOfAPackageSbplLacksIsAClearError() async throws {
        let r = try await sbpl("pip_other.ipynb")
        #expect(r.err == "UsageError: sbpl cannot pip install numpy-financial: it runs its own built-in accelerate, "
                + "datasets, evaluate, sentencepiece, tokenizers, torch, transformers, and no other Python package\n")
        #expect(r.status == 1)
    }

    @Test func aMagicOrShellCommandIsAClearErrorAndNothingOfItsCellRuns() async throws {
        let r = try await sbpl("magic.ipynb")
        #expect(r.out == "")
        #expect(r.err == "UsageError: `%whos`: the sbpl kernel runs no shell commands or magics in cells yet "
                + "(only `!pip install` of its built-in packages)\n")
        #expect(r.status == 1)
    }
}
