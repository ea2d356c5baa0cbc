/// `!pip install` / `%pip install` of the packages sbpl provides natively: the course notebooks' first cell,
/// `!pip install datasets evaluate transformers[sentencepiece]`, says they are built in and installs nothing; any
/// other package is a clear `UsageError`.
enum PipInstall {
    /// The packages sbpl provides in place of their Python distributions.
    static let builtIn: Set<String> = ["transformers", "torch", "tokenizers", "datasets", "evaluate", "sentencepiece",
                                       "accelerate"]

    /// The requirements that `pip ARGUMENTS` installs (options such as `-q` left out), or nil when it is not an
    /// install.
    static func requirements(_ arguments: String) -> [String]? {
        let words = arguments.split(separator: " ").map(String.init)
        guard words.first == "install" else { return nil }
        let requirements = words.dropFirst().filter { !$0.hasPrefix("-") }
        return requirements.isEmpty ? nil : requirements
    }

    /// The one line that answers installing `requirements`, or the `UsageError` for packages sbpl lacks.
    static func answer(_ requirements: [String]) throws(UsageError) -> String {
        let unknown = requirements.filter { !builtIn.contains(name(of: $0)) }
        guard unknown.isEmpty else {
            throw UsageError("sbpl cannot pip install \(unknown.joined(separator: ", ")): it runs its own built-in "
                             + builtIn.sorted().joined(separator: ", ") + ", and no other Python package")
        }
        let names = requirements.map(name)
        return "sbpl: \(names.joined(separator: ", ")) \(names.count == 1 ? "is" : "are") built in; nothing to install\n"
    }

    /// A requirement's distribution name: `transformers[sentencepiece]>=4.0` is `transformers`.
    static func name(of requirement: String) -> String {
        String(requirement.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "." }).lowercased()
    }
}
