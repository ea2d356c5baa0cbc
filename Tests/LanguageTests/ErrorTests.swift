import Language
import TestSupport
import XCTest

/// One clear message per kind of bad input: `FILE:LINE:COL: Kind: message`, the line, a caret; exit 1.
final class ErrorTests: XCTestCase {
    private let cases: [(source: String, report: String)] = [
        ("x = (1,", "t.sbpl:1:5: SyntaxError: '(' was never closed\n    x = (1,\n        ^"),
        ("print(y)", "t.sbpl:1:7: NameError: name 'y' is not defined\n    print(y)\n          ^"),
        ("x = 1\nx.foo", "t.sbpl:2:2: AttributeError: 'int' object has no attribute 'foo'\n    x.foo\n     ^"),
        ("'a' + 1", "t.sbpl:1:5: TypeError: unsupported operand type(s) for +: 'str' and 'int'\n    'a' + 1\n        ^"),
        ("len(1, 2)", "t.sbpl:1:1: TypeError: len() takes 1 positional argument but 2 were given\n    len(1, 2)\n    ^"),
        ("print(1, sepp=2)", "t.sbpl:1:1: TypeError: print() got an unexpected keyword argument 'sepp'\n    print(1, sepp=2)\n    ^"),
        ("x = 1 / 0", "t.sbpl:1:7: ZeroDivisionError: division by zero\n    x = 1 / 0\n          ^"),
        ("[1, 2][5]", "t.sbpl:1:7: IndexError: list index out of range\n    [1, 2][5]\n          ^"),
        ("{'a': 1}['b']", "t.sbpl:1:9: KeyError: 'b'\n    {'a': 1}['b']\n            ^"),
        ("class A: pass", "t.sbpl:1:1: SyntaxError: 'class' is not supported by sbpl\n    class A: pass\n    ^"),
        ("if True:\nprint(1)", "t.sbpl:2:1: IndentationError: expected an indented block\n    print(1)\n    ^"),
        ("import numpy", "t.sbpl:1:1: ModuleNotFoundError: No module named 'numpy' (sbpl has math, sys, time, torch, torch.nn, torch.nn.functional, transformers)\n    import numpy\n    ^"),
        ("def f():\n    return f()\nf()", "t.sbpl:2:12: RecursionError: maximum recursion depth exceeded\n        return f()\n               ^"),
        ("import torch\ntorch.ones(2, 3) @ torch.ones(2, 3)",
         "t.sbpl:2:18: RuntimeError: mat1 and mat2 shapes cannot be multiplied (2x3 and 2x3)\n    torch.ones(2, 3) @ torch.ones(2, 3)\n                     ^"),
        ("import torch\ntorch.tensor([1, 2])[3]", "t.sbpl:2:21: IndexError: index 3 is out of bounds for dimension 0 with size 2\n    torch.tensor([1, 2])[3]\n                        ^"),
        ("[0] * 10 ** 12", "t.sbpl:1:5: MemoryError\n    [0] * 10 ** 12\n        ^"),
        ("f'{1:>100000000000}'", "t.sbpl:1:1: MemoryError\n    f'{1:>100000000000}'\n    ^"),
        ("f'{1.5:.100000000000f}'", "t.sbpl:1:1: ValueError: precision too big\n    f'{1.5:.100000000000f}'\n    ^"),
        ("'a'.center(10 ** 12)", "t.sbpl:1:4: MemoryError\n    'a'.center(10 ** 12)\n       ^"),
        ("list(range(10 ** 12))", "t.sbpl:1:1: MemoryError\n    list(range(10 ** 12))\n    ^"),
        ("len(range(-2 ** 62, 2 ** 62))", "t.sbpl:1:1: OverflowError: Python int too large to convert to C ssize_t\n    len(range(-2 ** 62, 2 ** 62))\n    ^"),
        ("x = 'ab' * 2 ** 70", "t.sbpl:1:10: OverflowError: cannot fit 'int' into an index-sized integer\n    x = 'ab' * 2 ** 70\n             ^"),
        ("s = \"abc", "t.sbpl:1:5: SyntaxError: unterminated string literal\n    s = \"abc\n        ^"),
        ("assert 1 == 2, 'no'", "t.sbpl:1:1: AssertionError: no\n    assert 1 == 2, 'no'\n    ^"),
        ("x = ((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((1))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))",
         "t.sbpl:1:205: SyntaxError: too many nested parentheses"),
    ]

