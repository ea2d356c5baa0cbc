extension Architecture {
    /// Marian (`transformers.models.marian`, the Helsinki-NLP `opus-mt-*` translation checkpoints): BART's layers
    /// with sinusoidal positions, no embedding layer norm, `final_logits_bias`, decoding from the pad token.
    static let marian = Architecture(
        modelType: "marian", package: "marian", configClass: "MarianConfig",
        configDefaults: #"""
            {"activation_dropout": 0.0, "activation_function": "gelu", "attention_dropout": 0.0, "d_model": 1024,
             "decoder_attention_heads": 16, "decoder_ffn_dim": 4096, "decoder_layerdrop": 0.0, "decoder_layers": 12,
             "decoder_start_token_id": 58100, "decoder_vocab_size": 58101, "dropout": 0.1, "encoder_attention_heads": 16,
             "encoder_ffn_dim": 4096, "encoder_layerdrop": 0.0, "encoder_layers": 12, "eos_token_id": 0,
             "forced_eos_token_id": 0, "init_std": 0.02, "is_encoder_decoder": true, "max_position_embeddings": 1024,
             "model_type": "marian", "num_hidden_layers": 12, "pad_token_id": 58100, "scale_embedding": false,
             "share_encoder_decoder_embeddings": true, "use_cache": true, "vocab_size": 58101}
            """#,
        attributeMap: ["hidden_size": "d_model", "num_attention_heads": "encoder_attention_heads"],
        modelClasses: [
            ModelClass("MarianModel", .base) { try MarianModel($0, MarianConfig($1), prefix: "model.") },
            ModelClass("MarianMTModel", .seq2seqLM, outputEmbeddings: "lm_head",
                       keysIgnoredOnSave: ["model.encoder.embed_positions.weight", "model.decoder.embed_positions.weight"]) {
                try MarianMTModel($0, MarianConfig($1))
            },
        ],
        takesTokenTypes: false,
        initialization: .normalWithInitStd)
}

extension MarianModel: TransformerModel {}
extension MarianMTModel: TransformerModel {}
