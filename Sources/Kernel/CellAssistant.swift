import Foundation
import Language
import Shell

/// What a front end asks about a cell before running it: completions, help on the name at the cursor, and
/// whether the cell is complete. Built on the interpreter's public introspection.
///
/// Completion and the multi-line rules are the terminal shell's own (`Completion`, `CellReader`), so the two front
/// ends cannot drift apart.
struct CellAssistant {
    let interpreter: Interpreter

    /// `complete_request`: the names that can replace the word before the cursor, and where that word is.
    func complete(_ request: CursorRequest) -> CompleteReply {
        let scalars = Array(request.code.unicodeScalars)
        let cursor = min(max(request.cursorPos, 0), scalars.count)
        let before = String(String.UnicodeScalarView(scalars[..<cursor]))
        let line = before.split(separator: "\n", omittingEmptySubsequences: false).last.map(String.init) ?? ""
        let (stem, candidates) = Completion(interpreter: interpreter).candidates(line)
        let matches = Array(Set(candidates.filter { $0.hasPrefix(stem) })).sorted()
        return CompleteReply(matches: matches, cursorStart: cursor - stem.unicodeScalars.count, cursorEnd: cursor)
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

    /// `is_complete_request`, by the shell's rules (`CellReader`): incomplete with the auto-indent while a bracket,
    /// a string or a block is open; invalid when the finished cell cannot parse.
    func isComplete(_ code: String) -> IsCompleteReply {
        let lines = code.components(separatedBy: "\n")
        guard CellReader.isComplete(lines) else { return IsCompleteReply(status: .incomplete, indent: CellReader.indentation(after: lines)) }
        return (try? Parser.parse(code)) == nil ? IsCompleteReply(status: .invalid, indent: nil) : IsCompleteReply(status: .complete, indent: nil)
    }

    private static func isNameCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || character == "_"
    }
}
