import Foundation
import Hub
import Language
@testable import Shell
import TestSupport
import Testing

@Suite struct CompletionTests {
    private func completion(_ setup: String) throws -> Completion {
        let interpreter = Interpreter(write: { _ in }, warn: { _ in })
        try interpreter.run(setup)
        return Completion(interpreter: interpreter, cache: HubCache(root: try Fixtures.temporaryDirectory()))
    }

    @Test func namesAttributesKeysAndModules() throws {
        let c = try completion("import torch\nlogits = torch.ones(2)\nenc = {'input_ids': 1, 'attention_mask': 2}\nlong_name = 1")
        #expect(c.complete("long_n").insert == "ame")
        #expect(c.complete("logits.arg").insert == "max")
        #expect(c.complete("enc['inp").insert == "ut_ids']")
        #expect(c.complete("enc[\"att").insert == "ention_mask\"]")
        #expect(c.complete("import tor").insert == "ch")
        #expect(Set(c.complete("logits.s").candidates) == ["size", "softmax", "sqrt", "squeeze", "sum", "shape"])
        #expect(c.complete("whi").insert == "le")
    }

    @Test func checkpointNamesFromTheLocalCache() throws {
        var c = try completion("")
        let dir = try Fixtures.temporaryDirectory()
        try HubFixture.install(dir, as: "sentence-transformers/all-MiniLM-L6-v2", in: c.cache.root)
        try HubFixture.install(dir, as: "distilbert/distilbert-base-uncased", in: c.cache.root)
        c.cache = HubCache(root: c.cache.root)
        #expect(c.complete("AutoModel.from_pretrained(\"sent").insert == "ence-transformers/all-MiniLM-L6-v2")
        #expect(c.complete("AutoModel.from_pretrained('").candidates.count == 2)
    }
}

@Suite struct CellReaderTests {
    @Test func whenACellIsComplete() {
        #expect(CellReader.isComplete(["x = 1"]))
        #expect(!CellReader.isComplete(["x = (1,"]))
        #expect(CellReader.isComplete(["x = (1,", "2)"]))
        #expect(!CellReader.isComplete(["s = '''doc"]))
        #expect(!CellReader.isComplete(["x = 1 + \\"]))
        #expect(!CellReader.isComplete(["for i in range(3):"]))
        #expect(!CellReader.isComplete(["for i in range(3):", "    print(i)"]))
        #expect(CellReader.isComplete(["for i in range(3):", "    print(i)", ""]))
        #expect(CellReader.isComplete(["x = $"]), "a syntax error is complete: it is reported, not waited on")
    }

    @Test func autoIndent() {
        #expect(CellReader.indentation(after: ["for i in x:"]) == "    ")
        #expect(CellReader.indentation(after: ["def f():", "    if x:"]) == "        ")
        #expect(CellReader.indentation(after: ["def f():", "    return 1"]) == "")
        #expect(CellReader.indentation(after: ["while x:", "    y = 1"]) == "    ")
    }
}
