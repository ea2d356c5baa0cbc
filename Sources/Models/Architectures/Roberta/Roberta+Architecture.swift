extension Architecture {
    /// RoBERTa (`transformers.models.roberta`): BERT's encoder under RoBERTa's embeddings and heads.
    static let roberta = Architecture(
        modelType: "roberta", package: "roberta", configClass: "RobertaConfig",
        configDefaults: #"""
            {"attention_probs_dropout_prob": 0.1, "bos_token_id": 0, "classifier_dropout": null, "eos_token_id": 2,
             "hidden_act": "gelu", "hidden_dropout_prob": 0.1, "hidden_size": 768, "initializer_range": 0.02,
             "intermediate_size": 3072, "layer_norm_eps": 1e-12, "max_position_embeddings": 512, "model_type": "roberta",
             "num_attention_heads": 12, "num_hidden_layers": 12, "pad_token_id": 1, "position_embedding_type": "absolute",
             "type_vocab_size": 2, "use_cache": true, "vocab_size": 50265}
            """#,
        modelClasses: [
            ModelClass("RobertaModel", .base) { try RobertaModel($0, BertConfig($1), prefix: "roberta.") },
            ModelClass("RobertaForSequenceClassification", .sequenceClassification, head: "classifier.out_proj.weight") {
                try RobertaForSequenceClassification($0, BertConfig($1), numLabels: $1.numLabels, problemType: $1.field("problem_type")?.string)
            },
            ModelClass("RobertaForMaskedLM", .maskedLM, head: "lm_head.dense.weight", outputEmbeddings: "lm_head.decoder") { try RobertaForMaskedLM($0, BertConfig($1)) },
        ],
        takesTokenTypes: false,
        initialization: .normalWithInitializerRange)
}

extension RobertaModel: TransformerModel {}
extension RobertaForSequenceClassification: TransformerModel {}
extension RobertaForMaskedLM: TransformerModel {}
