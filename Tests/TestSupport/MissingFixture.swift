import Foundation

/// What a test does when a fixture it needs is absent (the MiniLM weights, the kernel tests' venv): it fails, with
/// a message saying how to get the fixture. It never skips, so a green run cannot come from tests that did not run.
public enum MissingFixture {
    /// Fails the calling test because `what` is not at `path`.
    public static func stop(_ what: String, at path: String) throws -> Never {
        throw MissingFixtureError(message: "\(what) not found at \(path): run `make fixtures` (or `make test`) first")
    }

    /// The file at `url`, or the calling test's failure (see `stop`) when it is absent.
    public static func require(_ url: URL, _ what: String) throws -> URL {
        guard FileManager.default.fileExists(atPath: url.path) else { try stop(what, at: url.path) }
        return url
    }
}

/// A fixture a test needs is absent.
public struct MissingFixtureError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { "missing fixture: \(message)" }
}
