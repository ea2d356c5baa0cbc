import Language
import Tokenizers

/// A decoder of huggingface/tokenizers (`tokenizer.decoder`), as `decoders.NAME(...)` builds it.
final class DecoderObject: TokenizerStageObject {
    static let module = "decoders"
    static let members = MemberTable<DecoderObject>("Decoder", [])
    let decoder: any TokenDecoder
    var stage: Any { decoder }
    /// Its Swift name without `Decoder` (`WordPieceDecoder` is `decoders.WordPiece`).
    var typeName: String { String(String(describing: type(of: decoder)).dropLast("Decoder".count)) }

    init(_ decoder: any TokenDecoder) { self.decoder = decoder }

    /// `decoders.WordPiece`, `ByteLevel` and `Metaspace`.
    static func classes() -> [StageClass] { [
        StageClass("decoders", "WordPiece", "prefix='##', cleanup=True") { a in
            .object(DecoderObject(WordPieceDecoder(prefix: try a.string("prefix"), cleanup: try a.bool("cleanup"))))
        },
        StageClass("decoders", "ByteLevel") { _ in .object(DecoderObject(ByteLevelDecoder())) },
        StageClass("decoders", "Metaspace", "replacement='▁', prepend_scheme='always', split=True") { a in
            let (replacement, scheme) = try a.metaspace()
            return .object(DecoderObject(MetaspaceDecoder(replacement: replacement, prependScheme: scheme)))
        },
    ] }
}
