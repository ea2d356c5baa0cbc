import Language
import Testing

/// `exit()` and `quit()` end a script with Python's status: none or None is 0, an int is itself, anything else is
/// printed to stderr with status 1; `SystemExit` is not an `Exception`, so `except Exception` lets it through.
@Suite struct ExitTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let source: String, stdout: String, stderr: String, status: Int32
        var testDescription: String { source.replacingOccurrences(of: "\n", with: "; ") }
    }

    static let cases = [
        Case(source: "print('a')\nexit(3)\nprint('b')", stdout: "a\n", stderr: "", status: 3),
        Case(source: "quit('bye')", stdout: "", stderr: "bye\n", status: 1),
        Case(source: "exit()", stdout: "", stderr: "", status: 0),
        Case(source: "exit(None)", stdout: "", stderr: "", status: 0),
        Case(source: "exit(2**70)", stdout: "", stderr: "", status: 255),
        Case(source: "exit(256 + 3)", stdout: "", stderr: "", status: 3),
        Case(source: "try:\n    exit(2)\nexcept Exception:\n    print('caught')", stdout: "", stderr: "", status: 2),
        Case(source: "try:\n    exit(2)\nexcept SystemExit as e:\n    print('caught', e.args)", stdout: "caught (2,)\n", stderr: "", status: 0),
    ]

    @Test(arguments: cases)
    func exitStatus(_ c: Case) {
        let result = runProgram(c.source, file: "t.sbpl")
        #expect(result.stdout == c.stdout)
        #expect(result.stderr == c.stderr)
        #expect(result.status == c.status)
    }
}