    func testEachErrorKindReportsPositionAndCaret() {
        for (source, report) in cases {
            let result = runProgram(source, file: "t.sbpl")
            XCTAssertEqual(result.status, 1, source)
            if report.contains("\n") {
                XCTAssertEqual(result.stderr, report + "\n", source)
            } else {
                XCTAssertTrue(result.stderr.hasPrefix(report), "\(source.prefix(40)): \(result.stderr)")
            }
        }
    }

    func testDeepNestingIsRefusedNotCrashed() {
        let result = runProgram("x = " + String(repeating: "not ", count: 5000) + "1", file: "t.sbpl")
        XCTAssertTrue(result.stderr.hasPrefix("t.sbpl:1:"), result.stderr)
        XCTAssertTrue(result.stderr.contains("SyntaxError: too many nested expressions"), result.stderr)
    }

    func testWhatWasPrintedBeforeAnErrorStays() {
        let result = runProgram("print('first')\nprint(1 / 0)\nprint('never')", file: "t.sbpl")
        XCTAssertEqual(result.stdout, "first\n")
        XCTAssertEqual(result.status, 1)
    }

    /// What this machine could not hold is refused as torch refuses it, before an allocation would end the program.
    func testTensorsTooLargeForMemoryAreRefused() {
        for line in ["torch.zeros(1000000, 1000000)", "torch.zeros(10 ** 10, 10 ** 10)", "torch.ones(100000, 1) + torch.ones(1, 100000)",
                     "torch.ones(100000, 1) @ torch.ones(1, 100000)", "torch.arange(10 ** 12)",
                     "from transformers import BertConfig, BertModel\nBertModel(BertConfig(vocab_size=10 ** 9))"] {
            let result = runProgram("import torch\n" + line, file: "t.sbpl")
            XCTAssertTrue(result.stderr.contains("RuntimeError: DefaultCPUAllocator: not enough memory: you tried to allocate "), result.stderr)
            XCTAssertEqual(result.status, 1, line)
        }
    }

    func testModelErrorsNameTheProblem() {
        let result = runProgram("from transformers import AutoModel\nAutoModel.from_pretrained('/nonexistent/dir')", file: "t.sbpl")
        XCTAssertEqual(result.stderr, "t.sbpl:2:10: OSError: '/nonexistent/dir' is neither a local folder nor a valid model id (ORG/NAME)\n    AutoModel.from_pretrained('/nonexistent/dir')\n             ^\n")
        let tiny = Fixtures.repositoryRoot.appendingPathComponent("Tests/ModelsTests/Fixtures/tiny-distilbert-sst2").path
        let cases = [
            // the chapter's "This line will fail": one sequence, not a batch
            ("AutoModel.from_pretrained(path)(torch.tensor([1, 2, 3]))",
             "IndexError: too many indices for tensor of dimension 1 (input_ids must be a batch, [batch, seq]: torch.tensor([ids]), not torch.tensor(ids))"),
            ("BertModel.from_pretrained(path)",
             "ValueError: BertModel cannot load '\(tiny)': it is a 'distilbert' checkpoint, not a 'bert' one; load it with AutoModel"),
            ("BertModel(5)", "TypeError: BertModel(config): config must be a config (BertConfig(), AutoConfig.from_pretrained(...)), not int"),
            ("BertModel(AutoConfig.from_pretrained(path))", "ValueError: BertModel cannot be built from a DistilBertConfig"),
        ]
        for (line, message) in cases {
            let source = "import torch\nfrom transformers import AutoConfig, AutoModel, BertModel, BertConfig\npath = '\(tiny)'\n\(line)"
            XCTAssertTrue(runProgram(source, file: "t.sbpl").stderr.contains(": \(message)\n"), line)
        }
    }
}
