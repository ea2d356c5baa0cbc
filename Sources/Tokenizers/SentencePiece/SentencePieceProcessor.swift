/// sentencepiece's own encoding and decoding with a Unigram model (what its `SentencePieceProcessor` does, and what
/// transformers' slow SentencePiece classes call): the model's normalization (`SentencePieceNormalization`), the
/// Viterbi search over the whole normalized text with the scores summed in `Float`, an unknown run as the text it
/// stands for (or its bytes' `<0xXX>` pieces with byte fallback), and pieces decoded back into text.
public struct SentencePieceProcessor: Sendable {
    public let model: SentencePieceModel
    public let normalization: SentencePieceNormalization
    private let trie: PieceTrie
    /// Each piece's score by id, nil for the ones the search never chooses (unused).
    private let scores: [Float?]
    /// The lowest normal piece's score minus 10 (`kUnkPenalty`).
    private let unknownScore: Float
    private let ids: [String: Int]

    /// A processor for `model`, which must be a Unigram model.
    public init(_ model: SentencePieceModel) throws {
        guard model.modelType == .unigram else {
            throw TokenizerError("sbpl reads only Unigram SentencePiece models, not \(model.modelType) ones")
        }
        self.model = model
        normalization = SentencePieceNormalization(model.normalizer)
        let searched: Set<SentencePieceModel.PieceType> = [.normal, .userDefined, .unused]
        trie = PieceTrie(model.pieces.map { searched.contains($0.type) ? $0.text : "" })
        let normal = model.pieces.filter { $0.type == .normal }.map(\.score)
        // a user-defined piece always wins: its score is its length in bytes times the highest score, less 0.1
        let highest = max(normal.max() ?? 0, Float.leastNormalMagnitude)
        scores = model.pieces.map { piece in
            switch piece.type {
            case .unused: nil
            case .userDefined: Float(piece.text.utf8.count) * highest - 0.1
            default: piece.score
            }
        }
        unknownScore = (normal.min() ?? 0) - 10
        ids = Dictionary(model.pieces.enumerated().map { ($1.text, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The id of `piece`, the unknown piece's for one the model lacks (`PieceToId`).
    public func id(_ piece: String) -> Int { ids[piece] ?? model.unknownID }

    /// The pieces of `text` (`encode(text, out_type=str)`), each with the code points of `text` it comes from.
    public func encode(_ text: ArraySlice<Unicode.Scalar>) -> [(piece: String, span: Range<Int>)] {
        let normalized = normalization.normalize(text)
        let pieces = UnigramLattice.bestPieces(normalized.scalars[...], trie: trie, unknownScore: unknownScore) { scores[$0] }
        return pieces.flatMap { piece -> [(piece: String, span: Range<Int>)] in
            let start = normalized.origins[piece.span.lowerBound] + text.startIndex
            let end = piece.span.upperBound < normalized.origins.count ? normalized.origins[piece.span.upperBound] + text.startIndex : text.endIndex
            let surface = String(String.UnicodeScalarView(normalized.scalars[piece.span]))
            guard piece.id == nil, model.byteFallback else { return [(surface, start..<max(start, end))] }
            return surface.utf8.map { ("<0x" + String($0, radix: 16, uppercase: true).leftPadded(to: 2) + ">", start..<max(start, end)) }
        }
    }

    /// The text of `pieces` (`decode_pieces`): control pieces vanish, the unknown piece is ` ⁇ `, a piece the model
    /// lacks stays as written, `<0xXX>` runs are decoded as UTF-8, and `▁` is a space, but for the one that starts the
    /// text.
    public func decode(_ pieces: [String]) -> String {
        var text = "", bytes = [UInt8]()
        for piece in pieces {
            let id = id(piece), type = model.pieces[id].type
            if type == .byte, let byte = Self.byteValue(piece) {
                bytes.append(byte)
                continue
            }
            text += String(decoding: bytes, as: UTF8.self)
            bytes.removeAll()
            switch type {
            case .control: continue
            case .unknown: text += piece == model.pieces[id].text ? " \u{2047} " : piece
            default:
                let surface = text.isEmpty && piece.hasPrefix("▁") ? String(piece.dropFirst()) : piece
                text += surface.replacingOccurrences(of: "▁", with: " ")
            }
        }
        return text + String(decoding: bytes, as: UTF8.self)
    }

    /// The byte of a `<0xXX>` piece.
    private static func byteValue(_ piece: String) -> UInt8? {
        guard piece.hasPrefix("<0x"), piece.hasSuffix(">"), piece.count == 6 else { return nil }
        return UInt8(piece.dropFirst(3).dropLast(), radix: 16)
    }
}

/// sentencepiece's `Normalizer::Normalize`: the charsmap's longest rule at each place (a text no rule starts with is
/// copied one code point at a time), spaces at the start, at the end and after a space dropped if
/// `removeExtraWhitespaces`, a `▁` put in front if `addDummyPrefix`, and spaces made `▁` if `escapeWhitespaces`.
/// Each code point of the result comes from the input code point where the rule that made it starts. (sentencepiece
/// also keeps user-defined pieces out of the rules; the models sbpl reads this way, Marian's, have none.)
public struct SentencePieceNormalization: Sendable {
    public let spec: SentencePieceModel.NormalizerSpec

    public init(_ spec: SentencePieceModel.NormalizerSpec) { self.spec = spec }

    public func normalize(_ text: ArraySlice<Unicode.Scalar>) -> NormalizedText {
        let chunks = self.chunks(text)
        var out = NormalizedText(capacity: text.count + 1)
        let space: Unicode.Scalar = spec.escapeWhitespaces ? "▁" : " "
        var index = spec.removeExtraWhitespaces ? chunks.firstIndex { $0.text != [" "] } ?? chunks.endIndex : 0
        guard index < chunks.endIndex else { return out }
        if spec.addDummyPrefix { out.append(space, from: chunks[index].origin) }
        var afterSpace = spec.removeExtraWhitespaces
        while index < chunks.endIndex {
            let chunk = chunks[index]
            let kept = afterSpace ? chunk.text.drop { $0 == " " } : chunk.text[...]
            for c in kept { out.append(c == " " ? space : c, from: chunk.origin) }
            if !kept.isEmpty { afterSpace = kept.last == " " }
            if !spec.removeExtraWhitespaces { afterSpace = false }
            index += 1
        }
        if spec.removeExtraWhitespaces { out.dropTrailing(space) }
        return out
    }

    /// `text` cut where the rules apply: each piece's normalized code points and the code point it starts at.
    private func chunks(_ text: ArraySlice<Unicode.Scalar>) -> [(text: [Unicode.Scalar], origin: Int)] {
        let bytes = Array(String(String.UnicodeScalarView(text)).utf8)
        var chunks = [(text: [Unicode.Scalar], origin: Int)](), position = 0, origin = 0
        while position < bytes.count {
            let length: Int, normalized: [Unicode.Scalar]
            if let rule = spec.charsmap?.longestReplacement(bytes[position...]) {
                (length, normalized) = (rule.length, Array(rule.text.unicodeScalars))
            } else {
                length = Self.scalarLength(bytes[position])
                normalized = Array(String(decoding: bytes[position..<min(bytes.count, position + length)], as: UTF8.self).unicodeScalars)
            }
            chunks.append((normalized, origin))
            origin += bytes[position..<min(bytes.count, position + length)].filter { $0 & 0xC0 != 0x80 }.count
            position += length
        }
        return chunks
    }

    /// The length in bytes of the UTF-8 sequence `lead` starts.
    private static func scalarLength(_ lead: UInt8) -> Int {
        switch lead {
        case 0xF0...: 4
        case 0xE0...: 3
        case 0xC0...: 2
        default: 1
        }
    }
}
