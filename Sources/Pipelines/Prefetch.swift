import Hub
import Models
import Tokenizers

extension Pipeline {
    /// `sbpl download REPO`: fetches everything a checkpoint needs (config, tokenizer files, weights or their
    /// shards) into the Hugging Face cache, like `huggingface-cli download`, and returns the snapshot folder.
    public static func prefetch(_ name: String, revision: String = "main") throws -> Checkpoint {
        let checkpoint = try Checkpoint.locate(name, revision: revision)
        _ = try ModelConfig.load(checkpoint)
        _ = try BertTokenizer.load(checkpoint)
        _ = try Weights(checkpoint)
        return checkpoint
    }
}
