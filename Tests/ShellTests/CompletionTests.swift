import Bindings
import Diagnostics
import Foundation
import Hub
import Language
import Logging
@testable import Shell
import TestSupport
import XCTest

final class CompletionTests: XCTestCase {
    private func completion(_ setup: String) throws -> Completion {
        let interpreter = Interpreter(write: { _ in }, logger: Logger(label: "test", writingTo: .buffer(LogBuffer())))
        Bindings.install(into: interpreter)
        try interpreter.run(setup)
        return Completion(interpreter: interpreter, cache: HubCache(root: try Fixtures.temporaryDirectory()))
    }

    func testNamesAttributesKeysAndModules() throws {
        let c = try completion("import torch\nlogits = torch.ones(2)\nenc = {'input_ids': 1, 'attention_mask': 2}\nlong_name = 1")
        XCTAssertEqual(c.complete("long_n").insert, "ame")
        XCTAssertEqual(c.complete("logits.soft").insert, "max")
        XCTAssertEqual(c.complete("enc['inp").insert, "ut_ids']")
        XCTAssertEqual(c.complete("enc[\"att").insert, "ention_mask\"]")
        XCTAssertEqual(c.complete("import tor").insert, "ch")
        XCTAssertEqual(Set(c.complete("logits.s").candidates), ["size", "softmax", "sqrt", "squeeze", "sum", "shape", "std", "sort", "sigmoid", "split", "sub_", "sin", "stride", "sign", "square", "swapaxes", "swapdims", "scatter", "scatter_add"])
        XCTAssertEqual(c.complete("whi").insert, "le")
    }

    func testCheckpointNamesFromTheLocalCache() throws {
        var c = try completion("")
        let dir = try Fixtures.temporaryDirectory()
        try HubFixture.install(dir, as: "sentence-transformers/all-MiniLM-L6-v2", in: c.cache.root)
        try HubFixture.install(dir, as: "distilbert/distilbert-base-uncased", in: c.cache.root)
        c.cache = HubCache(root: c.cache.root)
        XCTAssertEqual(c.complete("AutoModel.from_pretrained(\"sent").insert, "ence-transformers/all-MiniLM-L6-v2")
        XCTAssertEqual(c.complete("AutoModel.from_pretrained('").candidates.count, 2)
    }
}

final class CellReaderTests: XCTestCase {
    func testWhenACellIsComplete() {
        XCTAssertTrue(CellReader.isComplete(["x = 1"]))
        XCTAssertFalse(CellReader.isComplete(["x = (1,"]))
        XCTAssertTrue(CellReader.isComplete(["x = (1,", "2)"]))
        XCTAssertFalse(CellReader.isComplete(["s = '''doc"]))
        XCTAssertFalse(CellReader.isComplete(["x = 1 + \\"]))
        XCTAssertFalse(CellReader.isComplete(["for i in range(3):"]))
        XCTAssertFalse(CellReader.isComplete(["for i in range(3):", "    print(i)"]))
        XCTAssertTrue(CellReader.isComplete(["for i in range(3):", "    print(i)", ""]))
        XCTAssertTrue(CellReader.isComplete(["x = $"]), "a syntax error is complete: it is reported, not waited on")
        XCTAssertFalse(CellReader.isComplete(["%%time"]), "a cell magic's body, as IPython's check_complete, ends at a blank line")
        XCTAssertFalse(CellReader.isComplete(["%%writefile a.py", "x = 1"]))
        XCTAssertTrue(CellReader.isComplete(["%%writefile a.py", "x = 1", ""]))
    }

    func testAutoIndent() {
        XCTAssertEqual(CellReader.indentation(after: ["for i in x:"]), "    ")
        XCTAssertEqual(CellReader.indentation(after: ["def f():", "    if x:"]), "        ")
        XCTAssertEqual(CellReader.indentation(after: ["def f():", "    return 1"]), "")
        XCTAssertEqual(CellReader.indentation(after: ["while x:", "    y = 1"]), "    ")
    }
}
