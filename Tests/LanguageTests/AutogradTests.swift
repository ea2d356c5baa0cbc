import Bindings
import Diagnostics
import Foundation
import Language
import Logging
import TestSupport
import Testing

/// One program the reference ran (a row of Fixtures/autograd.jsonl, scripts/fixtures/autograd_goldens.py, or of
/// Fixtures/torch_save/programs.jsonl): what it printed, addresses written `0x...`, and the error it raised
/// (`Kind: message`), if any.
struct GoldenProgram: Decodable, Sendable, CustomTestStringConvertible {
    let name: String
    let code: String
    let stdout: String
    let error: String?

    var testDescription: String { name }

    /// The programs of the JSON-lines file `path` (under Tests/LanguageTests).
    static func all(_ path: String) throws -> [GoldenProgram] {
        try Fixtures.rows(GoldenProgram.self, in: Fixtures.url(path))
    }

    /// `<MulBackward0 object at 0x7f3b61abfe80>` as `<MulBackward0 object at 0x...>`.
    static func maskingAddresses(_ text: String) -> String {
        text.replacingOccurrences(of: "0x[0-9a-f]+", with: "0x...", options: .regularExpression)
    }
}

/// `requires_grad`, `is_leaf`, `grad_fn` and the printed suffixes, as torch records them for every operation, and
/// the gradients `backward()` leaves in `.grad`.
@Suite struct AutogradTests {
    @Test func autogradFixtureHasEveryRow() throws {
        #expect(try GoldenProgram.all("Fixtures/autograd.jsonl").count == 636)
    }

    @Test(arguments: try GoldenProgram.all("Fixtures/autograd.jsonl"))
    func programPrintsWhatTorchPrints(_ row: GoldenProgram) {
        let fixtures = Fixtures.repositoryRoot.appendingPathComponent("Tests/ModelsTests/Fixtures").path
        let result = runProgram(row.code.replacingOccurrences(of: "{fixtures}", with: fixtures), file: "autograd.sbpl")
        #expect(PrintedText.difference(GoldenProgram.maskingAddresses(result.stdout), row.stdout) == nil, "\(result.stderr)")
        if let error = row.error {
            #expect(result.status == 1 && result.stderr.contains(error), "\(result.stderr)")
        } else {
            #expect(result.status == 0, "\(result.stderr)")
        }
    }

    /// backward() through an operation it cannot differentiate says which, with the line it was called on.
    @Test func backwardThroughAQuantizedLayerSaysSo() {
        let checkpoint = Fixtures.repositoryRoot.appendingPathComponent("Tests/ModelsTests/Fixtures/tiny-distilbert-sst2").path
        let result = runProgram("""
            import torch
            from transformers import AutoModel
            model = torch.ao.quantization.quantize_dynamic(AutoModel.from_pretrained("\(checkpoint)"), {torch.nn.Linear}, dtype=torch.qint8)
            model(torch.tensor([[2, 7, 3]])).last_hidden_state.sum().backward()
            """, file: "t.sbpl")
        #expect(result.status == 1)
        #expect(result.stderr.contains("t.sbpl:4:57: NotImplementedError: sbpl cannot differentiate a dynamically quantized linear layer"), "\(result.stderr)")
    }

    /// An error inside `with torch.no_grad():` leaves grad mode as it was before the block (the shell goes on).
    @Test func gradModeIsRestoredWhenTheBlockFails() {
        var out = ""
        let interpreter = Interpreter(write: { out += $0 }, logger: Logger(label: "test", writingTo: .buffer(LogBuffer())))
        Bindings.install(into: interpreter)
        let statuses = ScriptRunner.onLargeStack {
            [ScriptRunner.run("import torch\nwith torch.no_grad():\n    1 / 0", file: "a.sbpl", in: interpreter),
             ScriptRunner.run("print(torch.is_grad_enabled())", file: "b.sbpl", in: interpreter)]
        }
        #expect(statuses == [1, 0])
        #expect(out == "True\n")
    }
}
