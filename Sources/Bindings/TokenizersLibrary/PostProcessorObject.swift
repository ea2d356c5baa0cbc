import Language
import Tokenizers

/// A post-processor of huggingface/tokenizers (`tokenizer.post_processor`), as `processors.NAME(...)` builds it.
final class PostProcessorObject: TokenizerStageObject {
    static let module = "processors"
    static let members = MemberTable<PostProcessorObject>("PostProcessor", [])
    let processor: any PostProcessor
    var stage: Any { processor }
    /// `ByteLevelProcessing` is `processors.ByteLevel`; the others have their Swift names.
    var typeName: String { processor is ByteLevelProcessing ? "ByteLevel" : String(describing: type(of: processor)) }

    init(_ processor: any PostProcessor) { self.processor = processor }

    /// `processors.TemplateProcessing`, `BertProcessing`, `RobertaProcessing` and `ByteLevel`.
    static func classes() -> [StageClass] { [
        StageClass("processors", "TemplateProcessing", "single=None, pair=None, special_tokens=None") { a in
            let single = try template(a, "single") ?? [.sequence(.a, typeID: 0)]
            let pair = try template(a, "pair") ?? [.sequence(.a, typeID: 0), .sequence(.b, typeID: 1)]
            guard Set(pair.compactMap { if case .sequence(let id, _) = $0 { id } else { nil } }).count == 2 else {
                throw PyError.value("Template for `pair` must use both sequences")
            }
            var ids = [String: [Int]]()
            for (token, id) in try specialTokens(a) { ids[token] = [id] }
            let missing = (single + pair).compactMap { if case .specialToken(let name, _) = $0, ids[name] == nil { name } else { nil } }
            guard missing.isEmpty else {
                throw PyError.value("Missing SpecialToken(s) with id(s) `\(Array(Set(missing)).sorted().joined(separator: ", "))`")
            }
            return .object(PostProcessorObject(try TemplateProcessing(single: single, pair: pair, specialTokens: ids)))
        },
        StageClass("processors", "BertProcessing", "sep, cls") { a in
            .object(PostProcessorObject(TemplateProcessing.bert(classifier: try tokenAndID(a, "cls"), separator: try tokenAndID(a, "sep"))))
        },
        StageClass("processors", "RobertaProcessing", "sep, cls, trim_offsets=True, add_prefix_space=True") { a in
            let trimming = try a.bool("trim_offsets") ? ByteLevelOffsetTrimming(addPrefixSpace: try a.bool("add_prefix_space")) : nil
            return .object(PostProcessorObject(RobertaProcessing(classifier: try tokenAndID(a, "cls"), separator: try tokenAndID(a, "sep"),
                                                                 trimming: trimming)))
        },
        StageClass("processors", "ByteLevel", "trim_offsets=True") { a in
            .object(PostProcessorObject(ByteLevelProcessing(trimming: try a.bool("trim_offsets") ? ByteLevelOffsetTrimming(addPrefixSpace: true) : nil)))
        },
    ] }

    /// A template, as a str (`"[CLS]:0 $A:0 [SEP]:0"`, split at each space) or a list of pieces; nil for None.
    private static func template(_ a: StageArguments, _ name: String) throws -> [TemplateProcessing.Piece]? {
        let pieces: [String]
        switch a.values[name] ?? .none {
        case .none: return nil
        case .str(let text): pieces = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        case .list(let list): pieces = try list.items.map { try $0.asString("a template piece") }
        case let other: throw PyError.type("argument '\(name)': '\(other.typeName)' object cannot be converted to 'Template'")
        }
        return try pieces.map(piece)
    }

    /// One piece of a template, as tokenizers' `Piece::try_from` reads it: `$A` or `$a` (or `$`), `$B`, `$1` (A with
    /// type id 1), a special token's name, each maybe with `:type_id` (a u32).
    private static func piece(_ text: String) throws -> TemplateProcessing.Piece {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        let wrong = PyError.value("Cannot build Piece from string \"\(text)\"")
        guard parts.count <= 2, var piece = sequenceOrToken(parts[0]) else { throw wrong }
        if parts.count == 2 {
            guard let typeID = UInt32(parts[1]) else { throw wrong }
            switch piece {
            case .sequence(let id, _): piece = .sequence(id, typeID: Int(typeID))
            case .specialToken(let name, _): piece = .specialToken(name, typeID: Int(typeID))
            }
        }
        return piece
    }

    /// `$`, `$A`, `$a` and `$N` as sequence A (type id N), `$B` and `$b` as B, else a special token; nil for another `$`.
    private static func sequenceOrToken(_ text: String) -> TemplateProcessing.Piece? {
        guard text.unicodeScalars.first == "$" else { return .specialToken(text, typeID: 0) }
        switch String(text.unicodeScalars.dropFirst()) {
        case "", "A", "a": return .sequence(.a, typeID: 0)
        case "B", "b": return .sequence(.b, typeID: 0)
        case let rest: return UInt32(rest).map { .sequence(.a, typeID: Int($0)) }
        }
    }

    /// `special_tokens`: (token, id) pairs.
    private static func specialTokens(_ a: StageArguments) throws -> [(String, Int)] {
        guard case .list(let list) = a.values["special_tokens"] ?? .none else { return [] }
        return try list.items.map { item in
            guard case .tuple(let pair) = item, pair.count == 2 else { throw PyError.type("special_tokens: expected (str, int) pairs") }
            return (try pair[0].asString("a special token"), try pair[1].asInt("a special token's id"))
        }
    }

    /// A `(token, id)` argument (`sep=("[SEP]", 102)`).
    private static func tokenAndID(_ a: StageArguments, _ name: String) throws -> (token: String, id: Int) {
        guard case .tuple(let pair) = a.values[name] ?? .none, pair.count == 2 else {
            throw PyError.type("argument '\(name)': expected a (str, int) tuple")
        }
        return (try pair[0].asString("a special token"), try pair[1].asInt("a special token's id"))
    }
}
