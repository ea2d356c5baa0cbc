import Logging
import Synchronization

/// transformers' verbosity (`transformers.logging.set_verbosity_error()`): the least level of the messages its
/// loggers (those labelled `transformers...`) show, `.warning` by default. Every `MessageLogHandler` reads it when a
/// message comes, so it holds for loggers made before the change too.
public enum Verbosity {
    private static let levelIndex = Atomic<Int>(Logger.Level.allCases.firstIndex(of: .warning)!)

    /// The least level shown.
    public static var transformers: Logger.Level {
        get { Logger.Level.allCases[levelIndex.load(ordering: .relaxed)] }
        set { levelIndex.store(Logger.Level.allCases.firstIndex(of: newValue)!, ordering: .relaxed) }
    }

    /// Whether a logger labelled `label` is one of transformers' (and so follows its verbosity).
    public static func follows(_ label: String) -> Bool { label.hasPrefix("transformers") }
}
