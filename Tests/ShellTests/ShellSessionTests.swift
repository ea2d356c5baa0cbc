import Foundation
import TestSupport
import Testing

/// A whole interactive session driven through a pseudo-terminal.
@Suite struct ShellSessionTests {
    @Test func aNotebookSessionAsAPersonTypesIt() async throws {
        let home = try Fixtures.temporaryDirectory()
        let status = try await TerminalSession.run(stateHome: home) { session in
            try await session.waitFor("In [1]: ")
            try await session.type("x = 41\r")
            try await session.waitFor("In [2]: ")
            try await session.type("x + 1\r")
            try await session.waitFor("Out[2]: 42")

            // A multi-line block: auto-indented, ended by a blank line.
            try await session.type("for i in range(2):\r")
            try await session.waitFor("   ...:     ")
            try await session.type("print(i * 10)\r")
            try await session.waitFor("   ...: ", count: 2)
            try await session.type("\r")
            try await session.waitFor("0\n10\n")

            // Completion of an attribute for the value's actual type.
            try await session.type("import torch\r")
            try await session.waitFor("In [5]: ")
            try await session.type("t = torch.ones(2, 3)\r")
            try await session.waitFor("In [6]: ")
            try await session.type("t.sh\t")
            try await session.waitFor("t.shape")
            try await session.type("\r")
            try await session.waitFor("Out[6]: torch.Size([2, 3])")

            // An error, then a working line.
            try await session.type("undefined_name\r")
            try await session.waitFor("NameError: name 'undefined_name' is not defined")
            try await session.type("x * 2\r")
            try await session.waitFor("Out[8]: 82")

            // Ctrl-C out of an endless loop, the session and its variables intact.
            try await session.type("while True: pass\r\r")
            try await Task.sleep(for: .seconds(1))
            try await session.type("\u{03}")
            try await session.waitFor("KeyboardInterrupt")
            try await session.type("x\r")
            try await session.waitFor("Out[10]: 41")

            // History recall with the up arrow.
            try await session.type("\u{1B}[A\r")
            try await session.waitFor("Out[11]: 41")

            // Ctrl-D on an empty line leaves with status 0, the history written.
            try await session.type("\u{04}")
        }
        #expect(status == 0)
        let history = try String(contentsOf: home.appendingPathComponent("sbpl/history"), encoding: .utf8)
        #expect(history.contains("x\\040=\\04041"), "\(history)")
        #expect(history.contains("for\\040i\\040in\\040range(2):\\012\\040\\040\\040\\040print(i\\040*\\04010)"), "\(history)")
        #expect(history.components(separatedBy: "\n").filter { $0 == "x" }.count == 1, "consecutive duplicates are kept once")
    }

    @Test func theInputAndOutputCachesAsIPythonKeepsThem() async throws {
        let status = try await TerminalSession.run(stateHome: try Fixtures.temporaryDirectory()) { session in
            try await session.waitFor("In [1]: ")
            try await session.type("x = 5\r")
            try await session.waitFor("In [2]: ")
            try await session.type("x * 2\r")
            try await session.waitFor("Out[2]: 10")
            try await session.type("_2 + Out[2] + _\r")
            try await session.waitFor("Out[3]: 30")
            try await session.type("_i\r")
            try await session.waitFor("Out[4]: '_2 + Out[2] + _'")
            try await session.type("In[1], _i1\r")
            try await session.waitFor("Out[5]: ('x = 5', 'x = 5')")
            try await session.type("__, ___\r")
            try await session.waitFor("Out[6]: ('_2 + Out[2] + _', 30)")
            try await session.type("sorted(Out), _ii\r")
            try await session.waitFor("Out[7]: ([2, 3, 4, 5, 6], 'In[1], _i1')")
            try await session.type("nothing_here?\r")
            try await session.waitFor("Object `nothing_here` not found.")
            try await session.type("\u{04}")
        }
        #expect(status == 0)
    }

