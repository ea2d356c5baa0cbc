import Foundation
import Logging

/// Where a running cell's stdout and stderr go: the current request's `stream` messages, a line at a time (text
/// without a newline or `\r` waits for one, or for the end of the cell), so output shows while the cell runs and a
/// progress bar redrawn after `\r` updates in place.
final class CellOutput: @unchecked Sendable {
    /// Receives each stream's text; nil while no cell runs or the cell is silent (its output is dropped).
    var sink: ((StreamContent.Name, String) -> Void)? {
        get { locked { _sink } }
        set { locked { _sink = newValue } }
    }

    private var _sink: ((StreamContent.Name, String) -> Void)?
    private var pending: [StreamContent.Name: String] = [:]
    private let lock = NSLock()

    /// Adds `text` to `stream`, sending what is pending when it holds a complete line.
    func write(_ stream: StreamContent.Name, _ text: String) {
        let ready: String? = locked {
            pending[stream, default: ""] += text
            guard text.contains("\n") || text.contains("\r") else { return nil }
            return pending.removeValue(forKey: stream)
        }
        if let ready { send(stream, ready) }
    }

    /// Sends whatever is pending on both streams.
    func flush() {
        let texts = locked { () -> [(StreamContent.Name, String)] in
            defer { pending = [:] }
            return [StreamContent.Name.stdout, .stderr].compactMap { name in pending[name].map { (name, $0) } }
        }
        for (name, text) in texts where !text.isEmpty { send(name, text) }
    }

    private func send(_ stream: StreamContent.Name, _ text: String) {
        sink?(stream, text)
    }

    private func locked<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }
}

/// The interpreter's log handler in the kernel: what the terminal shell writes on stderr (transformers' warnings)
/// becomes the cell's stderr stream, bare message lines at transformers' default level, as `MessageLogHandler`.
struct CellLogHandler: LogHandler {
    let output: CellOutput
    var logLevel: Logger.Level = .warning
    var metadata: Logger.Metadata = [:]

    func log(event: LogEvent) {
        output.write(.stderr, "\(event.message)\n")
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
}
