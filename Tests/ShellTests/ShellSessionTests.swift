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
            try await session.waitFor("In [10]: ")
            try await session.type("%whos\r")
            try await session.waitFor("Interactive namespace is empty.")
            try await session.type("\u{04}")
        }
        #expect(status == 0)
    }
}