    /// Keys typed while a cell runs reach a terminal in its ordinary mode: the lines run next, in order, and a Ctrl-D
    /// leaves once the cell is done (it used to be dropped, and sbpl waited at the next prompt).
    @Test func linesAndCtrlDTypedWhileACellRunsAreKept() async throws {
        let status = try await TerminalSession.run(stateHome: try Fixtures.temporaryDirectory(), timeout: .seconds(60)) { session in
            try await session.waitFor("In [1]: ")
            try await session.type("import time; time.sleep(2)\r")
            // typed while the cell runs: lines that arrive together at a prompt are a paste, one cell
            try await session.waitFor("time.sleep(2)\n")
            try await Task.sleep(for: .milliseconds(300))
            try await session.type("40 + 2\rx = 7\r")
            try await session.waitFor("In [4]: ")
            #expect(session.screen.contains("In [2]: 40 + 2\nOut[2]: 42"), "\(session.screen)")
            try await session.type("time.sleep(1)\r")
            try await Task.sleep(for: .milliseconds(300))
            try await session.type("\u{04}")
        }
        #expect(status == 0)
    }

    @Test func magicsAndHelp() async throws {
        let status = try await TerminalSession.run(stateHome: try Fixtures.temporaryDirectory()) { session in
            try await session.waitFor("In [1]: ")
            try await session.type("import torch\r")
            try await session.waitFor("In [2]: ")
            try await session.type("logits = torch.tensor([[1.0, 2.0]])\r")
            try await session.waitFor("In [3]: ")
            try await session.type("%whos\r")
            try await session.waitFor("logits     Tensor   torch.Size([1, 2]), dtype=torch.float32")
            try await session.type("%time logits.softmax(dim=-1)\r")
            try await session.waitFor("Wall time: ")
            try await session.waitFor("tensor([[0.2689, 0.7311]])")
            try await session.type("%timeit 1 + 1\r")
            try await session.waitFor("per loop (mean ± std. dev. of 7 runs, ")
            try await session.type("len?\r")
            try await session.waitFor("len(obj): the number of items")
            try await session.type("from transformers import BertModel\r")
            try await session.waitFor("In [8]: ")
            try await session.type("help(BertModel)\r")
            try await session.waitFor("BertModel(config) builds one with fresh weights.")
            try await session.type("%reset\r")
            try await session.waitFor("Once deleted, variables cannot be recovered. Proceed (y/[n])? ")
            try await session.type("y\r")
            try await session.waitFor("In [10]: ")
            try await session.type("%whos\r")
            try await session.waitFor("Interactive namespace is empty.")
            try await session.type("\u{04}")
        }
        #expect(status == 0)
    }

    @Test func ctrlCAbandonsAnUnfinishedCellAndClearsThePromptLine() async throws {
        let status = try await TerminalSession.run(stateHome: try Fixtures.temporaryDirectory()) { session in
            try await session.waitFor("In [1]: ")
            try await session.type("for i in range(3):\r")
            try await session.waitFor("   ...:     ")
            try await session.type("print('never shown')")
            try await session.type("\u{03}")
            try await session.waitFor("KeyboardInterrupt")
            try await session.waitFor("In [1]: ", count: 2)
            try await session.type("1 + 1\r")
            try await session.waitFor("Out[1]: 2")
            try await session.type("half typed")
            try await session.type("\u{03}")
            try await session.waitFor("KeyboardInterrupt", count: 2)
            try await session.waitFor("In [2]: ", count: 2)
            try await session.type("2 + 2\r")
            try await session.waitFor("Out[2]: 4")
            #expect(!session.screen.contains("never shown\n"), "the abandoned cell never ran")
            #expect(!session.screen.contains("SyntaxError"), "nothing typed before Ctrl-C joined the next cell")
            try await session.type("\u{04}")
        }
        #expect(status == 0)
    }

    @Test func startupFilesRunFirstAndAnErrorInOneIsReported() async throws {
        let home = try Fixtures.temporaryDirectory()
        let config = home.appendingPathComponent(".config/sbpl")
        try FileManager.default.createDirectory(at: config, withIntermediateDirectories: true)
        try "greeting = 'hi from startup'\n".write(to: config.appendingPathComponent("startup.sbpl"), atomically: true, encoding: .utf8)
        let rc = home.appendingPathComponent(".sbplrc")
        try "x = 1\nundefined_in_rc\ny = 2\n".write(to: rc, atomically: true, encoding: .utf8)
        let status = try await TerminalSession.run(stateHome: home) { session in
            try await session.waitFor("In [1]: ")
            #expect(session.screen.contains("\(rc.path):2:1: NameError: name 'undefined_in_rc' is not defined"), "\(session.screen)")
            try await session.type("greeting, x\r")
            try await session.waitFor("Out[1]: ('hi from startup', 1)")
            try await session.type("y\r")
            try await session.waitFor("NameError: name 'y' is not defined")
            try await session.type("\u{04}")
        }
        #expect(status == 0)
    }

