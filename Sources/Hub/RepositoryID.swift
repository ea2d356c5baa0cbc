/// Repository names as the hub understands them, including the old unqualified ids of canonical models,
/// which the hub now serves from organisations (`distilbert-base-uncased` is `distilbert/distilbert-base-uncased`).
public enum RepositoryID {
    /// Prefixes of legacy canonical ids and the organisation that holds them now.
    static let legacyOrganisations: [(prefix: String, organisation: String)] = [
        ("distilbert-", "distilbert"), ("distilgpt2", "distilbert"), ("distilroberta-", "distilbert"),
        ("bert-", "google-bert"), ("roberta-", "FacebookAI"), ("xlm-roberta-", "FacebookAI"),
        ("gpt2", "openai-community"), ("albert-", "albert"), ("t5-", "google-t5"),
    ]

    /// Every name the repository may be cached under, the given one first: `distilbert-base-uncased` ->
    /// [`distilbert-base-uncased`, `distilbert/distilbert-base-uncased`], and the reverse.
    public static func aliases(_ name: String) -> [String] {
        let parts = name.split(separator: "/", omittingEmptySubsequences: false)
        if parts.count == 1, let org = legacyOrganisations.first(where: { name.hasPrefix($0.prefix) })?.organisation {
            return [name, "\(org)/\(name)"]
        }
        if parts.count == 2, legacyOrganisations.contains(where: { $0.organisation == parts[0] && parts[1].hasPrefix($0.prefix) }) {
            return [name, String(parts[1])]
        }
        return [name]
    }

    /// Whether `name` has the form of a hub id (`NAME` or `ORG/NAME`, letters, digits, `-`, `_`, `.`).
    public static func isValid(_ name: String) -> Bool {
        let parts = name.split(separator: "/", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count) else { return false }
        return parts.allSatisfy { part in
            !part.isEmpty && part.count <= 96 && !part.hasPrefix(".") && !part.hasSuffix(".") && !part.contains("..")
                && part.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
        }
    }
}
