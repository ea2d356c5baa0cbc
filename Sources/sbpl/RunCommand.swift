import ArgumentParser
import Bindings
import Foundation
import Language
import Logging
import Shell

/// The Python-style command, `sbpl [run] [-i] [-c CODE | FILE | -] [ARGS...]` (the default subcommand, so `run`
/// may be left out): everything after FILE or CODE is the script's `sys.argv[1:]`, dashes and all.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "run FILE, CODE, standard input or the shell (the default: `sbpl FILE` is `sbpl run FILE`)")

    static let version = "sbpl 0.1.0"

    @Flag(name: .customShort("i"))
    var interactive = false

    /// `-c`: the first of the arguments is CODE (so that, as in Python, the options end there).
    @Flag(name: .customShort("c"))
    var runsCode = false

    @Flag(name: [.customShort("V"), .long])
    var version = false

    @Flag(name: [.customShort("h"), .long])
    var help = false

    /// FILE (or CODE with `-c`) and the arguments after it, untouched.
    @ArgumentParser.Argument(parsing: .captureForPassthrough, help: ArgumentHelp(valueName: "FILE ARGS"))
    var script: [String] = []

    /// Python's kind of help: a usage line per form, then what each part does.
    static var helpText: String {
        let subcommands = SbplCommand.configuration.subcommands.map { command in
            let name = command.configuration.commandName ?? ""
            return "  " + name.padding(toLength: 12, withPad: " ", startingAt: 0) + command.configuration.abstract
        }
        return """
            usage: sbpl [-i] [-c CODE | FILE | -] [ARGS...]
                   sbpl SUBCOMMAND ...   (`sbpl SUBCOMMAND --help` for its own help)
                   sbpl --help | --version

            sbpl runs the Python of the Hugging Face course chapter "Behind the pipeline" natively.
              FILE        run a .sbpl script (`#!/usr/bin/env sbpl` works); ARGS become its sys.argv[1:]
              -           run the script on standard input
              -c CODE     run CODE
              -i          after running FILE or CODE, open the interactive shell with its variables
              (none)      the interactive shell on a terminal; a script from standard input otherwise

            subcommands:
            \(subcommands.joined(separator: "\n"))

            Checkpoints come from the Hugging Face cache (HF_HUB_CACHE, HF_HOME, ~/.cache/huggingface/hub) or a folder.
            """
    }

    func run() throws {
        if help { print(Self.helpText); return }
        if version { print(Self.version); return }
        let interpreter = Interpreter()
        Bindings.install(into: interpreter)
        if runsCode {
            guard let code = script.first else {
                throw CommandFailure(message: "argument expected for the -c option\n\(Self.helpText)", status: 2)
            }
            interpreter.arguments = ["-c"] + script.dropFirst()
            try finish(ScriptRunner.run(code, file: "<string>", in: interpreter), interpreter)
        } else if let path = script.first {
            guard path == "-" || !path.hasPrefix("-") else {
                throw CommandFailure(message: "unknown option \(path)\n\(Self.helpText)", status: 2)
            }
            if path.hasSuffix(".ipynb") { return try runNotebook(path, arguments: Array(script.dropFirst())) }
            interpreter.arguments = script
            try finish(ScriptRunner.run(try Self.read(path), file: path, in: interpreter), interpreter)
        } else if isatty(STDIN_FILENO) != 0 {
            throw ExitCode(Shell(interpreter).run())
        } else {
            interpreter.arguments = [""]
            throw ExitCode(ScriptRunner.run(Self.standardInput(), file: "<stdin>", in: interpreter))
        }
    }

    /// Ends with the script's `status`, or with `-i` (unless it was interrupted) in the shell, its variables kept.
    private func finish(_ status: Int32, _ interpreter: Interpreter) throws {
        throw ExitCode(interactive && status != 130 ? Shell(interpreter).run() : status)
    }

    /// The script at `path` (`-`: standard input).
    private static func read(_ path: String) throws -> String {
        if path == "-" { return standardInput() }
        return try CommandFailure.reporting { try ScriptRunner.read(path) }
    }

    private static func standardInput() -> String {
        String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
    }
}

/// A failure the CLI reports as `sbpl: MESSAGE` on stderr before exiting with `status`.
struct CommandFailure: Error {
    let message: String
    let status: Int32

    /// `body`'s result; an error it throws becomes a failure with its text and exit status 1.
    static func reporting<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch { throw CommandFailure(message: "\(error)", status: 1) }
    }
}