    @Test func outShowsIPythonsLayout() async throws {
        let status = try await TerminalSession.run(stateHome: try Fixtures.temporaryDirectory()) { session in
            try await session.waitFor("In [1]: ")
            try await session.type("[{'label': 'POSITIVE', 'score': 0.9598047137260437}, {'label': 'NEGATIVE', 'score': 0.9994558691978455}]\r")
            try await session.waitFor("Out[1]: \n[{'label': 'POSITIVE', 'score': 0.9598047137260437},\n"
                                      + " {'label': 'NEGATIVE', 'score': 0.9994558691978455}]\n")
            try await session.type("\u{04}")
        }
        #expect(status == 0)
    }

    @Test func shellCommandsAndMagicsAsInIPython() async throws {
        let home = try Fixtures.temporaryDirectory()
        try "x = 6\nx * 7\n".write(to: home.appendingPathComponent("snippet.sbpl"), atomically: true, encoding: .utf8)
        let status = try await TerminalSession.run(stateHome: home) { session in
            try await session.waitFor("In [1]: ")
            try await session.type("a = 1\r")
            try await session.waitFor("In [2]: ")
            try await session.type("b = [a] * 2\r")
            try await session.waitFor("In [3]: ")
            try await session.type("%history -n 1-2\r")
            try await session.waitFor("   1: a = 1\n   2: b = [a] * 2\n")  // IPython's %history -n 1-2
            try await session.type("!echo hi from sh; echo and from stderr 1>&2\r")
            try await session.waitFor("hi from sh\nand from stderr\n")
            try await session.type("%cd \(home.path)\r")
            try await session.waitFor("\(home.path)\n")
            try await session.type("%pwd\r")
            try await session.waitFor("Out[6]: '\(home.path)'")
            try await session.type("%load snippet.sbpl\r")
            try await session.waitFor("In [8]: # %load snippet.sbpl")
            try await session.type("\r")
            try await session.waitFor("   ...: x = 6")
            try await session.type("\r")
            try await session.waitFor("   ...: x * 7")
            try await session.type("\r")
            try await session.waitFor("Out[8]: 42")
            try await session.type("%reset\r")
            try await session.waitFor("Once deleted, variables cannot be recovered. Proceed (y/[n])? ")
            try await session.type("n\r")
            try await session.waitFor("Nothing done.")
            try await session.type("a\r")
            try await session.waitFor("Out[10]: 1")
            try await session.type("%reset\r")
            try await session.waitFor("Proceed (y/[n])? ", count: 2)
            try await session.type("y\r")
            try await session.waitFor("In [12]: ")
            try await session.type("a\r")
            try await session.waitFor("NameError: name 'a' is not defined")
            try await session.type("%save session.ipynb 1-8\r")
            try await session.waitFor("The session's 8 cells were written to `session.ipynb`.")
            try await session.type("\u{04}")
        }
        #expect(status == 0)
        let summary = try await ChildProcess.run(try TestVenv.python(), ["-c", """
            import json, sys, nbformat
            book = nbformat.read(sys.argv[1], as_version=4)
            nbformat.validate(book)
            print(json.dumps([[c.execution_count, c.source, [[o.output_type, o.get("text") or o.data["text/plain"]] for o in c.outputs]]
                              for c in book.cells]))
            """, home.appendingPathComponent("session.ipynb").path])
        #expect(summary.err == "")
        let cells = try #require(try JSONSerialization.jsonObject(with: Data(summary.out.utf8)) as? [[Any]])
        #expect(cells.map { $0[0] as? Int } == Array(1...8))
        #expect(cells[3][2] as? [[String]] == [["stream", "hi from sh\r\nand from stderr\r\n"]])
        #expect(cells[7][1] as? String == "# %load snippet.sbpl\nx = 6\nx * 7")
        #expect(cells[7][2] as? [[String]] == [["execute_result", "42"]])
    }
}
