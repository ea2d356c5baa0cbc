import Foundation
import Subprocess
import Testing

/// Runs `Fixtures/kernel_client.py` (jupyter_client driving `sbpl kernel`) with the test venv's python and reads
/// the JSON it prints. The venv is `SBPL_KERNEL_PYTHON` (the Makefile sets it), else
/// `~/.cache/sbpl/test-venv/bin/python`; without it the test is cancelled, or fails under `CI`.
enum KernelClientScript {
    static let timeout = Duration.seconds(120)

    /// What the scenario reported: its JSON object.
    static func run(_ scenario: String) async throws -> [String: Any] {
        try await report(scenario, arguments: [try sbpl().path, scenario])
    }

    /// What `--installed NAME` reported: the kernelspec NAME found in `dataDirectory`, started and used.
    static func runInstalled(_ name: String, dataDirectory: URL) async throws -> [String: Any] {
        try await report("--installed", arguments: ["--installed", name], environment: ["JUPYTER_DATA_DIR": dataDirectory.path])
    }

    /// What `--nbclient NAME NOTEBOOK` reported: the notebook's code cells after nbclient ran them on the
    /// kernelspec NAME found in `dataDirectory`.
    static func runNotebook(_ notebook: URL, kernel name: String, dataDirectory: URL) async throws -> [String: Any] {
        try await report("--nbclient", arguments: ["--nbclient", name, notebook.path], environment: ["JUPYTER_DATA_DIR": dataDirectory.path])
    }

    /// The JSON object the script printed when run with `arguments`.
    private static func report(_ scenario: String, arguments: [String], environment: [String: String] = [:]) async throws -> [String: Any] {
        let result = try await run(try python(), [script.path] + arguments, environment: environment)
        guard result.status == 0 else { throw ScriptFailure(scenario: scenario, detail: "exit status \(result.status): \(result.err)") }
        guard let object = try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any] else {
            throw ScriptFailure(scenario: scenario, detail: "printed no JSON object: \(result.out)")
        }
        return object
    }

    /// What `executable` printed and its exit status; a failure when it outlives `timeout` (it is killed).
    static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) async throws -> Finished {
        let changes = Dictionary(uniqueKeysWithValues: environment.compactMap { key, value in
            Environment.Key(rawValue: key).map { ($0, Optional(value)) }
        })
        return try await withTimeout(arguments.joined(separator: " ")) {
            let result = try await Subprocess.run(.path(.init(executable)), arguments: Arguments(arguments),
                                                  environment: .inherit.updating(changes),
                                                  output: .string(limit: 16 << 20), error: .string(limit: 16 << 20))
            let status: Int32
            switch result.terminationStatus {
            case .exited(let code): status = code
            case .signaled(let signal): status = 128 + signal
            }
            return Finished(out: result.standardOutput, err: result.standardError, status: status)
        }
    }

    /// What a finished process printed and its exit status.
    struct Finished: Sendable {
        let out: String
        let err: String
        let status: Int32
    }

    static var script: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/kernel_client.py")
    }

    /// The python that has jupyter_client.
    static func python() throws -> String {
        let path = fixturePath("SBPL_KERNEL_PYTHON", default: "test-venv/bin/python")
        guard FileManager.default.isExecutableFile(atPath: path) else { try missing("the kernel test venv (jupyter_client)", at: path) }
        return path
    }

    /// Ends the calling test unless the MiniLM weights (`SBPL_MINILM_DIR`) are there; the script reads the same
    /// variable.
    static func requireMiniLM() throws {
        let path = fixturePath("SBPL_MINILM_DIR", default: "all-MiniLM-L6-v2")
        guard FileManager.default.fileExists(atPath: path + "/model.safetensors") else { try missing("the MiniLM weights", at: path) }
    }

    /// `variable`'s value, else `relative` under `~/.cache/sbpl`, where the Makefile puts its fixtures.
    private static func fixturePath(_ variable: String, default relative: String) -> String {
        ProcessInfo.processInfo.environment[variable].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory() + "/.cache/sbpl/" + relative
    }

    /// A fixture that is not there: under `CI` the test fails, elsewhere it is cancelled (skipped).
    private static func missing(_ what: String, at path: String) throws -> Never {
        let message = "\(what) not found at \(path): run `make test` first"
        if !(ProcessInfo.processInfo.environment["CI"] ?? "").isEmpty { throw ScriptFailure(scenario: "setup", detail: message) }
        try Test.cancel(Comment(rawValue: message))
    }

    /// The `sbpl` executable built beside the test bundle (`SBPL_BINARY` overrides it).
    static func sbpl() throws -> URL {
        if let path = ProcessInfo.processInfo.environment["SBPL_BINARY"], !path.isEmpty { return URL(fileURLWithPath: path) }
        let bundle = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        let binary = bundle.deletingLastPathComponent().appendingPathComponent("sbpl")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw ScriptFailure(scenario: "setup", detail: "no sbpl executable at \(binary.path): run `swift build --build-tests`")
        }
        return binary
    }

    /// `body`'s result, or a failure once `timeout` has passed (cancelling `body`, which ends its process).
    private static func withTimeout(_ scenario: String, _ body: @escaping @Sendable () async throws -> Finished) async throws -> Finished {
        try await withThrowingTaskGroup(of: Finished?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let finished = first else {
                throw ScriptFailure(scenario: scenario, detail: "did not finish within \(timeout)")
            }
            return finished
        }
    }
}

/// The client script failed or printed something unexpected.
struct ScriptFailure: Error, CustomStringConvertible {
    let scenario: String
    let detail: String
    var description: String { "kernel_client.py \(scenario): \(detail)" }
}
