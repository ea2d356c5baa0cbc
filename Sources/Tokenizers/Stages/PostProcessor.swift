/// A post-processor of huggingface/tokenizers: puts the special tokens around one sequence or a pair and sets
/// their type ids. Built from `tokenizer.json`'s `post_processor` section.
public protocol PostProcessor: Sendable {
    /// How many special tokens it adds to one sequence, or to a pair (`num_special_tokens_to_add`).
    func addedTokens(isPair: Bool) -> Int
    /// `first` and `second` joined as the template says; special tokens only if `addSpecialTokens`.
    func process(_ first: Encoding, _ second: Encoding?, addSpecialTokens: Bool) -> Encoding
    /// Adjusts the offsets of one sequence's tokens before `process` (the byte-level processors' `trim_offsets`).
    func adjustOffsets(_ encoding: inout Encoding, vocabulary: Vocabulary)
    /// This processor with each special token's id looked up by `id` (in a vocabulary trained anew).
    func renumbered(by id: (String) -> Int?) throws -> any PostProcessor
}

extension PostProcessor {
    public func adjustOffsets(_ encoding: inout Encoding, vocabulary: Vocabulary) {}
}

/// `processors.TemplateProcessing`: e.g. BERT's `[CLS] $A [SEP]` and `[CLS] $A [SEP] $B:1 [SEP]:1`.
public struct TemplateProcessing: PostProcessor, Equatable {
    /// Which sequence of a pair a template piece stands for.
    public enum SequenceID: String, Sendable { case a = "A", b = "B" }

    /// One piece of a template, with the type id of its tokens.
    public enum Piece: Sendable, Equatable {
        case sequence(SequenceID, typeID: Int)
        /// A special token by name, looked up in `specialTokens`.
        case specialToken(String, typeID: Int)
    }

    public let single: [Piece]
    public let pair: [Piece]
    /// The ids of each special token the templates name.
    public let specialTokens: [String: [Int]]
    /// The templates with the special tokens' ids looked up, and how many ids those add.
    private let resolvedSingle: Resolved, resolvedPair: Resolved

    /// A template whose special tokens' ids are looked up.
    private struct Resolved: Sendable, Equatable {
        enum Piece: Sendable, Equatable {
            case sequence(SequenceID, typeID: Int)
            case special([Int], typeID: Int)
        }

        var pieces: [Piece] = []
        var addedTokens = 0

        init(_ template: [TemplateProcessing.Piece], _ specialTokens: [String: [Int]]) {
            for piece in template {
                switch piece {
                case .sequence(let id, let typeID): pieces.append(.sequence(id, typeID: typeID))
                case .specialToken(let name, let typeID):
                    let ids = specialTokens[name] ?? []
                    pieces.append(.special(ids, typeID: typeID))
                    addedTokens += ids.count
                }
            }
        }
    }

    /// A template; each special token it names must have its ids in `specialTokens`.
    public init(single: [Piece], pair: [Piece], specialTokens: [String: [Int]]) throws {
        for case .specialToken(let name, _) in single + pair where specialTokens[name] == nil {
            throw TokenizerError("the template names special token '\(name)' but gives no ids for it")
        }
        self.init(checked: single, pair, specialTokens)
    }

    init(checked single: [Piece], _ pair: [Piece], _ specialTokens: [String: [Int]]) {
        (self.single, self.pair, self.specialTokens) = (single, pair, specialTokens)
        resolvedSingle = Resolved(single, specialTokens)
        resolvedPair = Resolved(pair, specialTokens)
    }

    public func renumbered(by id: (String) -> Int?) throws -> any PostProcessor { try renumberedTemplate(by: id) }

    /// The template with each special token's ids looked up by `id`, as transformers' `train_new_from_iterator`
    /// renumbers them.
    func renumberedTemplate(by id: (String) -> Int?) throws -> TemplateProcessing {
        var ids = [String: [Int]]()
        for name in specialTokens.keys {
            guard let new = id(name) else {
                throw TokenizerError("Attempted to set a token in the post processor that does not exist in the mapping")
            }
            ids[name] = [new]
        }
        return TemplateProcessing(checked: single, pair, ids)
    }

    /// BERT's template (what `processors.BertProcessing` and transformers' `BertConverter` build).
    public static func bert(classifier: (token: String, id: Int), separator: (token: String, id: Int)) -> TemplateProcessing {
        let (cls, sep) = (classifier.token, separator.token)
        return TemplateProcessing(
            checked: [.specialToken(cls, typeID: 0), .sequence(.a, typeID: 0), .specialToken(sep, typeID: 0)],
            [.specialToken(cls, typeID: 0), .sequence(.a, typeID: 0), .specialToken(sep, typeID: 0),
             .sequence(.b, typeID: 1), .specialToken(sep, typeID: 1)],
            [cls: [classifier.id], sep: [separator.id]])
    }

    public func addedTokens(isPair: Bool) -> Int { (isPair ? resolvedPair : resolvedSingle).addedTokens }

    public func process(_ first: Encoding, _ second: Encoding?, addSpecialTokens: Bool) -> Encoding {
        let template = second == nil ? resolvedSingle : resolvedPair
        var out = Encoding(capacity: first.count + (second?.count ?? 0) + (addSpecialTokens ? template.addedTokens : 0))
        for piece in template.pieces {
            switch piece {
            case .sequence(let id, let typeID):
                guard let sequence = id == .a ? first : second else { continue }
                out.append(sequence, typeID: typeID)
            case .special(let ids, let typeID):
                if addSpecialTokens { out.appendSpecial(ids, typeID: typeID) }
            }
        }
        return out
    }
}
