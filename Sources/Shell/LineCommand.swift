/// A line of a cell that IPython reads as a command rather than Python: `!command` (run by the system shell) or
/// `%magic arguments`. A line is a command when it starts with `!` or `%` at its first column, so a `%` operator
/// continuing an indented expression stays code.
public enum LineCommand: Equatable, Sendable {
    /// `!command`.
    case system(String)
    /// `%name arguments`.
    case magic(Magic, arguments: String)

    /// The magics sbpl has, by their names.
    public enum Magic: String, CaseIterable, Sendable {
        case autoreload, cd, env, history, load, load_ext, matplotlib, pip, pwd, reset, run, save, time, timeit, whos
    }

    /// `line` as a command; nil when it is code. An unknown magic is IPython's `UsageError`.
    public init?(_ line: String) throws(UsageError) {
        if line.hasPrefix("!") {
            self = .system(String(line.dropFirst()).trimmingCharacters(in: .whitespaces))
            return
        }
        guard line.hasPrefix("%"), !line.hasPrefix("%%") else { return nil }
        let parts = line.dropFirst().split(separator: " ", maxSplits: 1).map(String.init)
        let name = parts.first ?? ""
        guard let magic = Magic(rawValue: name) else {
            throw UsageError("Line magic function `%\(name)` not found (sbpl has "
                             + Magic.allCases.map { "%" + $0.rawValue }.joined(separator: ", ") + ").")
        }
        self = .magic(magic, arguments: parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : "")
    }

    /// Whether `line` is a command line rather than code.
    static func starts(_ line: String) -> Bool { line.hasPrefix("!") || (line.hasPrefix("%") && !line.hasPrefix("%%")) }
}

/// IPython's `UsageError`: a line command used wrongly; shown as `UsageError: message`.
public struct UsageError: Error, CustomStringConvertible, Equatable, Sendable {
    public let message: String
    public var description: String { message }

    public init(_ message: String) { self.message = message }
}
