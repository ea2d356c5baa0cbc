import Foundation
import TensorCore

/// WordPiece's token <-> id table.
public struct Vocabulary: Sendable {
    private let ids: [String: Int]
    private let tokens: [String?]

    /// A vocabulary from a token -> id map (as `tokenizer.json` stores it); ids are huggingface/tokenizers' u32s,
    /// and the id -> token table they imply must fit in memory.
    public init(_ ids: [String: Int]) throws {
        let largest = ids.values.max() ?? -1
        if let bad = ids.first(where: { $0.value < 0 || $0.value > Int(UInt32.max) }) {
            throw TokenizerError("token '\(bad.key)' has id \(bad.value), outside the 0...\(UInt32.max) ids a tokenizer can have")
        }
        do { try Tensor.checkAllocation(bytes: (largest + 1) * MemoryLayout<String?>.stride) } catch {
            throw TokenizerError("token ids reach \(largest) for \(ids.count) tokens: the id table would not fit in memory")
        }
        self.ids = ids
        var tokens = [String?](repeating: nil, count: largest + 1)
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
        try self.init(ids)
    }

    /// This vocabulary with the tokens of `extra` it lacks, at their ids (an id already taken keeps its token).
    public func adding(_ extra: [String: Int]) -> Vocabulary {
        let missing = extra.filter { ids[$0.key] == nil && token($0.value) == nil && $0.value >= 0 && $0.value <= Int(UInt32.max) }
        guard !missing.isEmpty, let merged = try? Vocabulary(ids.merging(missing) { a, _ in a }) else { return self }
        return merged
    }

    /// The number of ids (`vocab_size`).
    public var count: Int { tokens.count }

    /// The id of `token`, if it is in the vocabulary.
    public func id(_ token: String) -> Int? { ids[token] }

    /// The token of `id`, if there is one.
    public func token(_ id: Int) -> String? { id >= 0 && id < tokens.count ? tokens[id] : nil }
}
