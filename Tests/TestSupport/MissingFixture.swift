import Foundation
import Testing
import XCTest

/// What a test does when a fixture it needs is absent (the MiniLM weights, a fixture file): where a developer
/// runs it, the test is skipped; under CI (`CI` set) it fails, so a green run cannot come from skipping. Either way
/// the message says how to get the fixture.
public enum MissingFixture {
    /// Whether an absent fixture fails the run: the environment variable `CI` is set (and not empty).
    public static var failsTheRun: Bool { !(ProcessInfo.processInfo.environment["CI"] ?? "").isEmpty }

    /// Ends the calling test because `what` is not at `path`: a failing error under CI, else a skip (XCTest) or a
    /// cancellation (Swift Testing).
    public static func stop(_ what: String, at path: String) throws -> Never {
        let message = "\(what) not found at \(path): run `make fixtures` (or `make test`) first"
        if failsTheRun { throw MissingFixtureError(message: message) }
        if Test.current != nil { try Test.cancel(Comment(rawValue: message)) }
        throw XCTSkip(message)
    }

    /// The file at `url`, or the end of the test (see `stop`) when it is absent.
    public static func require(_ url: URL, _ what: String) throws -> URL {
        guard FileManager.default.fileExists(atPath: url.path) else { try stop(what, at: url.path) }
        return url
    }
}

/// A fixture that is absent where CI needs it.
public struct MissingFixtureError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { "missing fixture under CI: \(message)" }
}
