import Foundation

/// IPython's line commands in a cell: `!command` (a shell command) and `%magic` lines. The course notebooks'
/// first cell, `!pip install datasets evaluate transformers[sentencepiece]` (or `%pip install`), says that sbpl
/// provides those packages natively and installs nothing; every other such line is a clear `UsageError`
/// rather than a syntax error at the `!` or `%`.
enum LineCommands {
    /// The packages sbpl provides in place of their Python distributions.
    static let builtIn: Set<String> = ["transformers", "torch", "tokenizers", "datasets", "evaluate", "sentencepiece",
                                       "accelerate"]

    /// A line command sbpl does not run.
    struct Refused: Error, CustomStringConvertible {
        let description: String

        /// A `pip install` of packages sbpl does not provide.
        static func packages(_ packages: [String]) -> Refused {
            Refused(description: "sbpl cannot pip install \(packages.joined(separator: ", ")): it runs its own built-in "
                        + builtIn.sorted().joined(separator: ", ") + ", and no other Python package")
        }

        /// Any other `!` or `%` line.
        static func command(_ line: String) -> Refused {
            Refused(description: "`\(line)`: the sbpl kernel runs no shell commands or magics in cells yet "
                        + "(only `!pip install` of its built-in packages)")
        }
    }

    /// `cell` with its line commands blanked (so line numbers stay), each pip install reported through `say`
    /// first; a line command sbpl does not run is refused before any of the cell runs. A line is a command when
    /// it starts with `!` or `%` (not indented, so a `%` operator continuing an indented expression stays code).
    static func run(_ cell: String, say: (String) -> Void) throws -> String {
        var lines = cell.components(separatedBy: "\n")
        var messages = [String]()
        for (index, line) in lines.enumerated() {
            guard line.hasPrefix("!") || line.hasPrefix("%") else { continue }
            let command = line.trimmingCharacters(in: .whitespaces)
            guard let packages = pipInstallPackages(command) else { throw Refused.command(command) }
            let unknown = packages.filter { !builtIn.contains(name(of: $0)) }
            guard unknown.isEmpty else { throw Refused.packages(unknown) }
            messages.append("sbpl: \(packages.map(name).joined(separator: ", ")) \(packages.count == 1 ? "is" : "are") built in; nothing to install")
            lines[index] = ""
        }
        messages.forEach(say)
        return lines.joined(separator: "\n")
    }

    /// The requirements a `!pip install` / `%pip install` line names (options such as `-q` left out), or nil
    /// for any other line.
    static func pipInstallPackages(_ line: String) -> [String]? {
        let words = line.split(separator: " ").map(String.init)
        guard words.count >= 2, ["!pip", "%pip"].contains(words[0]), words[1] == "install" else { return nil }
        let requirements = words.dropFirst(2).filter { !$0.hasPrefix("-") }
        return requirements.isEmpty ? nil : requirements
    }

    /// A requirement's distribution name: `transformers[sentencepiece]>=4.0` is `transformers`.
    static func name(of requirement: String) -> String {
        String(requirement.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "." }).lowercased()
    }
}
