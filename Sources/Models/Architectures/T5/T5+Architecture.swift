extension Architecture {
    /// T5 (`transformers.models.t5`; v1.0's ReLU feed-forward or v1.1's and FLAN-T5's gated GELU): an encoder-decoder
    /// with relative position biases, for translation and the other text-to-text tasks.
    static let t5 = Architecture(
        modelType: "t5", package: "t5", configClass: "T5Config",
        configDefaults: #"""
            {"classifier_dropout": 0.0, "d_ff": 2048, "d_kv": 64, "d_model": 512, "dense_act_fn": "relu",
             "dropout_rate": 0.1, "eos_token_id": 1, "feed_forward_proj": "relu", "initializer_factor": 1.0,
             "is_encoder_decoder": true, "is_gated_act": false, "layer_norm_epsilon": 1e-06, "model_type": "t5",
             "num_decoder_layers": 6, "num_heads": 8, "num_layers": 6, "pad_token_id": 0,
             "relative_attention_max_distance": 128, "relative_attention_num_buckets": 32, "use_cache": true,
             "vocab_size": 32128}
            """#,
        attributeMap: ["hidden_size": "d_model", "num_attention_heads": "num_heads", "num_hidden_layers": "num_layers",
                       "head_dim": "d_kv"],
        modelClasses: [
            ModelClass("T5Model", .base) { try T5Model($0, T5Config($1)) },
            ModelClass("T5ForConditionalGeneration", .seq2seqLM, outputEmbeddings: "lm_head") { try T5ForConditionalGeneration($0, T5Config($1)) },
        ],
        takesTokenTypes: false,
        warnsOfUnmaskedPadding: false,
        initialization: .normalWithInitializerFactor)
}

extension T5Model: TransformerModel {}
extension T5ForConditionalGeneration: TransformerModel {}
