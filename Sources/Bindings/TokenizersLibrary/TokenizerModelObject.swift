import Language
import Tokenizers

/// A model of huggingface/tokenizers as Python builds it (`models.BPE(...)`, `models.WordPiece(unk_token="[UNK]")`):
/// its model, from the vocabulary given (an empty one until a trainer learns it), and the settings a trainer keeps.
final class TokenizerModelObject: PyObject {
    enum Kind: String { case bpe = "BPE", wordPiece = "WordPiece", unigram = "Unigram" }

    let kind: Kind
    let model: any TokenizerModel
    let unknownToken: String?
    let maxInputCharsPerWord: Int

    init(_ kind: Kind, _ model: any TokenizerModel, unknownToken: String?, maxInputCharsPerWord: Int = 100) {
        (self.kind, self.model, self.unknownToken, self.maxInputCharsPerWord) = (kind, model, unknownToken, maxInputCharsPerWord)
    }

    /// The model of a tokenizer read from a file, as its `tokenizer.model` shows it.
    convenience init(_ model: any TokenizerModel) {
        switch model {
        case let wordPiece as WordPiece:
            self.init(.wordPiece, model, unknownToken: wordPiece.unknownToken, maxInputCharsPerWord: wordPiece.maxInputCharsPerWord)
        case is BPE: self.init(.bpe, model, unknownToken: model.unknownToken)
        default: self.init(.unigram, model, unknownToken: model.unknownToken)
        }
    }

    var typeName: String { kind.rawValue }
    var qualifiedTypeName: String? { "tokenizers.models.\(kind.rawValue)" }
    var repr: String { "<tokenizers.models.\(kind.rawValue) object>" }

    /// What a trainer of this model makes.
    func trained() throws -> TrainedModel {
        switch kind {
        case .bpe: return .bpe(unknownToken: unknownToken)
        case .wordPiece: return .wordPiece(unknownToken: unknownToken ?? "[UNK]", maxInputCharsPerWord: maxInputCharsPerWord)
        case .unigram: throw PyError(.notImplementedError, "sbpl does not support training a Unigram model yet")
        }
    }

    /// `models.BPE` and `models.WordPiece`.
    static func classes() -> [StageClass] { [
        StageClass("models", "BPE", "vocab=None, merges=None, dropout=None, unk_token=None, continuing_subword_prefix=None, end_of_word_suffix=None, byte_fallback=False") { a in
            guard !a.isGiven("dropout"), try !a.bool("byte_fallback") else {
                throw PyError(.notImplementedError, "sbpl does not support BPE's dropout or byte_fallback yet")
            }
            let (unknown, vocabulary) = (try a.optional("unk_token", a.string), try vocabulary(a))
            // an unknown token the vocabulary lacks (none until trained) is kept for the trainer, as tokenizers keeps it
            let model = try BPE(vocabulary: vocabulary, merges: try merges(a), unknownToken: unknown.flatMap { vocabulary.id($0) == nil ? nil : $0 },
                                continuingPrefix: try a.optional("continuing_subword_prefix", a.string) ?? "",
                                endOfWordSuffix: try a.optional("end_of_word_suffix", a.string) ?? "")
            return .object(TokenizerModelObject(.bpe, model, unknownToken: unknown))
        },
        StageClass("models", "WordPiece", "vocab=None, unk_token='[UNK]', max_input_chars_per_word=100") { a in
            let (unknown, vocabulary) = (try a.string("unk_token"), try vocabulary(a))
            let longest = try a.unsigned("max_input_chars_per_word")
            // until trained, an empty vocabulary that cuts nothing (tokenizers fails to encode with it)
            let model: any TokenizerModel = vocabulary.count == 0 ? try BPE(vocabulary: vocabulary, merges: [])
                : try WordPiece(vocabulary: vocabulary, unknownToken: unknown, maxInputCharsPerWord: longest)
            return .object(TokenizerModelObject(.wordPiece, model, unknownToken: unknown, maxInputCharsPerWord: longest))
        },
    ] }

