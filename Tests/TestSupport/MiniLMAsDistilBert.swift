import Foundation
import Safetensors
import TensorCore

/// MiniLM's real BERT encoder written in DistilBERT's checkpoint layout, with a recipe classification head, as
/// scripts/fixtures/model_goldens.py builds it for PyTorch: a full-depth DistilBERT with real-valued activations.
/// The head is arbitrary: its "sentiment" means nothing.
public enum MiniLMAsDistilBert {
    static let layerNames = [
        "attention.self.query": "attention.q_lin", "attention.self.key": "attention.k_lin",
        "attention.self.value": "attention.v_lin", "attention.output.dense": "attention.out_lin",
        "attention.output.LayerNorm": "sa_layer_norm", "intermediate.dense": "ffn.lin1",
        "output.dense": "ffn.lin2", "output.LayerNorm": "output_layer_norm",
    ]

    /// Writes the checkpoint (config.json, model.safetensors, the SST-2 tokenizer files) into `directory`.
    public static func write(to directory: URL) throws {
        let source = try Fixtures.miniLM()
        let bert = try SafetensorsFile(path: source.appendingPathComponent("model.safetensors").path)
        var state = [String: Tensor]()
        for name in ["word_embeddings.weight", "LayerNorm.weight", "LayerNorm.bias"] {
            state["distilbert.embeddings." + name] = try bert.tensor("embeddings." + name)
        }
        let typeZero = try bert.tensor("embeddings.token_type_embeddings.weight").view(at: [.at(0)])
        state["distilbert.embeddings.position_embeddings.weight"] = try bert.tensor("embeddings.position_embeddings.weight").combined(.add, typeZero)
        for layer in 0..<6 {
            for (old, new) in layerNames {
                for kind in ["weight", "bias"] {
                    state["distilbert.transformer.layer.\(layer).\(new).\(kind)"] = try bert.tensor("encoder.layer.\(layer).\(old).\(kind)")
                }
            }
        }
        state["pre_classifier.weight"] = Fixtures.recipeTensor([384, 384], mul: 7919, mod: 2001, sub: 1000, div: 20000)
        state["pre_classifier.bias"] = Fixtures.recipeTensor([384], mul: 31, mod: 101, sub: 50, div: 1000)
        state["classifier.weight"] = Fixtures.recipeTensor([2, 384], mul: 7919, mod: 2001, sub: 1000, div: 10000)
        state["classifier.bias"] = Tensor(floats: [0.1, -0.1], shape: [2])
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try SafetensorsWriter.write(state, metadata: ["format": "pt"], to: directory.appendingPathComponent("model.safetensors").path)
        try config.write(to: directory.appendingPathComponent("config.json"), atomically: true, encoding: .utf8)
        try #"{"model_max_length": 512, "do_lower_case": true}"#
            .write(to: directory.appendingPathComponent("tokenizer_config.json"), atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(at: source.appendingPathComponent("vocab.txt"), to: directory.appendingPathComponent("vocab.txt"))
    }

    /// The SST-2 checkpoint's config with MiniLM's sizes.
    static let config = """
        {
          "activation": "gelu",
          "architectures": ["DistilBertForSequenceClassification"],
          "attention_dropout": 0.1,
          "dim": 384,
          "dropout": 0.1,
          "finetuning_task": "sst-2",
          "hidden_dim": 1536,
          "id2label": {"0": "NEGATIVE", "1": "POSITIVE"},
          "initializer_range": 0.02,
          "label2id": {"NEGATIVE": 0, "POSITIVE": 1},
          "max_position_embeddings": 512,
          "model_type": "distilbert",
          "n_heads": 12,
          "n_layers": 6,
          "output_past": true,
          "pad_token_id": 0,
          "qa_dropout": 0.1,
          "seq_classif_dropout": 0.2,
          "sinusoidal_pos_embds": false,
          "tie_weights_": true,
          "vocab_size": 30522
        }
        """
}
