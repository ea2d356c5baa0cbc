import Foundation

/// WordPiece's token <-> id table.
public struct Vocabulary: Sendable {
    private let ids: [String: Int]
    private let tokens: [String?]

    /// A vocabulary from a token -> id map (as `tokenizer.json` stores it).
    public init(_ ids: [String: Int]) {
        self.ids = ids
        var tokens = [String?](repeating: nil, count: (ids.values.max() ?? -1) + 1)
        for (token, id) in ids where id >= 0 { tokens[id] = token }
        self.tokens = tokens
    }

    /// Reads `vocab.txt`: one token per line, the line number is the id (as transformers' `load_vocab`).
    public init(vocabFile url: URL) throws {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw TokenizerError("cannot read vocabulary \(url.path): \(error.localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw TokenizerError("vocabulary \(url.path) is not UTF-8 text")
        }
        var ids = [String: Int]()
        var lines = text.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        for (index, line) in lines.enumerated() where ids[line] == nil { ids[line] = index }
        self.init(ids)
    }

    /// The number of ids (`vocab_size`).
    public var count: Int { tokens.count }

    /// The id of `token`, if it is in the vocabulary.
    public func id(_ token: String) -> Int? { ids[token] }

    /// The token of `id`, if there is one.
    public func token(_ id: Int) -> String? { id >= 0 && id < tokens.count ? tokens[id] : nil }
}
