import Foundation
import Logging
import Synchronization

/// sbpl's one swift-log handler: it writes what transformers' logger writes, the bare message and a newline (the
/// `%(message)s` format of transformers' default `StreamHandler`), with no timestamp, level or label.
///
/// The CLI bootstraps it (`LoggingSystem.bootstrap { MessageLogHandler(label: $0) }`); a test points a logger at a
/// `LogBuffer` instead, to compare what was logged with what Python wrote on stderr:
///
///     let log = LogBuffer()
///     let logger = Logger(label: "test", writingTo: .buffer(log))
///     logger.warning("careful")      // log.contents == "careful\n"
public struct MessageLogHandler: LogHandler {
    /// Where the lines go.
    public enum Destination: Sendable {
        /// The process's standard error, as Python's `logging` writes.
        case standardError
        /// A buffer that a test reads.
        case buffer(LogBuffer)
    }

    /// Where this handler writes.
    public var destination: Destination
    /// Where lines bound for standard error go instead while it is set: the Jupyter kernel's running cell, so that
    /// the warnings of loggers made anywhere (a model's "Some weights ... were not initialized") show in the
    /// notebook, as Python's `logging` writes to the cell's `sys.stderr` there.
    public static var standardErrorSink: (@Sendable (String) -> Void)? {
        get { sink.withLock { $0 } }
        set { sink.withLock { $0 = newValue } }
    }
    private static let sink = Mutex<(@Sendable (String) -> Void)?>(nil)
    /// Whether its logger is one of transformers' (labelled `transformers...`), whose level is `Verbosity`'s.
    private let followsVerbosity: Bool
    /// The level set on this handler's logger, if any.
    private var ownLevel: Logger.Level?
    /// Messages below this level are dropped: the level set on the logger, else transformers' verbosity for its
    /// loggers, else `.warning` (transformers' default).
    public var logLevel: Logger.Level {
        get { ownLevel ?? (followsVerbosity ? Verbosity.transformers : .warning) }
        set { ownLevel = newValue }
    }
    /// Kept as swift-log requires, never printed (transformers' messages carry no metadata).
    public var metadata: Logger.Metadata = [:]
    /// Kept as swift-log requires, never printed.
    public var metadataProvider: Logger.MetadataProvider?

    /// A handler for the logger labelled `label`, writing to `destination` (standard error unless told otherwise).
    public init(label: String = "", destination: Destination = .standardError) {
        self.destination = destination
        followsVerbosity = Verbosity.follows(label)
    }

    /// Writes the event's message and a newline.
    public func log(event: LogEvent) {
        let line = "\(event.message)\n"
        switch destination {
        case .standardError:
            if let sink = Self.standardErrorSink { sink(line) } else { StandardStreams.write(line, to: .error) }
        case .buffer(let buffer): buffer.append(line)
        }
    }

    /// One metadata value (kept, never printed).
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
}

extension Logger {
    /// A logger named `label` that writes through `MessageLogHandler` to `destination`, whatever the process's
    /// `LoggingSystem` was bootstrapped with.
    public init(label: String, writingTo destination: MessageLogHandler.Destination) {
        self.init(label: label) { MessageLogHandler(label: $0, destination: destination) }
    }
}
