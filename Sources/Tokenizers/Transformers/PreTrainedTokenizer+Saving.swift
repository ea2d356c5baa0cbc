import Foundation
import PythonText

/// What `save_pretrained` needs from where a tokenizer was loaded: the `tokenizer_config.json` fields carried over,
/// whether its special tokens are recorded as AddedToken objects, the `tokenizer.json` a fast one was read from, and
/// the vocabulary files it was converted from.
public struct TokenizerSource: Sendable {
    /// The carried-over fields, as a JSON object.
    var carriedFields = "{}"
    /// transformers keeps special tokens as AddedToken objects when the checkpoint describes them (an
    /// `added_tokens_decoder` or a `tokenizer.json`), as plain strings otherwise.
    var specialTokensAsObjects = false
    var tokenizerJSON: URL?
    /// The vocabulary files read, by name, which a family that writes none of its own copies (T5's spiece.model).
    var vocabularyFiles: [(name: String, url: URL)] = []
    /// Whether it was built or trained in the program, so that `save_pretrained` writes its `tokenizer.json`.
    var isBuilt = false
}

extension PreTrainedTokenizer {
    /// `tokenizer.save_pretrained(directory)`: `tokenizer_config.json`, `special_tokens_map.json` and the vocabulary
    /// files (`vocab.txt`; `vocab.json` and `merges.txt`; Marian's `.spm` models and `vocab.json`) as transformers
    /// writes them, and, for a fast tokenizer read from one, its `tokenizer.json`. Returns the files.
    public func save(to directory: URL) throws -> [URL] {
        let written = family.vocabularyData?(backend) ?? family.vocabularyFiles(backend, isFast).map { Data($0.utf8) }
        var files = [(name: "tokenizer_config.json", data: Data(Self.json(tokenizerConfig()).utf8)),
                     (name: "special_tokens_map.json", data: Data(Self.json(specialTokensMap()).utf8))]
            + zip(family.vocabularyFileNames, written).map { (name: $0, data: $1) }
        let copied = (written.isEmpty ? source.vocabularyFiles : []) + (source.tokenizerJSON.map { [("tokenizer.json", $0)] } ?? [])
        // a fast tokenizer built or trained in the program writes its own, as transformers does
        if source.isBuilt, let text = try? backend.json().serialized(pretty: true) {
            files.append((name: "tokenizer.json", data: Data(text.utf8)))
        }
        guard files.count > 2 || !copied.isEmpty else {  // nothing holds the vocabulary
            throw TokenizerError("sbpl cannot save \(className)'s vocabulary yet: it writes no tokenizer.json")
        }
        for (name, url) in copied {
            do { files.append((name, try Data(contentsOf: url))) } catch {
                throw TokenizerError("cannot read \(url.path): \(error.localizedDescription)")
            }
        }
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            for file in files { try file.data.write(to: directory.appendingPathComponent(file.name)) }
        } catch {
            throw TokenizerError("cannot save the tokenizer in \(directory.path): \(error.localizedDescription)")
        }
        return files.map { directory.appendingPathComponent($0.name) }
    }

    /// `json.dumps(fields, indent=2, sort_keys=True, ensure_ascii=False) + "\n"`, as transformers writes its files.
    private static func json(_ fields: [String: Any]) -> String { PythonJSON.dumps(fields, ensureASCII: false) + "\n" }

    private func tokenizerConfig() -> [String: Any] {
        var fields = PythonJSON.object(source.carriedFields)
        for (role, token) in specialTokens.map { fields[role] = token }
        fields["clean_up_tokenization_spaces"] = cleanUpTokenizationSpaces
        family.saveInitArguments(backend, &fields)
        fields["model_max_length"] = modelMaxLength ?? PythonJSON.Literal(Self.veryLargeIntegerText)
        fields["tokenizer_class"] = family.className
        var decoder = [Int: Any]()  // keyed by id, as transformers' sort_keys orders them
        for token in specialTokens.addedTokens {
            guard let id = vocabulary.id(token.content) else { continue }
            decoder[id] = Self.addedToken(token).merging(["special": true]) { $1 }
        }
        fields["added_tokens_decoder"] = decoder
        return fields
    }

    private func specialTokensMap() -> [String: Any] {
        var map = [String: Any]()
        for role in SpecialTokens.Role.allCases {
            guard let token = specialTokens.tokens[role] else { continue }
            map[role.rawValue] = source.specialTokensAsObjects ? Self.addedToken(token) : token.content as Any
        }
        return map
    }

    /// An AddedToken as transformers serialises special tokens.
    private static func addedToken(_ token: AddedToken) -> [String: Any] {
        ["content": token.content, "lstrip": token.leftStrip, "normalized": false, "rstrip": token.rightStrip,
         "single_word": token.singleWord]
    }
}
