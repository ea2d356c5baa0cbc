import Foundation
import Language

/// What a front end asks about a cell before running it: completions, help on the name at the cursor, and
/// whether the cell is complete. Built on the interpreter's public introspection.
///
/// The terminal shell's `Completion` and `CellReader` (module Shell) answer the same questions but are internal
/// to it; once Shell makes them public, these rules should be replaced by calls to them.
struct CellAssistant {
    let interpreter: Interpreter

    /// `complete_request`: the names that can replace the word before the cursor, and where that word is.
    func complete(_ request: CursorRequest) -> CompleteReply {
        let scalars = Array(request.code.unicodeScalars)
        let cursor = min(max(request.cursorPos, 0), scalars.count)
        let before = String(String.UnicodeScalarView(scalars[..<cursor]))
        let line = before.split(separator: "\n", omittingEmptySubsequences: false).last.map(String.init) ?? ""
        let (stem, candidates) = self.candidates(line)
        let matches = Array(Set(candidates.filter { $0.hasPrefix(stem) })).sorted()
        return CompleteReply(matches: matches, cursorStart: cursor - stem.unicodeScalars.count, cursorEnd: cursor)
    }

    /// The partial word being completed in `line` and what it may become: attributes after a dot, modules after
    /// `import`, else variables, builtins and keywords.
    private func candidates(_ line: String) -> (stem: String, candidates: [String]) {
        let word = String(line.reversed().prefix { Self.isNameCharacter($0) || $0 == "." }.reversed())
        if let dot = word.lastIndex(of: ".") {
            let stem = String(word[word.index(after: dot)...])
            guard let value = interpreter.value(ofDottedName: String(word[..<dot])) else { return (stem, []) }
            return (stem, interpreter.attributeNames(of: value))
        }
        if line.range(of: #"^\s*(import|from)\s+\S*$"#, options: .regularExpression) != nil {
            return (word, interpreter.moduleNames)
        }
        return (word, interpreter.variableNames + interpreter.builtinNames + Interpreter.keywords)
    }

    /// `inspect_request`: what `help(x)` says of the dotted name under the cursor.
    func inspect(_ request: CursorRequest) -> InspectReply {
        let scalars = Array(request.code.unicodeScalars)
        let cursor = min(max(request.cursorPos, 0), scalars.count)
        let isPart: (Unicode.Scalar) -> Bool = { Self.isNameCharacter(Character($0)) || $0 == "." }
        let start = scalars[..<cursor].lastIndex { !isPart($0) }.map { $0 + 1 } ?? 0
        let end = scalars[cursor...].firstIndex { !isPart($0) } ?? scalars.count
        let name = String(String.UnicodeScalarView(scalars[start..<end])).trimmingCharacters(in: ["."])
        guard !name.isEmpty, let value = interpreter.value(ofDottedName: name) else { return InspectReply(found: false, data: [:]) }
        return InspectReply(found: true, data: ["text/plain": interpreter.describe(value)])
    }

    /// `is_complete_request`, by IPython's rules: an open bracket, an unfinished string or a trailing backslash
    /// continues; a block continues until a blank line; code that cannot parse is invalid.
    func isComplete(_ code: String) -> IsCompleteReply {
        let lines = code.components(separatedBy: "\n")
        if code.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return IsCompleteReply(status: .complete, indent: nil) }
        let incomplete = IsCompleteReply(status: .incomplete, indent: Self.indentation(after: lines))
        if lines.last?.hasSuffix("\\") == true { return incomplete }
        do {
            _ = try Lexer.tokenize(code)
        } catch let error as PyError where error.message.contains("was never closed") || error.message.contains("triple-quoted") {
            return incomplete
        } catch {
            return IsCompleteReply(status: .invalid, indent: nil)
        }
        let opensBlock = lines.contains { line in
            let code = line.split(separator: "#", maxSplits: 1).first.map(String.init) ?? line
            return code.trimmingCharacters(in: .whitespaces).hasSuffix(":")
        }
        let indented = lines.dropFirst().contains { $0.first == " " || $0.first == "\t" }
        if (opensBlock || indented) && lines.last?.trimmingCharacters(in: .whitespaces).isEmpty == false { return incomplete }
        return (try? Parser.parse(code)) == nil ? IsCompleteReply(status: .invalid, indent: nil) : IsCompleteReply(status: .complete, indent: nil)
    }

    /// IPython's auto-indent: the last line's indentation, four more after a `:`, four less after `return`,
    /// `pass`, `break` or `continue`.
    static func indentation(after lines: [String]) -> String {
        guard let last = lines.last, !last.trimmingCharacters(in: .whitespaces).isEmpty else { return "" }
        let current = last.prefix { $0 == " " }.count
        let code = last.trimmingCharacters(in: .whitespaces)
        if code.hasSuffix(":") { return String(repeating: " ", count: current + 4) }
        let first = code.split(separator: " ").first.map(String.init) ?? ""
        if ["return", "pass", "break", "continue"].contains(first) { return String(repeating: " ", count: max(0, current - 4)) }
        return String(repeating: " ", count: current)
    }

    private static func isNameCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || character == "_"
    }
}
