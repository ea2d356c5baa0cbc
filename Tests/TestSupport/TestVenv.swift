import Foundation

/// The venv the Makefile makes for tests that drive real Python clients (jupyter_client, nbclient,
/// huggingface_hub): `SBPL_KERNEL_PYTHON`, else `~/.cache/sbpl/test-venv/bin/python`. A test that needs it fails
/// when it is absent (`MissingFixture`).
public enum TestVenv {
    /// The venv's python.
    public static func python() throws -> URL {
        let path = ProcessInfo.processInfo.environment["SBPL_KERNEL_PYTHON"].flatMap { $0.isEmpty ? nil : $0 }
            ?? NSHomeDirectory() + "/.cache/sbpl/test-venv/bin/python"
        guard FileManager.default.isExecutableFile(atPath: path) else {
            try MissingFixture.stop("the test venv (jupyter_client, nbclient, huggingface_hub)", at: path)
        }
        return URL(fileURLWithPath: path)
    }
}
