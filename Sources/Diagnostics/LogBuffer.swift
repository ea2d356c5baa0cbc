import Synchronization

/// Text logged through a `MessageLogHandler` pointed at it, kept in memory (for tests: what a program wrote on
/// stderr). Safe to append to from any thread.
public final class LogBuffer: Sendable {
    private let text = Mutex("")

    /// An empty buffer.
    public init() {}

    /// Everything logged so far, one line per message.
    public var contents: String { text.withLock { $0 } }

    func append(_ line: String) {
        text.withLock { $0 += line }
    }
}
