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
        case .unigram: return .unigram
        }
    }

    /// `models.BPE`, `models.WordPiece` and `models.Unigram`.
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
        StageClass("models", "Unigram", "vocab=None, unk_id=None, byte_fallback=None") { a in
            let byteFallback = try a.optional("byte_fallback", a.bool) ?? false
            let model: Unigram
            switch (a.isGiven("vocab"), a.isGiven("unk_id")) {
            case (false, false): model = try Unigram(pieces: [("<unk>", 0)], unknownID: 0)  // tokenizers' Unigram::default()
            case (false, true): throw PyError.value("`vocab` and `unk_id` must be both specified")
            case (true, _):
                let pieces = try scoredPieces(a), unknownID = try a.optional("unk_id", a.unsigned)
                if let unknownID {
                    guard !pieces.isEmpty else { throw PyError(.exception, "Error while loading Unigram: The vocabulary is empty but at least <unk> is needed") }
                    guard unknownID < pieces.count else { throw PyError(.exception, "Error while loading Unigram: The `unk_id` is larger than vocabulary size") }
                }
                model = try Unigram(pieces: pieces, unknownID: unknownID, byteFallback: byteFallback)
            }
            return .object(TokenizerModelObject(.unigram, model, unknownToken: model.unknownToken))
        },
    ] }

    /// `vocab` of a Unigram: a list of (piece, score) pairs.
    private static func scoredPieces(_ a: StageArguments) throws -> [(String, Double)] {
        guard case .list(let list) = a.values["vocab"] ?? .none else { throw PyError.type("argument 'vocab': expected a list of (str, float) pairs") }
        return try list.items.map { item in
            guard case .tuple(let pair) = item, pair.count == 2 else { throw PyError.type("argument 'vocab': expected (str, float) pairs") }
            return (try pair[0].asString("a vocab piece"), try pair[1].asDouble("a vocab score"))
        }
    }

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

/// A trainer of huggingface/tokenizers (`trainers.BpeTrainer(...)`, `trainers.WordPieceTrainer(...)`,
/// `trainers.UnigramTrainer(...)`): its settings, and the model kind it trains.
final class TrainerObject: PyObject {
    let kind: TokenizerModelObject.Kind
    let trainer: any ModelTrainer
    /// `show_progress`: tokenizers then draws its bars (on stderr, when it is a terminal) and ends each of the
    /// training's stages with a new line on stdout, which is what a script's output shows of them.
    let showsProgress: Bool

    init(_ kind: TokenizerModelObject.Kind, _ trainer: any ModelTrainer, showsProgress: Bool = true) {
        (self.kind, self.trainer, self.showsProgress) = (kind, trainer, showsProgress)
    }

    /// The trainer a model kind gets when none is given, with its defaults.
    static func defaults(for kind: TokenizerModelObject.Kind) -> TrainerObject {
        switch kind {
        case .bpe: TrainerObject(kind, BPETrainer())
        case .wordPiece: TrainerObject(kind, BPETrainer.wordPiece)
        case .unigram: TrainerObject(kind, UnigramTrainer())
        }
    }

    /// What a training that shows its progress prints on stdout: a new line at the end of each of its stages (BPE
    /// has three, Unigram two).
    var progressLines: String { kind == .unigram ? "\n\n" : "\n\n\n" }

    var typeName: String {
        switch kind {
        case .bpe: "BpeTrainer"
        case .wordPiece: "WordPieceTrainer"
        case .unigram: "UnigramTrainer"
        }
    }
    var qualifiedTypeName: String? { "tokenizers.trainers.\(typeName)" }
    var repr: String { "<tokenizers.trainers.\(typeName) object>" }

    private static let shared = "vocab_size=30000, min_frequency=0, show_progress=True, special_tokens=[], limit_alphabet=None, initial_alphabet=[]"

    /// `trainers.BpeTrainer`, `trainers.WordPieceTrainer` and `trainers.UnigramTrainer`.
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
        StageClass("trainers", "UnigramTrainer", "vocab_size=8000, show_progress=True, special_tokens=[], shrinking_factor=0.75, "
                   + "unk_token=None, max_piece_length=16, n_sub_iterations=2, initial_alphabet=[], seed_size=1000000") { a in
            var trainer = UnigramTrainer()
            trainer.vocabularySize = try a.unsigned32("vocab_size")
            trainer.specialTokens = try a.strings("special_tokens")
            trainer.shrinkingFactor = try a.double("shrinking_factor")
            trainer.unknownToken = try a.optional("unk_token", a.string)
            trainer.maximumPieceLength = try a.unsigned("max_piece_length")
            trainer.subIterations = try a.unsigned32("n_sub_iterations")
            trainer.initialAlphabet = try initialAlphabet(a)
            trainer.seedSize = try a.unsigned("seed_size")
            return .object(TrainerObject(.unigram, trainer, showsProgress: try a.bool("show_progress")))
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
        trainer.initialAlphabet = try initialAlphabet(a)
        trainer.endOfWordSuffix = try a.optional("end_of_word_suffix", a.string)
        return trainer
    }

    /// `initial_alphabet`: each str's first character, once (an empty str adds none).
    private static func initialAlphabet(_ a: StageArguments) throws -> [Unicode.Scalar] {
        var seen = Set<Unicode.Scalar>()
        return try a.strings("initial_alphabet").compactMap(\.unicodeScalars.first).filter { seen.insert($0).inserted }
    }
}
