import Foundation
import PythonText

extension ModelConfig {
    /// `print(config)`, as transformers 4.46's `PretrainedConfig.__repr__` prints it: the class name, then as JSON
    /// (sorted keys, two-space indent) the class's own fields and every other field whose value differs from
    /// `PretrainedConfig()`'s (`to_diff_dict`). `withModel`: the config belongs to a loaded model, which sets
    /// `_attn_implementation_autoset`.
    public func pythonRepr(withModel: Bool) -> String {
        "\(className) " + diffJSON(overriding: ["_attn_implementation_autoset": withModel])
    }

    /// `config.to_json_string()`: the fields that differ from the defaults, as `config.json` is saved and the
    /// config printed, with `overriding` applied first.
    public func diffJSON(overriding: [String: Any] = [:]) -> String {
        let classDefaults = ModelConfig.pretrainedDefaults.merging(ModelConfig.classDefaults[modelType] ?? [:]) { $1 }
        var fields = classDefaults.merging(json) { $1 }
        fields["num_labels"] = nil
        fields["id2label"] = id2label
        fields["label2id"] = json["label2id"] ?? (json["id2label"] == nil ? label2id : NSNull())
        fields["_name_or_path"] = nameOrPath
        fields["transformers_version"] = "4.46.3"
        fields.merge(overriding) { $1 }
        let shown = fields.filter { key, value in
            guard let base = ModelConfig.pretrainedDefaults[key], key != "transformers_version" else { return true }
            return !PythonJSON.equal(value, base) || !PythonJSON.equal(value, classDefaults[key]!)
        }
        return PythonJSON.dumps(shown) + "\n"
    }

    /// `config.<key>` as transformers answers it: config.json's value, else the config class's default, else
    /// `PretrainedConfig`'s; nil for a field no config has.
    public func field(_ key: String) -> Any? {
        json[key] ?? ModelConfig.classDefaults[modelType]?[key] ?? ModelConfig.pretrainedDefaults[key]
    }

    /// Every field `field(_:)` answers.
    public var fieldNames: [String] {
        let classKeys = ModelConfig.classDefaults[modelType].map { Array($0.keys) } ?? []
        return Array(Set(json.keys).union(classKeys).union(ModelConfig.pretrainedDefaults.keys)).sorted()
    }

    /// transformers' config class for this `model_type`.
    public var className: String {
        ["distilbert": "DistilBertConfig", "bert": "BertConfig"][modelType] ?? "PretrainedConfig"
    }

    /// `PretrainedConfig().to_dict()` in transformers 4.46.3.
    nonisolated(unsafe) static let pretrainedDefaults = PythonJSON.object(#"""
        {"_attn_implementation_autoset": false, "_name_or_path": "", "add_cross_attention": false, "architectures": null,
         "bad_words_ids": null, "begin_suppress_tokens": null, "bos_token_id": null, "chunk_size_feed_forward": 0,
         "cross_attention_hidden_size": null, "decoder_start_token_id": null, "diversity_penalty": 0.0,
         "do_sample": false, "early_stopping": false, "encoder_no_repeat_ngram_size": 0, "eos_token_id": null,
         "exponential_decay_length_penalty": null, "finetuning_task": null, "forced_bos_token_id": null,
         "forced_eos_token_id": null, "id2label": {"0": "LABEL_0", "1": "LABEL_1"}, "is_decoder": false,
         "is_encoder_decoder": false, "label2id": {"LABEL_0": 0, "LABEL_1": 1}, "length_penalty": 1.0,
         "max_length": 20, "min_length": 0, "model_type": "", "no_repeat_ngram_size": 0, "num_beam_groups": 1,
         "num_beams": 1, "num_return_sequences": 1, "output_attentions": false, "output_hidden_states": false,
         "output_scores": false, "pad_token_id": null, "prefix": null, "problem_type": null, "pruned_heads": {},
         "remove_invalid_values": false, "repetition_penalty": 1.0, "return_dict": true,
         "return_dict_in_generate": false, "sep_token_id": null, "suppress_tokens": null,
         "task_specific_params": null, "temperature": 1.0, "tf_legacy_loss": false, "tie_encoder_decoder": false,
         "tie_word_embeddings": true, "tokenizer_class": null, "top_k": 50, "top_p": 1.0, "torch_dtype": null,
         "torchscript": false, "transformers_version": "4.46.3", "typical_p": 1.0, "use_bfloat16": false}
        """#)

    /// What `BertConfig()` and `DistilBertConfig()` set beyond `PretrainedConfig()`.
    nonisolated(unsafe) static let classDefaults = [
        "bert": PythonJSON.object(#"""
            {"attention_probs_dropout_prob": 0.1, "classifier_dropout": null, "hidden_act": "gelu",
             "hidden_dropout_prob": 0.1, "hidden_size": 768, "initializer_range": 0.02, "intermediate_size": 3072,
             "layer_norm_eps": 1e-12, "max_position_embeddings": 512, "model_type": "bert", "num_attention_heads": 12,
             "num_hidden_layers": 12, "pad_token_id": 0, "position_embedding_type": "absolute", "type_vocab_size": 2,
             "use_cache": true, "vocab_size": 30522}
            """#),
        "distilbert": PythonJSON.object(#"""
            {"activation": "gelu", "attention_dropout": 0.1, "dim": 768, "dropout": 0.1, "hidden_dim": 3072,
             "initializer_range": 0.02, "max_position_embeddings": 512, "model_type": "distilbert", "n_heads": 12,
             "n_layers": 6, "pad_token_id": 0, "qa_dropout": 0.1, "seq_classif_dropout": 0.2,
             "sinusoidal_pos_embds": false, "vocab_size": 30522}
            """#),
    ]
}
