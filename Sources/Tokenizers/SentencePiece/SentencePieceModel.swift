import Foundation

/// A SentencePiece model file (`spiece.model`, Marian's `source.spm` / `target.spm`): the `ModelProto` of
/// sentencepiece's `sentencepiece_model.proto`, as far as tokenizing needs it: the pieces, the trainer's settings
/// and the normalizer's. Unknown fields are skipped, as protobuf does; malformed bytes are a `TokenizerError`.
///
/// ```swift
/// let model = try SentencePieceModel(url: folder.appendingPathComponent("spiece.model"))
/// print(model.pieces[model.unknownID].text)  // <unk>
/// ```
public struct SentencePieceModel: Sendable {
    /// One piece: its text, its log-probability (Unigram) or merge rank (BPE), and its kind.
    public struct Piece: Sendable, Equatable {
        public var text: String
        public var score: Float
        public var type: PieceType
    }

    /// `SentencePiece.Type`.
    public enum PieceType: Int, Sendable {
        case normal = 1, unknown, control, userDefined, unused, byte
    }

    /// `TrainerSpec.ModelType`.
    public enum ModelType: Int, Sendable {
        case unigram = 1, bpe, word, char
    }

    /// `NormalizerSpec`: the normalization rules and what is done with spaces.
    public struct NormalizerSpec: Sendable {
        /// The rules, nil when the model normalizes nothing (`identity`).
        public var charsmap: PrecompiledCharsmap?
        /// Whether a `▁` is put in front of the text.
        public var addDummyPrefix = true
        /// Whether spaces at the ends are dropped and runs of them made one.
        public var removeExtraWhitespaces = true
        /// Whether spaces become `▁`.
        public var escapeWhitespaces = true
    }

    public var pieces: [Piece] = []
    public var modelType = ModelType.unigram
    public var unknownID = 0, bosID = 1, eosID = 2, padID = -1
    /// Whether unknown text becomes the `<0xXX>` pieces of its bytes.
    public var byteFallback = false
    public var normalizer = NormalizerSpec()
    /// The file's bytes, which `save_pretrained` copies.
    public let bytes: [UInt8]

    /// Reads the model at `url`.
    public init(url: URL) throws {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw TokenizerError("\(url.path) cannot be read (\(error.localizedDescription))")
        }
        try self.init(bytes: Array(data), source: url.path)
    }

    /// Reads a model from its bytes; `source` names them in errors.
    public init(bytes: [UInt8], source: String) throws {
        self.bytes = bytes
        var reader = ProtobufReader(bytes[...], source: source)
        while let (field, value) = try reader.next() {
            switch field {
            case 1: pieces.append(try Self.piece(try Self.message(value, "pieces", source), source: source))
            case 2: try readTrainerSpec(Self.message(value, "trainer_spec", source), source: source)
            case 3: try readNormalizerSpec(Self.message(value, "normalizer_spec", source), source: source)
            default: continue
            }
        }
        guard !pieces.isEmpty else { throw TokenizerError("\(source) is not a valid SentencePiece model: it has no pieces") }
        for (name, id) in [("unk_id", unknownID), ("bos_id", bosID), ("eos_id", eosID), ("pad_id", padID)] where id >= pieces.count {
            throw TokenizerError("\(source) is not a valid SentencePiece model: its \(name) \(id) is not the id of a piece (there are \(pieces.count))")
        }
        guard pieces.indices.contains(unknownID) else {
            throw TokenizerError("\(source) is not a valid SentencePiece model: it has no unknown piece (unk_id \(unknownID))")
        }
    }

    private static func message(_ value: ProtobufReader.Value, _ name: String, _ source: String) throws -> ProtobufReader {
        guard let bytes = value.data else { throw wrongType(name, source) }
        return ProtobufReader(bytes, source: source)
    }

    private static func wrongType(_ name: String, _ source: String) -> TokenizerError {
        TokenizerError("\(source) is not a valid SentencePiece model: its field \(name) does not have the type sentencepiece_model.proto gives it")
    }

    /// The value of field `name`, read by `read`, or an error if it is of another wire type.
    private static func read<T>(_ value: ProtobufReader.Value, _ name: String, _ source: String, _ read: (ProtobufReader.Value) -> T?) throws -> T {
        guard let result = read(value) else { throw wrongType(name, source) }
        return result
    }

    private static func piece(_ message: ProtobufReader, source: String) throws -> Piece {
        var reader = message, piece = Piece(text: "", score: 0, type: .normal)
        while let (field, value) = try reader.next() {
            switch field {
            case 1: piece.text = try read(value, "piece", source) { $0.string }
            case 2: piece.score = try read(value, "score", source) { $0.float }
            case 3:
                let number = try read(value, "type", source) { $0.int32 }
                guard let type = PieceType(rawValue: number) else {
                    throw TokenizerError("\(source) is not a valid SentencePiece model: piece '\(piece.text)' has type \(number), which sentencepiece does not know")
                }
                piece.type = type
            default: continue
            }
        }
        return piece
    }

    private mutating func readTrainerSpec(_ message: ProtobufReader, source: String) throws {
        var reader = message
        while let (field, value) = try reader.next() {
            switch field {
            case 3:
                let number = try Self.read(value, "model_type", source) { $0.int32 }
                guard let type = ModelType(rawValue: number) else {
                    throw TokenizerError("\(source) is not a valid SentencePiece model: model_type \(number) is not one sentencepiece knows")
                }
                modelType = type
            case 35: byteFallback = try Self.read(value, "byte_fallback", source) { $0.bool }
            case 40: unknownID = try Self.read(value, "unk_id", source) { $0.int32 }
            case 41: bosID = try Self.read(value, "bos_id", source) { $0.int32 }
            case 42: eosID = try Self.read(value, "eos_id", source) { $0.int32 }
            case 43: padID = try Self.read(value, "pad_id", source) { $0.int32 }
            default: continue
            }
        }
    }

    private mutating func readNormalizerSpec(_ message: ProtobufReader, source: String) throws {
        var reader = message
        while let (field, value) = try reader.next() {
            switch field {
            case 2:
                let bytes = try Self.read(value, "precompiled_charsmap", source) { $0.data }
                do { normalizer.charsmap = bytes.isEmpty ? nil : try PrecompiledCharsmap(Array(bytes)) } catch let error as TokenizerError {
                    throw TokenizerError("\(source) is not a valid SentencePiece model: \(error.message)")
                }
            case 3: normalizer.addDummyPrefix = try Self.read(value, "add_dummy_prefix", source) { $0.bool }
            case 4: normalizer.removeExtraWhitespaces = try Self.read(value, "remove_extra_whitespaces", source) { $0.bool }
            case 5: normalizer.escapeWhitespaces = try Self.read(value, "escape_whitespaces", source) { $0.bool }
            default: continue
            }
        }
    }
}
