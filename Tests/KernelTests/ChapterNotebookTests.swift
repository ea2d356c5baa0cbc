import Foundation
import TestSupport
import Testing

/// The chapter's cells in a course-shaped notebook (Fixtures/notebooks/chapter.ipynb, on the tiny DistilBERT
/// classifier the model tests ship), executed by nbclient on the installed sbpl kernel: every code cell shows what
/// it shows on ipykernel with transformers 4.46.3 (chapter.expected.json, made by
/// scripts/fixtures/notebook_goldens.py; stderr is left out on both sides), except the install cell, which sbpl
/// answers itself.
@Suite(.timeLimit(.minutes(3))) struct ChapterNotebookTests {
    let notebooks = KernelClientScript.script.deletingLastPathComponent().appendingPathComponent("notebooks")

    /// Each code cell's outputs without stderr, as strings.
    private func outputs(_ report: [String: Any]) throws -> [[[String: String]]] {
        let cells = try #require(report["cells"] as? [[String: Any]])
        return cells.map { cell in
            (cell["outputs"] as? [[String: String]] ?? []).filter { $0["name"] != "stderr" }
        }
    }

    @Test func theChaptersCellsShowWhatIpykernelShows() async throws {
        // the notebook names the checkpoint from the repository root, where the tests (and the kernel) run
        _ = try MissingFixture.require(URL(fileURLWithPath: "Tests/ModelsTests/Fixtures/tasks/tiny-distilbert-nli/config.json"),
                                       "the tiny checkpoint, relative to the current directory (run the tests from the repository root)")
        let data = try Fixtures.temporaryDirectory()
        let install = try await ChildProcess.run(try SbplBinary.url(), ["kernel", "install", "--user", "--name", "sbpl-chapter"],
                                                 environment: ["JUPYTER_DATA_DIR": data.path])
        #expect(install.status == 0)
        let report = try await KernelClientScript.runNotebook(notebooks.appendingPathComponent("chapter.ipynb"), kernel: "sbpl-chapter",
                                                              dataDirectory: data)
        let golden = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: notebooks.appendingPathComponent("chapter.expected.json"))) as? [String: Any])
        let (shown, expected) = (try outputs(report), try outputs(golden))
        try #require(shown.count == 13 && expected.count == 13)
        #expect(shown[0] == [["output_type": "stream", "name": "stdout",
                              "text": "sbpl: datasets, evaluate, transformers are built in; nothing to install\n"]])
        for cell in 1..<shown.count {
            #expect(shown[cell] == expected[cell], "cell \(cell + 1)")
        }
    }
}
