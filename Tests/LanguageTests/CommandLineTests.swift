import Foundation
import TestSupport
import XCTest

/// The `sbpl` binary as a user runs it: scripts, `-c`, standard input, exit statuses, Ctrl-C.
final class CommandLineTests: XCTestCase {
    private var binary: URL { Fixtures.repositoryRoot.appendingPathComponent(".build/debug/sbpl") }

    @discardableResult
    private func run(_ arguments: [String], stdin: String? = nil, interruptAfter: Double? = nil) throws -> (out: String, err: String, status: Int32) {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        if let delay = interruptAfter {
            Thread.sleep(forTimeInterval: delay)
            kill(process.processIdentifier, SIGINT)
        }
        let stdout = out.fileHandleForReading.readDataToEndOfFile(), stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self), process.terminationStatus)
    }

    private func script(_ text: String) throws -> String {
        let url = try Fixtures.temporaryDirectory().appendingPathComponent("s.sbpl")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    func testRunsAScriptWithArguments() throws {
        let path = try script("#!/usr/bin/env sbpl\nimport sys\nprint(sys.argv[1:], 'ok')\n")
        let r = try run([path, "a", "b"])
        XCTAssertEqual(r.out, "['a', 'b'] ok\n")
        XCTAssertEqual(r.status, 0)
    }

    func testDashCAndStandardInput() throws {
        XCTAssertEqual(try run(["-c", "print(6 * 7)"]).out, "42\n")
        let piped = try run([], stdin: "x = 2\nprint(x ** 10)\nx\n")
        XCTAssertEqual(piped.out, "1024\n", "expression statements print nothing in scripts")
        XCTAssertEqual(piped.status, 0)
    }

    func testHelpAndVersion() throws {
        XCTAssertTrue(try run(["--help"]).out.hasPrefix("usage: sbpl"))
        XCTAssertEqual(try run(["--version"]).out, "sbpl 0.1.0\n")
        XCTAssertEqual(try run(["--bogus"]).status, 2)
    }

    func testSubcommandsHaveTheirOwnHelpAndArgumentsAfterCodeAreTheScripts() throws {
        let help = try run(["download", "--help"])
        XCTAssertTrue(help.out.contains("USAGE: sbpl download <repo> [--revision <revision>]"), help.out)
        XCTAssertEqual(help.status, 0)
        XCTAssertEqual(try run(["download"]).status, 2, "a missing REPO is a usage error")
        XCTAssertEqual(try run(["-c", "import sys; print(sys.argv)", "-V", "--help"]).out, "['-c', '-V', '--help']\n")
        XCTAssertEqual(try run(["run", "-c", "print('run')"]).out, "run\n", "`run` is the default subcommand")
        let missing = try run(["-c"])
        XCTAssertTrue(missing.err.hasPrefix("sbpl: argument expected for the -c option\nusage: sbpl"), missing.err)
        XCTAssertEqual(missing.status, 2)
    }

    func testErrorsExitOneAfterTheOutputSoFar() throws {
        let r = try run(["-c", "print('before')\nprint(undefined)"])
        XCTAssertEqual(r.out, "before\n")
        XCTAssertEqual(r.err, "<string>:2:7: NameError: name 'undefined' is not defined\n    print(undefined)\n          ^\n")
        XCTAssertEqual(r.status, 1)
    }

    func testUnreadableAndBinaryFilesAreRefused() throws {
        XCTAssertEqual(try run(["/no/such/file.sbpl"]).err, "sbpl: OSError: can't open file '/no/such/file.sbpl': No such file or directory\n")
        let binary = try Fixtures.temporaryDirectory().appendingPathComponent("b.sbpl")
        try Data([0x7F, 0x45, 0x4C, 0x46, 0x00, 0x01]).write(to: binary)
        let r = try run([binary.path])
        XCTAssertEqual(r.err, "sbpl: SyntaxError: \(binary.path): source code cannot contain null bytes (is it a binary file?)\n")
        XCTAssertEqual(r.status, 1)
        let latin1 = try Fixtures.temporaryDirectory().appendingPathComponent("l.sbpl")
        try Data([0x70, 0x72, 0x69, 0x6E, 0x74, 0x28, 0xE9, 0x29]).write(to: latin1)
        XCTAssertEqual(try run([latin1.path]).err, "sbpl: SyntaxError: \(latin1.path) is not UTF-8 text\n")
    }

    func testControlCStopsARunningScriptWithStatus130() throws {
        let r = try run(["-c", "print('started', flush=True)\nwhile True:\n    pass"], interruptAfter: 1.0)
        XCTAssertEqual(r.out, "started\n")
        XCTAssertTrue(r.err.contains("KeyboardInterrupt"), r.err)
        XCTAssertEqual(r.status, 130)
    }
}
