import Foundation
import Language
import TestSupport
import Testing

/// One program of Fixtures/autograd.jsonl (scripts/fixtures/autograd_goldens.py): what PyTorch printed for it with
/// gradients on, addresses written `0x...`, and the error it raised (`Kind: message`), if any.
struct AutogradRow: Decodable, Sendable, CustomTestStringConvertible {
    let name: String
    let code: String
    let stdout: String
    let error: String?

    var testDescription: String { name }

    static func all() throws -> [AutogradRow] {
        try Fixtures.rows(AutogradRow.self, in: Fixtures.url("Fixtures/autograd.jsonl"))
    }

    /// `<MulBackward0 object at 0x7f3b61abfe80>` as `<MulBackward0 object at 0x...>`.
    static func maskingAddresses(_ text: String) -> String {
        text.replacingOccurrences(of: "0x[0-9a-f]+", with: "0x...", options: .regularExpression)
    }
}

/// `requires_grad`, `is_leaf`, `grad_fn` and the printed suffixes, as torch records them for every operation.
@Suite struct AutogradTests {
    @Test func autogradFixtureHasEveryRow() throws {
        #expect(try AutogradRow.all().count == 111)
    }

    @Test(arguments: try AutogradRow.all())
    func programPrintsWhatTorchPrints(_ row: AutogradRow) {
        let result = runProgram(row.code, file: "autograd.sbpl")
        #expect(AutogradRow.maskingAddresses(result.stdout) == row.stdout, "\(result.stderr)")
        if let error = row.error {
            #expect(result.status == 1 && result.stderr.contains(error), "\(result.stderr)")
        } else {
            #expect(result.status == 0, "\(result.stderr)")
        }
    }

    /// sbpl records the graph but never runs it: backward() on a tensor that requires grad says so.
    @Test func backwardIsNotSupportedYet() {
        let result = runProgram("import torch\nx = torch.tensor([1.0], requires_grad=True)\n(x * 2).sum().backward()", file: "t.sbpl")
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("t.sbpl:3:14: NotImplementedError: sbpl does not support backward() yet: it runs models for inference only"),
                "\(result.stderr)")
    }

    /// An error inside `with torch.no_grad():` leaves grad mode as it was before the block (the shell goes on).
    @Test func gradModeIsRestoredWhenTheBlockFails() {
        var out = ""
        let interpreter = Interpreter(write: { out += $0 }, warn: { _ in })
        let statuses = ScriptRunner.onLargeStack {
            [ScriptRunner.run("import torch\nwith torch.no_grad():\n    1 / 0", file: "a.sbpl", in: interpreter),
             ScriptRunner.run("print(torch.is_grad_enabled())", file: "b.sbpl", in: interpreter)]
        }
        #expect(statuses == [1, 0])
        #expect(out == "True\n")
    }

    /// Parameters of a loaded model require grad and print as torch prints them; state_dict() holds plain tensors.
    @Test func modelParametersArePrintedAsParameters() throws {
        let path = Fixtures.repositoryRoot.appendingPathComponent("Tests/ModelsTests/Fixtures/tiny-distilbert-sst2").path
        let result = runProgram("""
            from transformers import AutoModelForSequenceClassification
            model = AutoModelForSequenceClassification.from_pretrained("\(path)")
            p = model.parameters()[-1]
            print(repr(p).splitlines()[0], p.requires_grad, p.is_leaf)
            s = model.state_dict()["classifier.bias"]
            print(s.requires_grad, repr(s).startswith("tensor("))
            """)
        #expect(result.stdout == "Parameter containing: True True\nFalse True\n", "\(result.stderr)")
    }
}
