import Foundation
import Hub
import Models

/// `sbpl download`: a checkpoint's files into the Hugging Face cache.
public enum Prefetch {
    /// The files a checkpoint may have that sbpl or transformers read: the config, every kind of tokenizer file,
    /// and the weights (whole or as a shard index). The shards the index names are fetched after it.
    static let checkpointFiles = [
        "config.json", "generation_config.json", "tokenizer_config.json", "special_tokens_map.json", "added_tokens.json",
        "tokenizer.json", "vocab.txt", "vocab.json", "merges.txt", "spiece.model", "sentencepiece.bpe.model",
        "model.safetensors", "model.safetensors.index.json",
    ]

    /// `sbpl download REPO`: fetches the files a checkpoint has (config, tokenizer files, weights or their shards)
    /// into the Hugging Face cache, like `huggingface-cli download`, without reading them as a tokenizer or a
    /// model (so any repository works), and returns the snapshot folder. `isInterrupted` says when the user asked
    /// to stop (the download then throws `HubError.interrupted`, keeping its partial file).
    public static func checkpoint(_ name: String, revision: String = "main",
                                  isInterrupted: @escaping @Sendable () -> Bool = { false }) throws -> Checkpoint {
        try checkpoint(Checkpoint.locate(name, revision: revision, fetching: .fromEnvironment(isInterrupted: isInterrupted)))
    }

    /// Fetches `checkpoint`'s files (see `checkpoint(_:revision:)`).
    public static func checkpoint(_ checkpoint: Checkpoint) throws -> Checkpoint {
        for file in checkpointFiles {
            guard let url = try checkpoint.file(file), file.hasSuffix(".index.json") else { continue }
            for shard in try shards(in: url) { _ = try checkpoint.requiredFile(shard) }
        }
        return checkpoint
    }

    /// The shard files a `model.safetensors.index.json` names, each once, in order.
    private static func shards(in index: URL) throws -> [String] {
        struct ShardIndex: Decodable {
            var weightMap: [String: String]
            enum CodingKeys: String, CodingKey { case weightMap = "weight_map" }
        }
        do {
            return Set(try JSONDecoder().decode(ShardIndex.self, from: Data(contentsOf: index)).weightMap.values).sorted()
        } catch {
            throw ModelError("\(index.path): 'weight_map' must map tensor names to shard files")
        }
    }
}
