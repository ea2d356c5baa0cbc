import Foundation

/// The venv the Makefile makes under `~/.cache/sbpl` for tests that drive real Python clients (jupyter_client,
/// nbclient, nbformat, huggingface_hub): its python is `SBPL_KERNEL_PYTHON`, else
/// `~/.cache/sbpl/test-venv/bin/python`; without it a test fails, saying how to make it.
public enum TestVenv {
    /// The venv's python.
    public static func python() throws -> URL {
        let path = cachePath("SBPL_KERNEL_PYTHON", default: "test-venv/bin/python")
        guard FileManager.default.isExecutableFile(atPath: path) else {
            try MissingFixture.stop("the tests' venv (jupyter_client, nbclient, huggingface_hub)", at: path)
        }
        return URL(fileURLWithPath: path)
    }

    /// `variable`'s value, else `relative` under `~/.cache/sbpl`, where the Makefile puts its fixtures.
    public static func cachePath(_ variable: String, default relative: String) -> String {
        ProcessInfo.processInfo.environment[variable].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory() + "/.cache/sbpl/" + relative
    }
}
