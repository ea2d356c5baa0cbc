import Foundation
import Hub
import Language

/// Tab completion: names, attributes after a dot for the value's actual type, keys inside `["`, and checkpoint
/// names from the local hub cache inside `from_pretrained("`.
public struct Completion {
    let interpreter: Interpreter
    var cache = HubCache()

    public init(interpreter: Interpreter, cache: HubCache = HubCache()) {
        self.interpreter = interpreter
        self.cache = cache
    }

    /// The text to insert and the candidates to list for the line up to the cursor.
    func complete(_ line: String) -> (insert: String, candidates: [String]) {
        let (stem, candidates) = self.candidates(line)
        let matching = candidates.filter { $0.hasPrefix(stem) }
        guard !matching.isEmpty else { return ("", []) }
        let common = matching.dropFirst().reduce(matching[0]) { prefix, next in String(zip(prefix, next).prefix { $0 == $1 }.map(\.0)) }
        let insert = String(common.dropFirst(stem.count))
        if matching.count == 1 {
            return (insert + closing(line, matching[0]), [])
        }
        return (insert, matching)
    }

    /// The partial word being completed and what it may become.
    public func candidates(_ line: String) -> (stem: String, candidates: [String]) {
        if let range = line.range(of: #"from_pretrained\(\s*["']([^"']*)$"#, options: .regularExpression) {
            let stem = String(line[range].split(whereSeparator: { $0 == "\"" || $0 == "'" }).dropFirst().first ?? "")
            return (stem, cache.cachedRepositories())
        }
        if let range = line.range(of: #"([A-Za-z_][A-Za-z0-9_.]*)\[\s*["']([^"']*)$"#, options: .regularExpression) {
            let match = String(line[range])
            let bracket = match.firstIndex(of: "[")!
            let object = String(match[..<bracket])
            let stem = String(match[match.index(after: bracket)...].drop { $0 == " " || $0 == "\"" || $0 == "'" })
            return (stem, interpreter.value(ofDottedName: object).map(interpreter.stringKeys) ?? [])
        }
        let word = String(line.reversed().prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }.reversed())
        if let dot = word.lastIndex(of: ".") {
            let object = String(word[..<dot]), stem = String(word[word.index(after: dot)...])
            guard let value = interpreter.value(ofDottedName: object) else { return (stem, []) }
            return (stem, interpreter.attributeNames(of: value))
        }
        if line.range(of: #"^\s*(import|from)\s+\S*$"#, options: .regularExpression) != nil {
            return (word, interpreter.moduleNames)
        }
        return (word, Array(Set(interpreter.variableNames + interpreter.builtinNames + Interpreter.keywords)).sorted())
    }

    /// The closing quote and bracket after a completed key or checkpoint name.
    private func closing(_ line: String, _ completed: String) -> String {
        if line.range(of: #"\[\s*["'][^"']*$"#, options: .regularExpression) != nil {
            return line.range(of: #"\[\s*'[^']*$"#, options: .regularExpression) != nil ? "']" : "\"]"
        }
        return ""
    }
}
