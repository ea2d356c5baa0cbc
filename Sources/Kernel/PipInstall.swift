/// `!pip install ...` and `%pip install ...` lines, as the course notebooks' first cell has them
/// (`!pip install datasets evaluate transformers[sentencepiece]`): when every package is one sbpl provides
/// natively, the line says so and installs nothing; any other package is refused with a clear error.
enum PipInstall {
    /// The packages sbpl provides in place of their Python distributions.
    static let builtIn: Set<String> = ["transformers", "torch", "tokenizers", "datasets", "evaluate", "sentencepiece",
                                       "accelerate"]

    /// A `pip install` of packages sbpl does not provide.
    struct Refused: Error, CustomStringConvertible {
        let packages: [String]
        var description: String {
            "sbpl cannot pip install \(packages.joined(separator: ", ")): it runs its own built-in "
                + builtIn.sorted().joined(separator: ", ") + ", and no other Python package"
        }
    }

    /// `cell` with its pip-install lines blanked (so line numbers stay), each reported through `say` first.
    static func run(_ cell: String, say: (String) -> Void) throws -> String {
        var lines = cell.components(separatedBy: "\n")
        for (index, line) in lines.enumerated() {
            guard let packages = packages(line) else { continue }
            let unknown = packages.filter { !builtIn.contains(name(of: $0)) }
            guard unknown.isEmpty else { throw Refused(packages: unknown) }
            say("sbpl: \(packages.map(name).joined(separator: ", ")) \(packages.count == 1 ? "is" : "are") built in; nothing to install")
            lines[index] = ""
        }
        return lines.joined(separator: "\n")
    }

    /// The requirements a `!pip install` / `%pip install` line names (options such as `-q` left out), or nil
    /// for any other line.
    static func packages(_ line: String) -> [String]? {
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
