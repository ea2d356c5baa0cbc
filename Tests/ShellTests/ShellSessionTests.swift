import Foundation
import TestSupport
import XCTest

/// A whole interactive session driven through a pseudo-terminal.
final class ShellSessionTests: XCTestCase {
    override func setUp() { continueAfterFailure = false }

    func testANotebookSessionAsAPersonTypesIt() throws {
        let session = try TerminalSession()
        session.waitFor("In [1]: ")
        session.type("x = 41\r")
        session.waitFor("In [2]: ")
        session.type("x + 1\r")
        session.waitFor("Out[2]: 42")

        // A multi-line block: auto-indented, ended by a blank line.
        session.type("for i in range(2):\r")
        session.waitFor("   ...:     ")
        session.type("print(i * 10)\r")
        session.waitFor("   ...: ", count: 2)
        session.type("\r")
        session.waitFor("0\n10\n")

        // Completion of an attribute for the value's actual type.
        session.type("import torch\r")
        session.waitFor("In [5]: ")
        session.type("t = torch.ones(2, 3)\r")
        session.waitFor("In [6]: ")
        session.type("t.sh\t")
        session.waitFor("t.shape")
        session.type("\r")
        session.waitFor("Out[6]: torch.Size([2, 3])")

        // An error, then a working line.
        session.type("undefined_name\r")
        session.waitFor("NameError: name 'undefined_name' is not defined")
        session.type("x * 2\r")
        session.waitFor("Out[8]: 82")

        // Ctrl-C out of an endless loop, the session and its variables intact.
        session.type("while True: pass\r\r")
        Thread.sleep(forTimeInterval: 1)
        session.type("\u{03}")
        session.waitFor("KeyboardInterrupt")
        session.type("x\r")
        session.waitFor("Out[10]: 41")

        // History recall with the up arrow.
        session.type("\u{1B}[A\r")
        session.waitFor("Out[11]: 41")

        // Ctrl-D on an empty line leaves with status 0, the history written.
        session.type("\u{04}")
        XCTAssertEqual(session.exitStatus(), 0)
        let history = try String(contentsOf: session.stateHome.appendingPathComponent("sbpl/history"), encoding: .utf8)
        XCTAssertTrue(history.contains("x\\040=\\04041"), history)
        XCTAssertTrue(history.contains("for\\040i\\040in\\040range(2):\\012\\040\\040\\040\\040print(i\\040*\\04010)"), history)
        XCTAssertEqual(history.components(separatedBy: "\n").filter { $0 == "x" }.count, 1, "consecutive duplicates are kept once")
    }

    func testMagicsAndHelp() throws {
        let session = try TerminalSession()
        session.waitFor("In [1]: ")
        session.type("import torch\r")
        session.waitFor("In [2]: ")
        session.type("logits = torch.tensor([[1.0, 2.0]])\r")
        session.waitFor("In [3]: ")
        session.type("%whos\r")
        session.waitFor("logits     Tensor   torch.Size([1, 2]), dtype=torch.float32")
        session.type("%time logits.softmax(dim=-1)\r")
        session.waitFor("Wall time: ")
        session.waitFor("tensor([[0.2689, 0.7311]])")
        session.type("%timeit 1 + 1\r")
        session.waitFor("per loop (mean ± std. dev. of 7 runs, ")
        session.type("len?\r")
        session.waitFor("len(obj): the number of items")
        session.type("from transformers import BertModel\r")
        session.waitFor("In [8]: ")
        session.type("help(BertModel)\r")
        session.waitFor("BertModel(config) builds one with fresh weights.")
        session.type("%reset\r")
        session.waitFor("In [10]: ")
        session.type("%whos\r")
        session.waitFor("Interactive namespace is empty.")
        session.type("\u{04}")
        XCTAssertEqual(session.exitStatus(), 0)
    }
}
