import Foundation
import Language
import TestSupport
import Testing

/// A program with one error, and the report it must get: `FILE:LINE:COL: Kind: message`, the line and a caret
/// (or, for a one-line report, its beginning).
struct ErrorCase: Sendable, CustomTestStringConvertible {
    let source: String
    let report: String

    init(_ source: String, _ report: String) {
        self.source = source
        self.report = report
    }

    var testDescription: String { String(source.prefix(40)).replacingOccurrences(of: "\n", with: "; ") }

    static let all: [ErrorCase] = [
        ErrorCase("x = (1,", "t.sbpl:1:5: SyntaxError: '(' was never closed\n    x = (1,\n        ^"),
        ErrorCase("print(y)", "t.sbpl:1:7: NameError: name 'y' is not defined\n    print(y)\n          ^"),
        ErrorCase("x = 1\nx.foo", "t.sbpl:2:2: AttributeError: 'int' object has no attribute 'foo'\n    x.foo\n     ^"),
        ErrorCase("'a' + 1", "t.sbpl:1:5: TypeError: can only concatenate str (not \"int\") to str\n    'a' + 1\n        ^"),
        ErrorCase("len(1, 2)", "t.sbpl:1:1: TypeError: len() takes 1 positional argument but 2 were given\n    len(1, 2)\n    ^"),
        ErrorCase("print(1, sepp=2)", "t.sbpl:1:1: TypeError: print() got an unexpected keyword argument 'sepp'\n    print(1, sepp=2)\n    ^"),
        ErrorCase("x = 1 / 0", "t.sbpl:1:7: ZeroDivisionError: division by zero\n    x = 1 / 0\n          ^"),
        ErrorCase("[1, 2][5]", "t.sbpl:1:7: IndexError: list index out of range\n    [1, 2][5]\n          ^"),
        ErrorCase("{'a': 1}['b']", "t.sbpl:1:9: KeyError: 'b'\n    {'a': 1}['b']\n            ^"),
        ErrorCase("async def f(): pass", "t.sbpl:1:1: SyntaxError: 'async' is not supported by sbpl\n    async def f(): pass\n    ^"),
        // generators: `yield` only in a function; an error in the body surfaces at the next() that ran it, at its line
        ErrorCase("yield 1", "t.sbpl:1:1: SyntaxError: 'yield' outside function\n    yield 1\n    ^"),
        // found before anything runs, as CPython compiles the whole file first
        ErrorCase("print(1)\nreturn 5", "t.sbpl:2:1: SyntaxError: 'return' outside function\n    return 5\n    ^"),
        ErrorCase("for i in []:\n    pass\nelse:\n    break", "t.sbpl:4:5: SyntaxError: 'break' outside loop"),
        ErrorCase("while True:\n    def f():\n        continue", "t.sbpl:3:9: SyntaxError: 'continue' not properly in loop"),
        ErrorCase("def f():\n    from os import *", "t.sbpl:2:5: SyntaxError: import * only allowed at module level\n        from os import *\n        ^"),
        ErrorCase("def g():\n    yield 1\n    x = 1 / 0\nit = g()\nnext(it)\nnext(it)",
                  "t.sbpl:3:11: ZeroDivisionError: division by zero\n        x = 1 / 0\n              ^"),
        ErrorCase("def g(n):\n    yield from g(n + 1)\nnext(g(0))", "t.sbpl:2:5: RecursionError: maximum recursion depth exceeded"),
        // classes: CPython 3.11's AttributeError, the program's exception classes by name
        ErrorCase("class C:\n    pass\nC().x", "t.sbpl:3:4: AttributeError: 'C' object has no attribute 'x'\n    C().x\n       ^"),
        ErrorCase("class MyError(Exception):\n    pass\nraise MyError('bad')", "t.sbpl:3:7: MyError: bad\n    raise MyError('bad')\n          ^"),
        ErrorCase("class S(dict):\n    pass", "t.sbpl:1:9: NotImplementedError: sbpl does not support subclassing <class 'dict'> yet\n    class S(dict):\n            ^"),
        ErrorCase("if True:\nprint(1)", "t.sbpl:2:1: IndentationError: expected an indented block\n    print(1)\n    ^"),
        ErrorCase("import scipy", "t.sbpl:1:1: ModuleNotFoundError: No module named 'scipy' (sbpl has bisect, collections, copy, dataclasses, functools, heapq, itertools, json, math, numpy, operator, os, os.path, pathlib, random, re, safetensors, safetensors.torch, shutil, string, sys, tempfile, time, tokenizers, tokenizers.decoders, tokenizers.models, tokenizers.normalizers, tokenizers.pre_tokenizers, tokenizers.processors, tokenizers.trainers, torch, torch.ao, torch.ao.quantization, torch.nn, torch.nn.functional, torch.nn.init, torch.nn.utils, torch.optim, torch.quantization, torch.utils, torch.utils.data, tqdm, tqdm.auto, tqdm.notebook, transformers, transformers.logging, typing, unicodedata, warnings)\n    import scipy\n    ^"),
        ErrorCase("def f():\n    return f()\nf()", "t.sbpl:2:12: RecursionError: maximum recursion depth exceeded\n        return f()\n               ^"),
        ErrorCase("import torch\ntorch.ones(2, 3) @ torch.ones(2, 3)",
                  "t.sbpl:2:18: RuntimeError: mat1 and mat2 shapes cannot be multiplied (2x3 and 2x3)\n    torch.ones(2, 3) @ torch.ones(2, 3)\n                     ^"),
        ErrorCase("import torch\ntorch.nn.Conv2d(3, 8, 3)", "t.sbpl:2:9: NotImplementedError: sbpl does not support torch.nn.Conv2d yet\n    torch.nn.Conv2d(3, 8, 3)\n            ^"),
        ErrorCase("import torch\ntorch.tensr([1])", "t.sbpl:2:6: AttributeError: module 'torch' has no attribute 'tensr'\n    torch.tensr([1])\n         ^"),
        ErrorCase("import torch\ntorch.ones(2).logcumsumexp(0)", "t.sbpl:2:14: NotImplementedError: sbpl does not support Tensor.logcumsumexp yet\n    torch.ones(2).logcumsumexp(0)\n                 ^"),
        ErrorCase("import torch\ntorch.nn.functional.dropout(torch.ones(2), inplace=True)", "t.sbpl:2:20: NotImplementedError: sbpl does not support dropout(..., inplace=True) yet\n    torch.nn.functional.dropout(torch.ones(2), inplace=True)\n                       ^"),
        ErrorCase("import torch\ntorch.tensor([1.0], dtype=torch.float64).softmax(0)", "t.sbpl:2:41: NotImplementedError: sbpl does not support softmax() on float64 tensors yet\n    torch.tensor([1.0], dtype=torch.float64).softmax(0)\n                                            ^"),
        ErrorCase("from tokenizers import models\nmodels.WordLevel()", "t.sbpl:2:7: NotImplementedError: sbpl does not support tokenizers.models.WordLevel yet\n    models.WordLevel()\n          ^"),
        ErrorCase("from torch import complex64", "t.sbpl:1:1: NotImplementedError: sbpl does not support torch.complex64 yet\n    from torch import complex64\n    ^"),
        ErrorCase("import torch\ntorch.tensor([1, 2])[3]", "t.sbpl:2:21: IndexError: index 3 is out of bounds for dimension 0 with size 2\n    torch.tensor([1, 2])[3]\n                        ^"),
        ErrorCase("[0] * 10 ** 12", "t.sbpl:1:5: MemoryError\n    [0] * 10 ** 12\n        ^"),
        ErrorCase("f'{1:>100000000000}'", "t.sbpl:1:1: MemoryError\n    f'{1:>100000000000}'\n    ^"),
        ErrorCase("f'{1.5:.100000000000f}'", "t.sbpl:1:1: ValueError: precision too big\n    f'{1.5:.100000000000f}'\n    ^"),
        ErrorCase("'a'.center(10 ** 12)", "t.sbpl:1:4: MemoryError\n    'a'.center(10 ** 12)\n       ^"),
        ErrorCase("list(range(10 ** 12))", "t.sbpl:1:1: MemoryError\n    list(range(10 ** 12))\n    ^"),
        ErrorCase("len(range(-2 ** 62, 2 ** 62))", "t.sbpl:1:1: OverflowError: Python int too large to convert to C ssize_t\n    len(range(-2 ** 62, 2 ** 62))\n    ^"),
        ErrorCase("x = 'ab' * 2 ** 70", "t.sbpl:1:10: OverflowError: cannot fit 'int' into an index-sized integer\n    x = 'ab' * 2 ** 70\n             ^"),
        // Python's messages for numbers past what a float or an index can hold (CPython 3.11 raises these)
        ErrorCase("round(float('inf'))", "t.sbpl:1:1: OverflowError: cannot convert float infinity to integer"),
        ErrorCase("import math\nmath.floor(float('nan'))", "t.sbpl:2:5: ValueError: cannot convert float NaN to integer"),
        ErrorCase("x = 2.0 ** 10000", "t.sbpl:1:9: OverflowError: (34, 'Numerical result out of range')"),
        ErrorCase("float('0x10')", "t.sbpl:1:1: ValueError: could not convert string to float: '0x10'"),
        ErrorCase("[1, 2][::0]", "t.sbpl:1:7: ValueError: slice step cannot be zero"),
        ErrorCase("max()", "t.sbpl:1:1: TypeError: max expected at least 1 argument, got 0"),
        ErrorCase("[1][2 ** 70]", "t.sbpl:1:4: IndexError: cannot fit 'int' into an index-sized integer"),
        ErrorCase("a = [0]\na.append(a)\nb = [0]\nb.append(b)\na == b", "t.sbpl:5:1: RecursionError: maximum recursion depth exceeded in comparison"),
        // NameError with CPython 3.11's suggestion of a close name (locals, then globals, then builtins)
        ErrorCase("pirnt('x')", "t.sbpl:1:1: NameError: name 'pirnt' is not defined. Did you mean: 'print'?"),
        ErrorCase("modle = 1\nmodel_name = 2\nprint(modl)", "t.sbpl:3:7: NameError: name 'modl' is not defined. Did you mean: 'modle'?"),
        ErrorCase("def f(alpha):\n    return alph\nf(1)", "t.sbpl:2:12: NameError: name 'alph' is not defined. Did you mean: 'alpha'?"),
        ErrorCase("Print(1)", "t.sbpl:1:1: NameError: name 'Print' is not defined. Did you mean: 'print'?"),
        ErrorCase("nonlocal x", "t.sbpl:1:1: SyntaxError: nonlocal declaration not allowed at module level"),
        // raise and try, with CPython's messages
        ErrorCase("raise KeyError('final')", "t.sbpl:1:7: KeyError: 'final'\n    raise KeyError('final')\n          ^"),
        ErrorCase("raise ValueError", "t.sbpl:1:7: ValueError"),
        ErrorCase("raise 5", "t.sbpl:1:7: TypeError: exceptions must derive from BaseException"),
        ErrorCase("raise", "t.sbpl:1:1: RuntimeError: No active exception to reraise"),
        ErrorCase("try:\n    1 / 0\nexcept 5:\n    pass", "t.sbpl:3:1: TypeError: catching classes that do not inherit from BaseException is not allowed"),
        ErrorCase("try:\n    x = 1\nprint(x)", "t.sbpl:3:1: SyntaxError: expected 'except' or 'finally' block"),
        ErrorCase("try:\n    x = 1\nexcept:\n    pass\nexcept ValueError:\n    pass", "t.sbpl:3:1: SyntaxError: default 'except:' must be last"),
        ErrorCase("try:\n    1 / 0\nexcept ValueError:\n    pass", "t.sbpl:2:7: ZeroDivisionError: division by zero"),
        // a task transformers has but sbpl does not, told apart from a name that is no task (transformers' KeyError)
        ErrorCase("from transformers import pipeline\npipeline('text2text-generation')", "t.sbpl:2:1: NotImplementedError: sbpl does not support the 'text2text-generation' pipeline yet (it has feature-extraction, fill-mask, ner, question-answering, sentiment-analysis, summarization, text-classification, text-generation, token-classification, translation, zero-shot-classification)"),
        // translation's default checkpoint depends on its language pair, as in transformers
        ErrorCase("from transformers import pipeline\npipeline('translation')", "t.sbpl:2:1: ValueError: The task defaults can't be correctly selected. You probably meant \"translation_XX_to_YY\""),
        ErrorCase("from transformers import pipeline\npipeline('translation_en_to_xx')", "t.sbpl:2:1: ValueError: The task does not provide any default models for options ('en', 'xx')"),
        ErrorCase("from transformers import pipeline\npipeline('nonsense')", "t.sbpl:2:1: KeyError: \"Unknown task nonsense, available tasks are ['audio-classification', 'automatic-speech-recognition', "),
        // torch's messages for Python ints and floats an int64 tensor cannot hold
        ErrorCase("import torch\ntorch.tensor([2 ** 70])", "t.sbpl:2:6: RuntimeError: Overflow when unpacking long"),
        ErrorCase("import torch\ntorch.tensor([1e30], dtype=torch.int64)", "t.sbpl:2:6: RuntimeError: value cannot be converted to type int64_t without overflow"),
        // Python accepts a lone surrogate; Swift strings cannot hold one, so sbpl says so instead of mangling it
        ErrorCase("'\\ud800'", "t.sbpl:1:1: SyntaxError: (unicode error) sbpl strings cannot hold the lone surrogate \\ud800"),
        ErrorCase("s = \"abc", "t.sbpl:1:5: SyntaxError: unterminated string literal\n    s = \"abc\n        ^"),
        ErrorCase("assert 1 == 2, 'no'", "t.sbpl:1:1: AssertionError: no\n    assert 1 == 2, 'no'\n    ^"),
        ErrorCase("x = ((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((1))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))",
                  "t.sbpl:1:205: SyntaxError: too many nested parentheses"),
    ]
}

