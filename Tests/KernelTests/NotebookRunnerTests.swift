import Foundation
import TestSupport
import Testing

/// `sbpl NOTEBOOK.ipynb`: code cells in order in one interpreter, each cell's stdout then its value, stopping at
/// the first error with status 1; malformed notebooks refused before anything runs.
@Suite(.serialized)
struct NotebookRunnerTests {
    private func sbpl(_ notebook: String, _ options: [String] = []) async throws -> ProcessOutput {
        let path = KernelClientScript.script.deletingLastPathComponent().appendingPathComponent("notebooks/\(notebook)").path
        return try await ChildProcess.run(try SbplBinary.url(), [path] + options)
    }

    @Test func allowErrorsRunsOnAndOutputWritesTheExecutedNotebookAsNbformatReadsIt() async throws {
        let written = try Fixtures.temporaryDirectory().appendingPathComponent("executed.ipynb")
        let r = try await sbpl("course_shaped.ipynb", ["--allow-errors", "--output", written.path])
        #expect(r.out.hasSuffix("before the error\nafter the error\n"), "\(r.out)")
        #expect(r.status == 0, "nbconvert --allow-errors exits 0")
        // nbformat (the test venv's, with jupyter_client) reads and validates it; each code cell's count and outputs
        let summary = try await ChildProcess.run(try KernelClientScript.python(), ["-c", """
            import json, sys, nbformat
            book = nbformat.read(sys.argv[1], as_version=4)
            nbformat.validate(book)
            print(json.dumps([[c.execution_count, [[o.output_type, o.get("name"), o.get("text") or o.get("data", {}).get("text/plain") or o.get("ename")]
                                                   for o in c.outputs]] for c in book.cells if c.cell_type == "code"]))
            """, written.path])
        #expect(summary.err == "")
        #expect(summary.out == #"[[1, [["stream", "stdout", "sbpl: datasets, evaluate, transformers are built in; nothing to install\n"]]], "#
                + #"[2, [["stream", "stdout", "4 words\n"], ["execute_result", null, "'I LOVE THIS COURSE'"]]], [3, [["execute_result", null, "30"]]], "#
                + #"[4, [["stream", "stdout", "before the error\n"], ["error", null, "IndexError"]]], [5, [["stream", "stdout", "after the error\n"]]]]"# + "\n")
        let refused = try await sbpl("course_shaped.ipynb", ["--bogus"])
        #expect(refused.err == "sbpl: --bogus: unknown option for a notebook (it takes --allow-errors and --output OUT.ipynb)\n")
        #expect(refused.status == 1 && refused.out == "")
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

    @Test func anUnknownMagicIsIPythonsUsageErrorAndStopsItsCell() async throws {
        let r = try await sbpl("magic.ipynb")
        #expect(r.out == "before\n", "the lines before it ran, the lines after it did not")
        #expect(r.err == "UsageError: Line magic function `%nosuchmagic` not found (sbpl has %autoreload, %cd, %env, %history, %load, "
                + "%load_ext, %matplotlib, %pip, %pwd, %reset, %run, %save, %time, %timeit, %whos).\n")
        #expect(r.status == 1)
    }
}
