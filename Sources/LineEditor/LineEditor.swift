import CEditShim
import Foundation

/// A libedit line editor: emacs keys, `.editrc`, history (arrows, Ctrl-R) persisted to a file as each entry is
/// accepted, and tab completion through a Swift callback.
public final class LineEditor {
    /// What one read gave.
    public enum Input: Equatable {
        case line(String)
        /// Ctrl-C while editing: the line is abandoned.
        case interrupted
        /// Ctrl-D on an empty line, or the end of input.
        case endOfInput
    }

    /// Completes the text before the cursor: the text to insert, and candidates to list when ambiguous.
    public typealias Completer = (String) -> (insert: String, candidates: [String])

    private let editor: OpaquePointer
    private let historyPath: String?
    nonisolated(unsafe) private static var completer: Completer?

    /// Why libedit cannot be loaded, or nil when it can (it is opened by the first call).
    public static var unavailable: String? { shim_editor_load().map { String(cString: $0) } }

    /// Starts an editor; history is loaded from and saved to `historyPath` (folders are created).
    public init?(historyPath: String?, historySize: Int = 1000) {
        guard let editor = shim_editor_create("sbpl", Int32(historySize)) else { return nil }
        self.editor = editor
        self.historyPath = historyPath
        if let historyPath {
            try? FileManager.default.createDirectory(atPath: (historyPath as NSString).deletingLastPathComponent,
                                                     withIntermediateDirectories: true)
            _ = shim_history_load(editor, historyPath)
        }
    }

    deinit { shim_editor_destroy(editor) }

    /// Sets the tab-completion callback.
    public func setCompleter(_ completer: @escaping Completer) {
        Self.completer = completer
        shim_set_completer { line, insert, insertSize, listing, listingSize in
            guard let line, let insert, let listing, let complete = LineEditor.completer else { return 0 }
            let (text, candidates) = complete(String(cString: line))
            LineEditor.copy(text, to: insert, size: insertSize)
            LineEditor.copy(candidates.count > 1 ? LineEditor.columns(candidates) : "", to: listing, size: listingSize)
            return text.isEmpty && candidates.count <= 1 ? 0 : 1
        }
    }

    private static func copy(_ text: String, to buffer: UnsafeMutablePointer<CChar>, size: Int) {
        let bytes = Array(text.utf8.prefix(size - 1))
        for (i, b) in bytes.enumerated() { buffer[i] = CChar(bitPattern: b) }
        buffer[bytes.count] = 0
    }

    /// Candidates laid out in columns, as shells list them.
    static func columns(_ items: [String], width: Int = 80) -> String {
        let cell = (items.map(\.count).max() ?? 0) + 2
        let perRow = Swift.max(1, width / cell)
        return stride(from: 0, to: items.count, by: perRow).map { start in
            items[start..<Swift.min(start + perRow, items.count)].map { $0.padding(toLength: cell, withPad: " ", startingAt: 0) }
                .joined().trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n")
    }

    /// Reads one line with `prompt`, pre-filled with `initial` (auto-indentation).
    public func read(prompt: String, initial: String = "") -> Input {
        var interrupted: Int32 = 0
        guard let line = shim_editor_read(editor, prompt, initial, &interrupted) else {
            return interrupted != 0 ? .interrupted : .endOfInput
        }
        defer { free(line) }
        return .line(String(cString: line))
    }

    /// Adds an accepted entry to the history and writes the history file at once, so a killed session loses
    /// nothing. Consecutive duplicates are kept once.
    public func remember(_ entry: String) {
        guard !entry.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return }
        shim_history_add(editor, entry)
        if let historyPath { _ = shim_history_save(editor, historyPath) }
    }

    /// Whether more input is already waiting (a paste in progress).
    public static var inputPending: Bool { shim_input_pending() != 0 }

    /// Installs a Ctrl-C handler that interrupts a blocked read instead of restarting it.
    public static func onInterrupt(_ handler: @convention(c) (Int32) -> Void) { shim_on_sigint(handler) }
}
