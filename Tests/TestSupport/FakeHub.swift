import Foundation

/// The loopback server in Tests/HubTests/Fixtures/fake_hub.py, serving the repositories under `root`.
public final class FakeHub {
    public let root: URL
    public let endpoint: URL
    private let process: Process

    /// Starts a server for `root` (`<org>/<name>/<file>`), in `mode` normal, truncate or corrupt.
    public init(root: URL, mode: String = "normal") throws {
        self.root = root
        let portFile = root.appendingPathComponent("port")
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Fixtures.repositoryRoot.appendingPathComponent("Tests/HubTests/Fixtures/fake_hub.py").path,
                             root.path, portFile.path, mode]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        for _ in 0..<200 where !FileManager.default.fileExists(atPath: portFile.path) { Thread.sleep(forTimeInterval: 0.05) }
        Thread.sleep(forTimeInterval: 0.05)
        endpoint = URL(string: "http://127.0.0.1:" + (try String(contentsOf: portFile, encoding: .utf8)))!
    }

    deinit { stop() }

    /// Stops the server (also done when it is released).
    public func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }

    /// Request lines the server saw, with their Range and Authorization headers.
    public var requests: String { (try? String(contentsOf: root.appendingPathComponent("requests.log"), encoding: .utf8)) ?? "" }
}
