import Diagnostics
import Foundation
import Synchronization

/// Where download progress bars are drawn: on stderr when it is a terminal, or into a sink that a front end sets
/// (the Jupyter kernel sends them to the running cell as stderr `stream` text, each redraw starting with `\r`).
public enum ProgressOutput {
    private static let current = Mutex<(@Sendable (String) -> Void)?>(nil)

    /// The sink for progress text, or nil for stderr.
    public static var sink: (@Sendable (String) -> Void)? {
        get { current.withLock { $0 } }
        set { current.withLock { $0 = newValue } }
    }

    /// Whether downloads should draw progress: a sink is set, or stderr is a terminal.
    static var isShown: Bool { sink != nil || isatty(STDERR_FILENO) != 0 }

    /// Draws `text`.
    static func write(_ text: String) {
        if let sink { sink(text) } else { StandardStreams.write(text, to: .error) }
    }
}
