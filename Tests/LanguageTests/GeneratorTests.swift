import Testing

/// Generators end with the script and never leave their thread waiting.
@Suite struct GeneratorTests {
    /// A generator a script leaves paused is closed when the script ends, as CPython closes it at exit.
    @Test func aPausedGeneratorIsClosedWhenTheScriptEnds() {
        let source = "def g():\n    try:\n        yield 1\n    finally:\n        print('closed')\nkept = g()\nprint(next(kept))\n"
        let result = runProgram(source)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "1\nclosed\n")
    }

    /// A body that catches GeneratorExit and yields again gets CPython's RuntimeError from `close()` and is then
    /// unwound past its `except` clauses, so its thread ends (CPython would resume it once more at exit).
    @Test func aGeneratorIgnoringGeneratorExitStillEnds() {
        let source = """
            def stubborn():
                while True:
                    try:
                        yield 1
                    except GeneratorExit:
                        print("ignored")
            g = stubborn()
            next(g)
            try:
                g.close()
            except RuntimeError as error:
                print("RuntimeError:", error)
            print("end")
            """
        let result = runProgram(source)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "ignored\nRuntimeError: generator ignored GeneratorExit\nend\n")
    }
}
