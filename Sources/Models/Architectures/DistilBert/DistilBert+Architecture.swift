extension Architecture {
    /// DistilBERT (`transformers.models.distilbert`).
    static let distilBert = Architecture(
        modelType: "distilbert", package: "distilbert", configClass: "DistilBertConfig",
        configDefaults: #"""
            {"activation": "gelu", "attention_dropout": 0.1, "dim": 768, "dropout": 0.1, "hidden_dim": 3072,
             "initializer_range": 0.02, "max_position_embeddings": 512, "model_type": "distilbert", "n_heads": 12,
             "n_layers": 6, "pad_token_id": 0, "qa_dropout": 0.1, "seq_classif_dropout": 0.2,
             "sinusoidal_pos_embds": false, "vocab_size": 30522}
            """#,
        attributeMap: ["hidden_size": "dim", "num_attention_heads": "n_heads", "num_hidden_layers": "n_layers"],
        modelClasses: [
            ModelClass("DistilBertModel", .base) { try DistilBertModel($0, DistilBertConfig($1), prefix: "distilbert.") },
            ModelClass("DistilBertForSequenceClassification", .sequenceClassification, head: "classifier.weight") {
                try DistilBertForSequenceClassification($0, DistilBertConfig($1), numLabels: $1.numLabels, problemType: $1.field("problem_type")?.string)
            },
            ModelClass("DistilBertForMaskedLM", .maskedLM, head: "vocab_transform.weight", outputEmbeddings: "vocab_projector") {
                try DistilBertForMaskedLM($0, DistilBertConfig($1))
            },
            ModelClass("DistilBertForTokenClassification", .tokenClassification, head: "classifier.weight") {
                try DistilBertForTokenClassification($0, DistilBertConfig($1), numLabels: $1.numLabels)
            },
            ModelClass("DistilBertForQuestionAnswering", .questionAnswering, head: "qa_outputs.weight") {
                try DistilBertForQuestionAnswering($0, DistilBertConfig($1))
            },
        ],
        takesTokenTypes: false,
        initialization: .normalWithInitializerRange)
}

extension DistilBertModel: TransformerModel {}
extension DistilBertForSequenceClassification: TransformerModel {}
extension DistilBertForMaskedLM: TransformerModel {}
extension DistilBertForTokenClassification: TransformerModel {}
extension DistilBertForQuestionAnswering: TransformerModel {}
