import Foundation
import TestSupport
import Testing

/// Runs `Fixtures/kernel_client.py` (jupyter_client driving `sbpl kernel`) with the test venv's python and reads
/// the JSON it prints. The venv is `SBPL_KERNEL_PYTHON` (the Makefile sets it), else
/// `~/.cache/sbpl/test-venv/bin/python`; without it the test fails, saying how to make it.
enum KernelClientScript {
    /// What the scenario reported (the kernel started with `environment` added): its JSON object.
    static func run(_ scenario: String, environment: [String: String?] = [:]) async throws -> [String: Any] {
        try await report(scenario, arguments: [try SbplBinary.url().path, scenario], environment: environment)
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
    private static func report(_ scenario: String, arguments: [String], environment: [String: String?] = [:]) async throws -> [String: Any] {
        let result = try await ChildProcess.run(try python(), [script.path] + arguments, environment: environment)
        guard result.status == 0 else { throw ScriptFailure(scenario: scenario, detail: "exit status \(result.status): \(result.err)") }
        guard let object = try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any] else {
            throw ScriptFailure(scenario: scenario, detail: "printed no JSON object: \(result.out)")
        }
        return object
    }

    static var script: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/kernel_client.py")
    }

    /// The python that has jupyter_client.
    static func python() throws -> URL { try TestVenv.python() }

    /// Ends the calling test unless the MiniLM weights (`SBPL_MINILM_DIR`) are there; the script reads the same
    /// variable.
    static func requireMiniLM() throws {
        let path = TestVenv.cachePath("SBPL_MINILM_DIR", default: "all-MiniLM-L6-v2")
        _ = try MissingFixture.require(URL(fileURLWithPath: path + "/model.safetensors"), "the MiniLM weights")
    }
}

/// The client script failed or printed something unexpected.
struct ScriptFailure: Error, CustomStringConvertible {
    let scenario: String
    let detail: String
    var description: String { "kernel_client.py \(scenario): \(detail)" }
}
