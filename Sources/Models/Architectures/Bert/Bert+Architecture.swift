extension Architecture {
    /// BERT (`transformers.models.bert`).
    static let bert = Architecture(
        modelType: "bert", package: "bert", configClass: "BertConfig",
        configDefaults: #"""
            {"attention_probs_dropout_prob": 0.1, "classifier_dropout": null, "hidden_act": "gelu",
             "hidden_dropout_prob": 0.1, "hidden_size": 768, "initializer_range": 0.02, "intermediate_size": 3072,
             "layer_norm_eps": 1e-12, "max_position_embeddings": 512, "model_type": "bert", "num_attention_heads": 12,
             "num_hidden_layers": 12, "pad_token_id": 0, "position_embedding_type": "absolute", "type_vocab_size": 2,
             "use_cache": true, "vocab_size": 30522}
            """#,
        modelClasses: [
            ModelClass("BertModel", .base) { try BertModel($0, BertConfig($1), prefix: "bert.") },
            ModelClass("BertForSequenceClassification", .sequenceClassification, head: "classifier.weight") {
                try BertForSequenceClassification($0, BertConfig($1), numLabels: $1.numLabels, problemType: $1.field("problem_type")?.string)
            },
            ModelClass("BertForMaskedLM", .maskedLM, head: "cls.predictions.transform.dense.weight", outputEmbeddings: "cls.predictions.decoder") {
                try BertForMaskedLM($0, BertConfig($1))
            },
            ModelClass("BertForTokenClassification", .tokenClassification, head: "classifier.weight") {
                try BertForTokenClassification($0, BertConfig($1), numLabels: $1.numLabels)
            },
            ModelClass("BertForQuestionAnswering", .questionAnswering, head: "qa_outputs.weight") {
                try BertForQuestionAnswering($0, BertConfig($1), numLabels: $1.numLabels)
            },
        ],
        takesTokenTypes: true,
        initialization: .normalWithInitializerRange)
}

extension BertModel: TransformerModel {}
extension BertForSequenceClassification: TransformerModel {}
extension BertForMaskedLM: TransformerModel {}
extension BertForTokenClassification: TransformerModel {}
extension BertForQuestionAnswering: TransformerModel {}
