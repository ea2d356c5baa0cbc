import Bindings
import Diagnostics
import Language
import Logging
import TestSupport
import Testing

/// Each type declares its methods and attributes once: what completion and `dir()` list is what attribute lookup
/// answers, and `help()` shows each method's Python signature.
@Suite struct MemberTableTests {
    private static let tiny = Fixtures.repositoryRoot.appendingPathComponent("Tests/ModelsTests/Fixtures/tiny-distilbert-sst2").path
    private static let values = ["s": "'text'", "l": "[1, 2]", "d": "{'a': 1}", "t": "torch.tensor([[1.0, 2.0]])",
                                 "size": "torch.tensor([1]).shape", "dtype": "torch.float32", "f": "1.5",
                                 "m": "AutoModelForSequenceClassification.from_pretrained('\(tiny)')", "c": "m.config",
                                 "o": "m(torch.tensor([[1, 2, 3]]))"]

    private func interpreter() throws -> Interpreter {
        let interpreter = Interpreter(write: { _ in }, logger: Logger(label: "test", writingTo: .buffer(LogBuffer())))
        Bindings.install(into: interpreter)
        let assignments = ["s", "l", "d", "t", "size", "dtype", "f", "m", "c", "o"].map { "\($0) = \(Self.values[$0]!)" }
        let source = "import torch\nfrom transformers import AutoModelForSequenceClassification\n" + assignments.joined(separator: "\n")
        #expect(ScriptRunner.run(source, file: "<test>", in: interpreter) == 0)
        return interpreter
    }

    @Test(arguments: values.keys.sorted())
    func everyListedNameResolves(_ variable: String) throws {
        let interpreter = try interpreter()
        let value = try #require(interpreter.value(ofDottedName: variable))
        let names = interpreter.attributeNames(of: value)
        #expect(!names.isEmpty)
        for name in names {
            #expect(interpreter.value(ofDottedName: "\(variable).\(name)") != nil, "\(variable).\(name) is listed but does not resolve")
        }
    }

    /// What transformers answers for the tiny DistilBERT checkpoint's model and config.
    @Test func modelAndConfigMembers() throws {
        let interpreter = try interpreter()
        var out = ""
        interpreter.write = { out += $0 }
        try interpreter.run("print(type(m), type(c), c.hidden_size, c.to_dict()['dim'], c.num_labels, m.num_parameters(), list(o.keys()))")
        #expect(out == "<class 'transformers.models.distilbert.modeling_distilbert.DistilBertForSequenceClassification'> <class 'transformers.models.distilbert.configuration_distilbert.DistilBertConfig'> 32 32 2 19980 ['logits']\n")
        out = ""
        try interpreter.run("print(m.device, m.dtype, m.training, m.eval().training)")
        #expect(out == "cpu torch.float32 False False\n")
        out = ""
        try interpreter.run("print(o.keys(), type(o.values()).__name__, list(o.items())[0][0])")
        #expect(out == "odict_keys(['logits']) odict_values logits\n")
    }

    @Test func helpShowsPythonSignatures() throws {
        let interpreter = try interpreter()
        let help = interpreter.describe(interpreter.value(ofDottedName: "t"))
        #expect(help.contains("max(dim=None, keepdim=False): "))
        #expect(help.contains("permute(*dims): "))
        #expect(help.contains("shape: "))
    }
}
