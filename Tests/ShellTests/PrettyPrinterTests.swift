import Bindings
import Diagnostics
import Foundation
import Language
import Logging
@testable import Shell
import TestSupport
import Testing

/// One row of Fixtures/pretty.jsonl (scripts/fixtures/pretty_goldens.py): sbpl code whose last line is a value,
/// and what IPython 8's `IPython.lib.pretty.pretty` printed for that value.
struct PrettyRow: Decodable, Sendable, CustomTestStringConvertible {
    let name: String
    let code: String
    let pretty: String

    var testDescription: String { name }

    static func all() throws -> [PrettyRow] {
        try Fixtures.rows(PrettyRow.self, in: Fixtures.url("Fixtures/pretty.jsonl"))
    }
}

/// `Out[n]:` and a notebook's `text/plain` laid out as IPython lays them out.
@Suite struct PrettyPrinterTests {
    @Test func prettyFixtureHasEveryRow() throws {
        #expect(try PrettyRow.all().count == 27)
    }

    @Test(arguments: try PrettyRow.all())
    func laysOutAsIPython(_ row: PrettyRow) throws {
        let interpreter = Interpreter(write: { _ in }, logger: Logger(label: "test", writingTo: .buffer(LogBuffer())))
        Bindings.install(into: interpreter)
        let value = try #require(try interpreter.run(row.code))
        #expect(PrettyPrinter.pretty(value) == row.pretty)
    }

    @Test func aVeryDeepListPrintsAsItsRepr() throws {
        var value = Value.list(PyList([]))
        for _ in 0..<100_000 { value = .list(PyList([value])) }
        let text = PrettyPrinter.pretty(value)
        #expect(text.count == 200_002 && text.hasPrefix("[[[") && text.hasSuffix("]]]"))
    }
}
