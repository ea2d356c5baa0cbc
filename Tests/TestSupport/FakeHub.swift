import Foundation
import Subprocess

/// The loopback server in Tests/HubTests/Fixtures/fake_hub.py, serving the repositories under `root`
/// (`<org>/<name>/<file>`), started through swift-subprocess for the length of a closure.
public struct FakeHub: Sendable {
    /// How the server answers: as the hub does, or with one of the faults fake_hub.py describes.
    public enum Mode: Sendable {
        case normal, truncate, corrupt
        /// The first weights body stops halfway, the connection closed; later ones are whole.
        case dropOnce
        /// Each weights body sends half of what is asked, then nothing for 30 s.
        case stall
        /// Each weights body comes 10 kB at a time, 0.1 s apart.
        case slow
        /// The weights' GET answers 200 with the whole file whatever its Range.
        case ignoreRange
        /// X-Repo-Commit names a path (`../../../../tmp/evil`), not a commit.
        case badCommit
        /// The weights' Content-Length is 100 bytes more than their X-Linked-Size.
        case wrongLength
        /// The weights' GET redirects to itself.
        case redirectLoop
        /// The weights' GET goes to the endpoint's host, 127.0.0.1, and is redirected to localhost.
        case crossHost
        /// The first `times` HEAD and the first `times` GET requests answer `status` (with `Retry-After` if given).
        case failing(status: Int, times: Int, retryAfter: Int? = nil)

        /// The mode as fake_hub.py's third argument.
        var argument: String {
            switch self {
            case .normal: "normal"
            case .truncate: "truncate"
            case .corrupt: "corrupt"
            case .dropOnce: "drop_once"
            case .stall: "stall"
            case .slow: "slow"
            case .ignoreRange: "ignore_range"
            case .badCommit: "bad_commit"
            case .wrongLength: "wrong_length"
            case .redirectLoop: "redirect_loop"
            case .crossHost: "cross_host"
            case .failing(let status, let times, let retryAfter): "fail:\(status):\(times)" + (retryAfter.map { ":\($0)" } ?? "")
            }
        }
    }

    public let root: URL
    public let endpoint: URL

    /// How long the server may take to say which port it listens on.
    static let startLimit: Duration = .seconds(60)

    /// Runs `body` while a server for `root` answers in `mode`; the server is stopped when `body` returns or throws.
    @discardableResult
    public static func serving<Value: Sendable>(_ root: URL, mode: Mode = .normal,
                                       _ body: (FakeHub) async throws -> Value) async throws -> Value {
        let portFile = root.appendingPathComponent("port")
        try? FileManager.default.removeItem(at: portFile)
        let script = Fixtures.repositoryRoot.appendingPathComponent("Tests/HubTests/Fixtures/fake_hub.py")
        let run = try await Subprocess.run(
            .name("python3"), arguments: [script.path, root.path, portFile.path, mode.argument],
            input: .none, output: .discarded, error: .discarded
        ) { execution in
            defer { try? execution.send(signal: .terminate) }
            let port = try await waitForPort(in: portFile)
            return try await body(FakeHub(root: root, endpoint: try endpoint(port)))
        }
        return run.closureResult
    }

    /// The port the server wrote once it listens, waited for up to `startLimit`. The file is read once more after
    /// the deadline: on a loaded machine this task may be resumed late, after the server has long been listening.
    private static func waitForPort(in file: URL) async throws -> String {
        let deadline = ContinuousClock.now + startLimit
        while true {
            if let port = try? String(contentsOf: file, encoding: .utf8), !port.isEmpty { return port }
            guard ContinuousClock.now < deadline else { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw ProcessTimeout(command: "fake_hub.py (waiting for \(file.path))", limit: startLimit)
    }

    private static func endpoint(_ port: String) throws -> URL {
        guard let url = URL(string: "http://127.0.0.1:" + port.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw FakeHubError(message: "fake_hub.py wrote an unusable port '\(port)'")
        }
        return url
    }

    /// Request lines the server saw, with their Host, Range and Authorization headers.
    public var requests: String { (try? String(contentsOf: root.appendingPathComponent("requests.log"), encoding: .utf8)) ?? "" }
}

/// The fake hub could not be started.
public struct FakeHubError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
