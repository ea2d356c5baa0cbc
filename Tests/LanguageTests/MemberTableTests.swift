import Diagnostics
import Language
import Logging
import Testing

/// Each type declares its methods and attributes once: what completion and `dir()` list is what attribute lookup
/// answers, and `help()` shows each method's Python signature.
@Suite struct MemberTableTests {
    private static let values = ["s": "'text'", "l": "[1, 2]", "d": "{'a': 1}", "t": "torch.tensor([[1.0, 2.0]])",
                                 "size": "torch.tensor([1]).shape", "dtype": "torch.float32", "f": "1.5"]

    private func interpreter() throws -> Interpreter {
        let interpreter = Interpreter(write: { _ in }, logger: Logger(label: "test", writingTo: .buffer(LogBuffer())))
        let source = "import torch\n" + Self.values.map { "\($0.key) = \($0.value)" }.joined(separator: "\n")
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

    @Test func helpShowsPythonSignatures() throws {
        let interpreter = try interpreter()
        let help = interpreter.describe(interpreter.value(ofDottedName: "t"))
        #expect(help.contains("max(dim=None, keepdim=False): "))
        #expect(help.contains("permute(*dims): "))
        #expect(help.contains("shape: "))
    }
}
