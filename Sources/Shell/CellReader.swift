import Language

/// Decides when the lines typed so far form a whole cell, as IPython does: an open bracket, an unfinished
/// string or a trailing backslash continues; a block (a line ending in `:`) or a `%%` cell magic continues until a
/// blank line.
public enum CellReader {
    /// IPython's auto-indent: the previous line's indentation, four more after a line ending in `:`, four less
    /// after `return`, `pass`, `break` or `continue`.
    public static func indentation(after lines: [String]) -> String {
        guard let last = lines.last, !last.trimmingCharacters(in: .whitespaces).isEmpty else { return "" }
        let current = last.prefix { $0 == " " }.count
        let code = last.trimmingCharacters(in: .whitespaces)
        if code.hasSuffix(":") { return String(repeating: " ", count: current + 4) }
        let first = code.split(separator: " ").first.map(String.init) ?? ""
        if ["return", "pass", "break", "continue"].contains(first) { return String(repeating: " ", count: Swift.max(0, current - 4)) }
        return String(repeating: " ", count: current)
    }

    /// Whether `lines` form a whole cell.
    public static func isComplete(_ lines: [String]) -> Bool {
        let source = lines.joined(separator: "\n")
        if source.trimmingCharacters(in: .whitespaces).isEmpty { return true }
        if let last = lines.last, last.hasSuffix("\\") { return false }
        // a cell magic's body, like a block, ends at a blank line
        if lines[0].hasPrefix("%%") { return lines.count > 1 && lines.last!.trimmingCharacters(in: .whitespaces).isEmpty }
        do {
            _ = try Lexer.tokenize(source)
        } catch let error as PyError {
            if error.message.contains("was never closed") || error.message.contains("triple-quoted") { return false }
            return true
        } catch {
            return true
        }
        let opensBlock = lines.contains { line in
            let code = line.split(separator: "#", maxSplits: 1).first.map(String.init) ?? line
            return code.trimmingCharacters(in: .whitespaces).hasSuffix(":")
        }
        let indented = lines.dropFirst().contains { $0.first == " " || $0.first == "\t" }
        if opensBlock || indented { return lines.count > 1 && lines.last!.trimmingCharacters(in: .whitespaces).isEmpty }
        return true
    }
}
