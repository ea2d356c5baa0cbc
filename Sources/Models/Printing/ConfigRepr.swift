import Foundation
import PythonText

extension ModelConfig {
    /// `print(config)`, as transformers 4.46's `PretrainedConfig.__repr__` prints it: the class name, then as JSON
    /// (sorted keys, two-space indent) the class's own fields and every other field whose value differs from
    /// `PretrainedConfig()`'s (`to_diff_dict`). `withModel`: the config belongs to a loaded model, which sets
    /// `_attn_implementation_autoset`.
    public func pythonRepr(withModel: Bool) -> String {
        "\(className) " + diffJSON(overriding: ["_attn_implementation_autoset": .bool(withModel)])
    }

    /// `config.to_json_string()`: the fields that differ from the defaults, as `config.json` is saved and the
    /// config printed, with `overriding` applied first.
    public func diffJSON(overriding: JSONObject = JSONObject()) -> String {
        let classDefaults = ModelConfig.pretrainedDefaults.merging(architecture?.configDefaults ?? JSONObject())
        var fields = classDefaults.merging(json)
        fields["num_labels"] = nil
        fields["id2label"] = .object(JSONObject(id2label.sorted { $0.key < $1.key }.map { (String($0.key), .string($0.value)) }))
        fields["label2id"] = json["label2id"] ?? (json["id2label"] == nil ? labelIDs : .null)
        fields["_name_or_path"] = .string(nameOrPath)
        fields["transformers_version"] = .string("4.46.3")
        fields = fields.merging(overriding)
        var shown = [String: Any]()
        for (key, value) in fields {
            if key != "transformers_version", let base = ModelConfig.pretrainedDefaults[key], let classDefault = classDefaults[key],
               value.pythonEquals(base), value.pythonEquals(classDefault) { continue }
            shown[key] = value
        }
        if shown["id2label"] != nil { shown["id2label"] = id2label }  // integer keys, sorted as numbers
        return PythonJSON.dumps(shown) + "\n"
    }

    /// `label2id` as a JSON object.
    private var labelIDs: JSONValue {
        .object(JSONObject(label2id.map { ($0.key, .int($0.value)) }))
    }

    /// `PretrainedConfig().to_dict()` in transformers 4.46.3.
    static let pretrainedDefaults = (try? JSONValue(parsing: #"""
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
        """#))?.object ?? JSONObject()
}
