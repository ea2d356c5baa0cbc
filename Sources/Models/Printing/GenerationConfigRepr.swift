import PythonText

extension GenerationConfig {
    /// `print(model.generation_config)`, as transformers 4.46's `GenerationConfig.__repr__` prints it: the class
    /// name, then as JSON (sorted keys, two-space indent) the settings read whose values differ from
    /// `GenerationConfig()`'s, without metadata (`transformers_version`, `_from_model_config`).
    public var pythonRepr: String {
        var shown = [String: Any]()
        for (key, value) in fields where !Self.metadata.contains(key) {
            if let base = Self.defaults[key], value.pythonEquals(base) { continue }
            shown[key] = value
        }
        return "GenerationConfig " + PythonJSON.dumps(shown) + "\n"
    }

    /// `generation_config.NAME`: the setting read, else its default; nil for a name GenerationConfig has not.
    public func field(_ name: String) -> JSONValue? { fields[name] ?? Self.defaults[name] }

    /// Every name `field` answers, sorted.
    public var fieldNames: [String] { Set(fields.map(\.key) + Self.defaults.map(\.key)).sorted() }

    static let metadata: Set = ["transformers_version", "_from_model_config", "_commit_hash", "_original_object_hash"]

    /// `GenerationConfig().to_dict()` in transformers 4.46.3, without its metadata.
    static let defaults = (try? JSONValue(parsing: #"""
        {"assistant_confidence_threshold": 0.4, "bad_words_ids": null, "begin_suppress_tokens": null, "bos_token_id":
        null, "cache_config": null, "cache_implementation": null, "constraints": null, "decoder_start_token_id": null,
        "diversity_penalty": 0.0, "do_sample": false, "dola_layers": null, "early_stopping": false,
        "encoder_no_repeat_ngram_size": 0, "encoder_repetition_penalty": 1.0, "eos_token_id": null, "epsilon_cutoff":
        0.0, "eta_cutoff": 0.0, "exponential_decay_length_penalty": null, "force_words_ids": null,
        "forced_bos_token_id": null, "forced_decoder_ids": null, "forced_eos_token_id": null, "generation_kwargs": {},
        "guidance_scale": null, "is_assistant": false, "length_penalty": 1.0, "low_memory": null, "max_length": 20,
        "max_matching_ngram_size": null, "max_new_tokens": null, "max_time": null, "min_length": 0, "min_new_tokens":
        null, "min_p": null, "no_repeat_ngram_size": 0, "num_assistant_tokens": 20, "num_assistant_tokens_schedule":
        "constant", "num_beam_groups": 1, "num_beams": 1, "num_return_sequences": 1, "output_attentions": false,
        "output_hidden_states": false, "output_logits": null, "output_scores": false, "pad_token_id": null,
        "penalty_alpha": null, "prompt_lookup_num_tokens": null, "remove_invalid_values": false, "renormalize_logits":
        false, "repetition_penalty": 1.0, "return_dict_in_generate": false, "return_legacy_cache": null,
        "sequence_bias": null, "stop_strings": null, "suppress_tokens": null, "temperature": 1.0, "token_healing":
        false, "top_k": 50, "top_p": 1.0, "typical_p": 1.0, "use_cache": true, "watermarking_config": null}
        """#))?.object ?? JSONObject()
}