    /// `vocab`: a dict of token to id (its tokens told apart by code points, as Python's dict tells them), or None.
    private static func vocabulary(_ a: StageArguments) throws -> Vocabulary {
        guard case .dict(let dict) = a.values["vocab"] ?? .none else {
            if a.isGiven("vocab") { throw PyError.type("argument 'vocab': expected a dict of str to int") }
            return try Vocabulary(entries: [])
        }
        return try Vocabulary(entries: dict.items.map { (try $0.asString("a vocab token"), try $1.asInt("a vocab id")) })
    }

    /// `merges`: a list of pairs of tokens, or None.
    private static func merges(_ a: StageArguments) throws -> [(String, String)] {
        guard case .list(let list) = a.values["merges"] ?? .none else {
            if a.isGiven("merges") { throw PyError.type("argument 'merges': expected a list of (str, str) pairs") }
            return []
        }
        return try list.items.map { item in
            guard case .tuple(let pair) = item, pair.count == 2 else { throw PyError.type("argument 'merges': expected (str, str) pairs") }
            return (try pair[0].asString("a merge's token"), try pair[1].asString("a merge's token"))
        }
    }
}

/// A trainer of huggingface/tokenizers (`trainers.BpeTrainer(...)`, `trainers.WordPieceTrainer(...)`): the settings
/// of a `BPETrainer`, and the model kind it trains.
final class TrainerObject: PyObject {
    let kind: TokenizerModelObject.Kind
    let trainer: BPETrainer
    /// `show_progress`: tokenizers then draws its bars (on stderr, when it is a terminal) and ends each of the
    /// training's three stages with a new line on stdout, which is what a script's output shows of them.
    let showsProgress: Bool

    init(_ kind: TokenizerModelObject.Kind, _ trainer: BPETrainer, showsProgress: Bool = true) {
        (self.kind, self.trainer, self.showsProgress) = (kind, trainer, showsProgress)
    }

    /// What a training that shows its progress prints on stdout: a new line at the end of each of its stages.
    static let progressLines = "\n\n\n"

    var typeName: String { kind == .bpe ? "BpeTrainer" : "WordPieceTrainer" }
    var qualifiedTypeName: String? { "tokenizers.trainers.\(typeName)" }
    var repr: String { "<tokenizers.trainers.\(typeName) object>" }

    private static let shared = "vocab_size=30000, min_frequency=0, show_progress=True, special_tokens=[], limit_alphabet=None, initial_alphabet=[]"

    /// `trainers.BpeTrainer` and `trainers.WordPieceTrainer`.
    static func classes() -> [StageClass] { [
        StageClass("trainers", "BpeTrainer", shared + ", continuing_subword_prefix=None, end_of_word_suffix=None, max_token_length=None") { a in
            var trainer = try settings(a)
            trainer.continuingPrefix = try a.optional("continuing_subword_prefix", a.string)
            trainer.maximumTokenLength = try a.optional("max_token_length", a.unsigned)
            return .object(TrainerObject(.bpe, trainer, showsProgress: try a.bool("show_progress")))
        },
        StageClass("trainers", "WordPieceTrainer", shared + ", continuing_subword_prefix='##', end_of_word_suffix=None") { a in
            var trainer = try settings(a)
            trainer.continuingPrefix = try a.string("continuing_subword_prefix")
            return .object(TrainerObject(.wordPiece, trainer, showsProgress: try a.bool("show_progress")))
        },
    ] }

    /// The texts of a training iterator, whose items are texts or lists (batches) of texts.
    static func texts(_ iterator: Value) throws -> [String] {
        var texts = [String]()
        for item in try Iteration.materialize(iterator) {
            if case .str(let text) = item { texts.append(text) } else {
                texts += try Iteration.materialize(item).map { try $0.asString("a training text") }
            }
        }
        return texts
    }

    /// The settings both trainers take.
    private static func settings(_ a: StageArguments) throws -> BPETrainer {
        var trainer = BPETrainer()
        trainer.vocabularySize = try a.unsigned("vocab_size")
        trainer.minimumFrequency = try a.unsigned("min_frequency")
        trainer.specialTokens = try a.strings("special_tokens")
        trainer.alphabetLimit = try a.optional("limit_alphabet", a.unsigned)
        trainer.initialAlphabet = try a.strings("initial_alphabet").compactMap(\.unicodeScalars.first)  // each str's first character
        trainer.endOfWordSuffix = try a.optional("end_of_word_suffix", a.string)
        return trainer
    }
}
