import Foundation
import Hub
import PythonText

extension TokenizerFamily {
    /// `RobertaTokenizer` / `RobertaTokenizerFast`: byte-level BPE, `<s> A </s></s> B </s>`, offsets trimmed of spaces.
    public static let roberta = TokenizerFamily(
        className: "RobertaTokenizer", displayName: "RoBERTa", modelTypes: ["roberta"],
        modelInputNames: ["input_ids", "attention_mask"],
        specialTokens: PreTrainedTokenizer.SpecialTokens([
            .bos: AddedToken("<s>"), .eos: AddedToken("</s>"), .unknown: AddedToken("<unk>"), .separator: AddedToken("</s>"),
            .padding: AddedToken("<pad>"), .classifier: AddedToken("<s>"), .mask: AddedToken("<mask>", leftStrip: true),
        ]),
        vocabularyFileNames: ByteLevelFamily.vocabularyFileNames, convertSlow: ByteLevelFamily.robertaPipeline, applyInitArguments: ByteLevelFamily.apply,
        saveInitArguments: ByteLevelFamily.save(ByteLevelFamily.robertaInitDefaults), vocabularyFiles: ByteLevelFamily.vocabularyFiles,
        slowTokensToString: ByteLevelDecoder().decode)

    /// `BartTokenizer` / `BartTokenizerFast`: RoBERTa's.
    public static let bart = TokenizerFamily(
        className: "BartTokenizer", displayName: "BART", modelTypes: ["bart"], modelInputNames: ["input_ids", "attention_mask"],
        specialTokens: roberta.specialTokens, vocabularyFileNames: ByteLevelFamily.vocabularyFileNames,
        convertSlow: ByteLevelFamily.robertaPipeline, applyInitArguments: ByteLevelFamily.apply,
        saveInitArguments: ByteLevelFamily.save(ByteLevelFamily.robertaInitDefaults), vocabularyFiles: ByteLevelFamily.vocabularyFiles,
        slowTokensToString: ByteLevelDecoder().decode)

    /// `GPT2Tokenizer` / `GPT2TokenizerFast`: byte-level BPE with no special tokens around the text; `<|endoftext|>`
    /// is its beginning, end and unknown token, and it has no padding token.
    public static let gpt2 = TokenizerFamily(
        className: "GPT2Tokenizer", displayName: "GPT-2", modelTypes: ["gpt2"],
        modelInputNames: ["input_ids", "attention_mask"],
        specialTokens: PreTrainedTokenizer.SpecialTokens([
            .bos: AddedToken("<|endoftext|>"), .eos: AddedToken("<|endoftext|>"), .unknown: AddedToken("<|endoftext|>"),
        ]),
        vocabularyFileNames: ByteLevelFamily.vocabularyFileNames, convertSlow: ByteLevelFamily.gpt2Pipeline, applyInitArguments: ByteLevelFamily.apply,
        saveInitArguments: ByteLevelFamily.save([:]), vocabularyFiles: ByteLevelFamily.vocabularyFiles,
        slowTokensToString: ByteLevelDecoder().decode)
}

/// What the byte-level BPE tokenizer classes (GPT-2's, RoBERTa's) do their own way.
enum ByteLevelFamily {
    static let vocabularyFileNames = ["vocab.json", "merges.txt"]
    /// The `__init__` defaults RoBERTa's classes (and BART's, which are RoBERTa's) save.
    static let robertaInitDefaults: [String: any Sendable] = ["errors": "replace", "trim_offsets": true]

    /// transformers' `RobertaConverter`: the pipeline from `vocab.json` and `merges.txt`.
    static func robertaPipeline(_ checkpoint: Checkpoint, _ special: PreTrainedTokenizer.SpecialTokens,
                                _ config: [String: Any], _ addedTokens: [AddedToken]) throws -> Tokenizer {
        let model = try bpe(checkpoint)
        let prefixSpace = config["add_prefix_space"] as? Bool ?? false
        func token(_ role: PreTrainedTokenizer.SpecialTokens.Role) throws -> (token: String, id: Int) {
            guard let token = special[role], let id = model.vocabulary.id(token) else {
                throw TokenizerError("the vocabulary has no \(role.rawValue) '\(special[role] ?? "")'")
            }
            return (token, id)
        }
        return Tokenizer(normalizer: nil, preTokenizer: ByteLevel(addPrefixSpace: prefixSpace), model: model,
                         postProcessor: RobertaProcessing(classifier: try token(.classifier), separator: try token(.separator),
                                                          trimming: ByteLevelOffsetTrimming(addPrefixSpace: prefixSpace)),
                         decoder: ByteLevelDecoder(), addedTokens: addedTokens)
    }

