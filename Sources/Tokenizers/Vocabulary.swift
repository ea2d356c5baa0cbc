import Foundation
import PythonText
import TensorCore

/// A tokenizer's token <-> id table. Tokens are told apart by their code points, as huggingface/tokenizers' map
/// compares bytes (Swift's `String` equality would take canonically equivalent spellings, `é` and `e` + U+0301, for
/// one token).
public struct Vocabulary: Sendable {
    private let ids: [CodePointKey: Int]
    private let tokens: [String?]

    /// A vocabulary from a token -> id map (as `tokenizer.json` stores it); ids are huggingface/tokenizers' u32s,
    /// and the id -> token table they imply must fit in memory.
    public init(_ ids: [String: Int]) throws {
        try self.init(entries: ids.map { ($0.key, $0.value) })
    }

    /// A vocabulary from its tokens and their ids; a token given twice keeps its first id.
    public init(entries: [(token: String, id: Int)]) throws {
        let largest = entries.map(\.id).max() ?? -1
        if let bad = entries.first(where: { $0.id < 0 || $0.id > Int(UInt32.max) }) {
            throw TokenizerError("token '\(bad.token)' has id \(bad.id), outside the 0...\(UInt32.max) ids a tokenizer can have")
        }
        do { try Tensor.checkAllocation(bytes: (largest + 1) * MemoryLayout<String?>.stride) } catch {
            throw TokenizerError("token ids reach \(largest) for \(entries.count) tokens: the id table would not fit in memory")
        }
        var ids = [CodePointKey: Int](minimumCapacity: entries.count)
        var tokens = [String?](repeating: nil, count: largest + 1)
        for (token, id) in entries where ids[CodePointKey(token)] == nil {
            ids[CodePointKey(token)] = id
            tokens[id] = token
        }
        (self.ids, self.tokens) = (ids, tokens)
    }

    /// A vocabulary whose ids are the positions of `tokens` (a Unigram's pieces): a token listed twice is found at
    /// its last position, as tokenizers' `Unigram::from` fills its `token_to_ids` map, and each id keeps its own token.
    public init(positions tokens: [String]) {
        var ids = [CodePointKey: Int](minimumCapacity: tokens.count)
        for (id, token) in tokens.enumerated() { ids[CodePointKey(token)] = id }
        (self.ids, self.tokens) = (ids, tokens)
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
        var lines = text.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        try self.init(entries: lines.enumerated().map { ($1, $0) })  // a line repeated keeps its first id
    }

    /// This vocabulary with the tokens of `extra` it lacks, at their ids (an id already taken keeps its token).
    public func adding(_ extra: [String: Int]) -> Vocabulary {
        let missing = extra.filter { id($0.key) == nil && token($0.value) == nil && $0.value >= 0 && $0.value <= Int(UInt32.max) }
        let current = ids.map { (token: $0.key.string, id: $0.value) }
        guard !missing.isEmpty, let merged = try? Vocabulary(entries: current + missing.map { ($0.key, $0.value) }) else { return self }
        return merged
    }

    /// The number of ids (`vocab_size`).
    public var count: Int { tokens.count }

    /// The id of `token`, if it is in the vocabulary.
    public func id(_ token: String) -> Int? { ids[CodePointKey(token)] }

    /// The token of `id`, if there is one.
    public func token(_ id: Int) -> String? { id >= 0 && id < tokens.count ? tokens[id] : nil }
}
