import Foundation

/// Where a running cell's stdout and stderr go: the current request's `stream` messages, text gathered for a tenth
/// of a second (as ipykernel's output thread does) so that a loop printing thousands of lines sends a few messages,
/// not one a line, while output still shows as the cell runs (a progress bar redrawn after `\r` updates in place).
final class CellOutput: @unchecked Sendable {
    /// How long written text waits for more before it is sent.
    static let interval = DispatchTimeInterval.milliseconds(100)
    /// Text past this many bytes is sent at once.
    static let batchLimit = 1 << 20

    /// Receives each stream's text; nil while no cell runs or the cell is silent (its output is dropped).
    var sink: ((StreamContent.Name, String) -> Void)? {
        get { locked { _sink } }
        set { locked { _sink = newValue } }
    }

    private var _sink: ((StreamContent.Name, String) -> Void)?
    private var pending: [StreamContent.Name: String] = [:]
    private var flushScheduled = false
    /// Guards the state above, never held while sending.
    private let lock = NSLock()
    /// Held while sending, so that sends keep their order; recursive, for a send that itself writes (a failed
    /// publish logging its error into the cell).
    private let sending = NSRecursiveLock()

    /// Adds `text` to `stream`; it is sent within `interval`, or at once past `batchLimit`.
    func write(_ stream: StreamContent.Name, _ text: String) {
        let (full, schedule) = locked { () -> (Bool, Bool) in
            pending[stream, default: ""] += text
            let schedule = !flushScheduled
            flushScheduled = true
            return (pending[stream]!.utf8.count >= Self.batchLimit, schedule)
        }
        if full { flush() }
        if schedule { DispatchQueue.global().asyncAfter(deadline: .now() + Self.interval) { [weak self] in self?.flush() } }
    }

    /// Sends whatever is pending, stdout first (before a result, an error or a prompt, and at the cell's end).
    func flush() {
        sending.lock()
        defer { sending.unlock() }
        let (sink, texts) = locked { () -> (((StreamContent.Name, String) -> Void)?, [(StreamContent.Name, String)]) in
            defer { (pending, flushScheduled) = ([:], false) }
            return (_sink, [StreamContent.Name.stdout, .stderr].compactMap { name in pending[name].map { (name, $0) } })
        }
        for (name, text) in texts where !text.isEmpty { sink?(name, text) }
    }

    private func locked<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }
}
