extension Architecture {
    /// BART (`transformers.models.bart`): an encoder-decoder, for summarization and (its MNLI classifier) zero-shot.
    static let bart = Architecture(
        modelType: "bart", package: "bart", configClass: "BartConfig",
        configDefaults: #"""
            {"activation_dropout": 0.0, "activation_function": "gelu", "attention_dropout": 0.0, "bos_token_id": 0,
             "classifier_dropout": 0.0, "d_model": 1024, "decoder_attention_heads": 16, "decoder_ffn_dim": 4096,
             "decoder_layerdrop": 0.0, "decoder_layers": 12, "decoder_start_token_id": 2, "dropout": 0.1,
             "encoder_attention_heads": 16, "encoder_ffn_dim": 4096, "encoder_layerdrop": 0.0, "encoder_layers": 12,
             "eos_token_id": 2, "forced_eos_token_id": 2, "init_std": 0.02, "is_encoder_decoder": true,
             "max_position_embeddings": 1024, "model_type": "bart", "num_hidden_layers": 12, "pad_token_id": 1,
             "scale_embedding": false, "use_cache": true, "vocab_size": 50265}
            """#,
        attributeMap: ["hidden_size": "d_model", "num_attention_heads": "encoder_attention_heads"],
        modelClasses: [
            ModelClass("BartModel", .base) { try BartModel($0, BartConfig($1), prefix: "model.") },
            ModelClass("BartForSequenceClassification", .sequenceClassification, head: "classification_head.out_proj.weight") {
                try BartForSequenceClassification($0, BartConfig($1), numLabels: $1.numLabels, problemType: $1.field("problem_type")?.string)
            },
            ModelClass("BartForConditionalGeneration", .seq2seqLM, outputEmbeddings: "lm_head") { try BartForConditionalGeneration($0, BartConfig($1)) },
        ],
        takesTokenTypes: false,
        warnsOfUnmaskedPadding: false,
        initialization: .normalWithInitStd)
}

extension BartModel: TransformerModel {}
extension BartForSequenceClassification: TransformerModel {}
extension BartForConditionalGeneration: TransformerModel {}