    /// transformers' `GPT2Converter`: the pipeline from `vocab.json` and `merges.txt`.
    static func gpt2Pipeline(_ checkpoint: Checkpoint, _ special: PreTrainedTokenizer.SpecialTokens,
                             _ config: [String: Any], _ addedTokens: [AddedToken]) throws -> Tokenizer {
        Tokenizer(normalizer: nil, preTokenizer: ByteLevel(addPrefixSpace: config["add_prefix_space"] as? Bool ?? false),
                  model: try bpe(checkpoint), postProcessor: ByteLevelProcessing(trimming: nil), decoder: ByteLevelDecoder(),
                  addedTokens: addedTokens)
    }

    /// The BPE model of `vocab.json` and `merges.txt` (its first line the `#version` header, as GPT-2's).
    private static func bpe(_ checkpoint: Checkpoint) throws -> BPE {
        let vocabURL = try checkpoint.requiredFile("vocab.json", "tokenizer.json")
        let mergesURL = try checkpoint.requiredFile("merges.txt", "tokenizer.json")
        guard let vocab = try JSONFile.object(at: vocabURL) as? [String: Int] else {
            throw TokenizerError("\(vocabURL.path) should map each token to its id")
        }
        let vocabulary: Vocabulary
        do { vocabulary = try Vocabulary(vocab) } catch let error as TokenizerError {
            throw TokenizerError("\(vocabURL.path): \(error.message)")
        }
        let text: String
        do { text = try String(contentsOf: mergesURL, encoding: .utf8) } catch {
            throw TokenizerError("cannot read \(mergesURL.path): \(error.localizedDescription)")
        }
        // read as Python reads text (universal newlines), the first line the header, each merge split on whitespace
        var merges = [(String, String)]()
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n").split(separator: "\n")
        for line in lines.dropFirst() {
            let parts = line.split(whereSeparator: \.isWhitespace)
            guard parts.count == 2 else { throw TokenizerError("\(mergesURL.path): '\(line)' is not a merge of two tokens") }
            merges.append((String(parts[0]), String(parts[1])))
        }
        do { return try BPE(vocabulary: vocabulary, merges: merges) } catch let error as TokenizerError {
            throw TokenizerError("\(mergesURL.path): \(error.message)")
        }
    }

    /// `__init__`'s `add_prefix_space`, which the fast classes write into the pre-tokenizer and the post-processor.
    static func apply(_ config: [String: Any], to backend: inout Tokenizer) {
        guard let prefixSpace = config["add_prefix_space"] as? Bool else { return }
        if var byteLevel = backend.preTokenizer as? ByteLevel {
            byteLevel.addPrefixSpace = prefixSpace
            backend.preTokenizer = byteLevel
        }
        if var roberta = backend.postProcessor as? RobertaProcessing, roberta.trimming != nil {
            roberta.trimming?.addPrefixSpace = prefixSpace
            backend.postProcessor = roberta
        }
    }

    /// The `__init__` arguments `save_pretrained` writes: `add_prefix_space`, and the class's own `defaults` where
    /// the checkpoint set none (RoBERTa's `errors` and `trim_offsets`).
    static func save(_ defaults: [String: any Sendable]) -> @Sendable (Tokenizer, inout [String: Any]) -> Void {
        { backend, fields in
            fields["add_prefix_space"] = (backend.preTokenizer as? ByteLevel)?.addPrefixSpace ?? false
            for (key, value) in defaults where fields[key] == nil { fields[key] = value }
        }
    }

    /// `save_vocabulary`: `vocab.json` and `merges.txt` (with its `#version: 0.2` header) as the fast class writes
    /// them (huggingface/tokenizers' compact JSON in id order), or the slow class (`json.dumps(indent=2, sort_keys=True)`).
    static func vocabularyFiles(_ backend: Tokenizer, isFast: Bool) -> [String] {
        let vocabulary = backend.vocabulary
        let entries = (0..<vocabulary.count).compactMap { id in vocabulary.token(id).map { ($0, id) } }
        let vocab = isFast
            ? "{" + entries.map { PythonJSON.string($0.0, ensureASCII: false) + ":\($0.1)" }.joined(separator: ",") + "}"
            : PythonJSON.dumps(Dictionary(entries, uniquingKeysWith: { a, _ in a }), ensureASCII: false) + "\n"
        let merges = (backend.model as? BPE)?.mergeList ?? []
        return [vocab, "#version: 0.2\n" + merges.map { "\($0.0) \($0.1)\n" }.joined()]
    }
}