/// One clear message per kind of bad input; exit 1.
@Suite struct ErrorTests {
    @Test(arguments: ErrorCase.all)
    func errorReportsPositionAndCaret(_ error: ErrorCase) {
        let result = runProgram(error.source, file: "t.sbpl")
        #expect(result.status == 1)
        if error.report.contains("\n") {
            #expect(result.stderr == error.report + "\n")
        } else {
            #expect(result.stderr.hasPrefix(error.report), "\(result.stderr)")
        }
    }

    /// Marian's checkpoints (`Helsinki-NLP/opus-mt-fr-en`) ship SentencePiece models and no tokenizer.json: a broken
    /// model is an error naming the file.
    @Test func aMarianCheckpointWithABrokenSentencePieceModelNamesIt() throws {
        let dir = try Fixtures.temporaryDirectory()
        try #"{"model_type": "marian", "architectures": ["MarianMTModel"]}"#.write(to: dir.appendingPathComponent("config.json"), atomically: true, encoding: .utf8)
        try #"{"</s>": 0, "<unk>": 1, "<pad>": 2}"#.write(to: dir.appendingPathComponent("vocab.json"), atomically: true, encoding: .utf8)
        for file in ["source.spm", "target.spm"] { try "".write(to: dir.appendingPathComponent(file), atomically: true, encoding: .utf8) }
        let result = runProgram("from transformers import pipeline\ntranslator = pipeline('translation', model='\(dir.path)')", file: "t.sbpl")
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("t.sbpl:2:14: ValueError: \(dir.path)/source.spm is not a valid SentencePiece model: it has no pieces"), "\(result.stderr)")
    }

    @Test func deepNestingIsRefusedNotCrashed() {
        let result = runProgram("x = " + String(repeating: "not ", count: 5000) + "1", file: "t.sbpl")
        #expect(result.stderr.hasPrefix("t.sbpl:1:"), "\(result.stderr)")
        #expect(result.stderr.contains("SyntaxError: too many nested expressions"), "\(result.stderr)")
    }

    @Test func whatWasPrintedBeforeAnErrorStays() {
        let result = runProgram("print('first')\nprint(1 / 0)\nprint('never')", file: "t.sbpl")
        #expect(result.stdout == "first\n")
        #expect(result.status == 1)
    }

    /// What this machine could not hold is refused as torch refuses it, before an allocation would end the program.
    @Test(arguments: ["torch.zeros(1000000, 1000000)", "torch.zeros(10 ** 10, 10 ** 10)", "torch.ones(100000, 1) + torch.ones(1, 100000)",
                      "torch.ones(100000, 1) @ torch.ones(1, 100000)", "torch.arange(10 ** 12)",
                      "torch.ones(1).expand(2 ** 40).contiguous()",
                      "from transformers import BertConfig, BertModel\nBertModel(BertConfig(vocab_size=10 ** 9))"])
    func tensorTooLargeForMemoryIsRefused(_ line: String) {
        let result = runProgram("import torch\n" + line, file: "t.sbpl")
        #expect(result.stderr.contains("RuntimeError: DefaultCPUAllocator: not enough memory: you tried to allocate "), "\(result.stderr)")
        #expect(result.status == 1)
    }

    @Test func aMissingCheckpointIsNamed() {
        let result = runProgram("from transformers import AutoModel\nAutoModel.from_pretrained('/nonexistent/dir')", file: "t.sbpl")
        #expect(result.stderr == "t.sbpl:2:10: OSError: '/nonexistent/dir' is neither a local folder nor a valid model id (ORG/NAME)\n    AutoModel.from_pretrained('/nonexistent/dir')\n             ^\n")
    }

    static let tiny = Fixtures.repositoryRoot.appendingPathComponent("Tests/ModelsTests/Fixtures/tiny-distilbert-sst2").path

    @Test(arguments: [
        // the chapter's "This line will fail": one sequence, not a batch
        ("AutoModel.from_pretrained(path)(torch.tensor([1, 2, 3]))",
         "IndexError: too many indices for tensor of dimension 1 (input_ids must be a batch, [batch, seq]: torch.tensor([ids]), not torch.tensor(ids))"),
        ("BertModel.from_pretrained(path)",
         "ValueError: BertModel cannot load '\(tiny)': it is a 'distilbert' checkpoint, not a 'bert' one; load it with AutoModel"),
        ("BertModel(5)", "TypeError: BertModel(config): config must be a config (BertConfig(), AutoConfig.from_pretrained(...)), not int"),
        ("BertModel(AutoConfig.from_pretrained(path))", "ValueError: BertModel cannot be built from a DistilBertConfig"),
    ])
    func modelErrorNamesTheProblem(_ line: String, _ message: String) {
        let source = "import torch\nfrom transformers import AutoConfig, AutoModel, BertModel, BertConfig\npath = '\(Self.tiny)'\n\(line)"
        let result = runProgram(source, file: "t.sbpl")
        #expect(result.stderr.contains(": \(message)\n"), "\(result.stderr)")
    }
}
