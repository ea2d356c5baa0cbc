/// The module trees transformers 4.46 builds for each architecture (with its default SDPA attention): what
/// `print(model)` shows and `save_pretrained` writes. Names are the checkpoint's; dropouts are listed although eval
/// mode makes them the identity.
extension DistilBertModel {
    public var moduleTree: ModuleTree {
        let c = config
        let embeddings = ModuleTree("Embeddings", "", [
            ("word_embeddings", .embedding(self.embeddings.word_embeddings, paddingIdx: c.padTokenID)),
            ("position_embeddings", .embedding(self.embeddings.position_embeddings)),
            ("LayerNorm", .layerNorm(self.embeddings.LayerNorm, eps: c.layerNormEps)),
            ("dropout", .dropout(c.dropout)),
        ])
        let blocks = layer.map { block in
            ModuleTree("TransformerBlock", "", [
                ("attention", ModuleTree("DistilBertSdpaAttention", "", [
                    ("dropout", .dropout(c.attentionDropout)),
                    ("q_lin", .linear(block.q_lin)), ("k_lin", .linear(block.k_lin)),
                    ("v_lin", .linear(block.v_lin)), ("out_lin", .linear(block.out_lin)),
                ])),
                ("sa_layer_norm", .layerNorm(block.sa_layer_norm, eps: c.layerNormEps)),
                ("ffn", ModuleTree("FFN", "", [
                    ("dropout", .dropout(c.dropout)),
                    ("lin1", .linear(block.lin1)), ("lin2", .linear(block.lin2)),
                    ("activation", .activation(c.activation)),
                ])),
                ("output_layer_norm", .layerNorm(block.output_layer_norm, eps: c.layerNormEps)),
            ])
        }
        return ModuleTree("DistilBertModel", "", [
            ("embeddings", embeddings),
            ("transformer", ModuleTree("Transformer", "", [("layer", .list(blocks))])),
        ])
    }
}

extension DistilBertForSequenceClassification {
    public var moduleTree: ModuleTree {
        ModuleTree("DistilBertForSequenceClassification", "", [
            ("distilbert", distilbert.moduleTree),
            ("pre_classifier", .linear(pre_classifier)),
            ("classifier", .linear(classifier)),
            ("dropout", .dropout(distilbert.config.seqClassifDropout)),
        ])
    }
}

extension BertModel {
    public var moduleTree: ModuleTree {
        let c = config
        let embeddings = ModuleTree("BertEmbeddings", "", [
            ("word_embeddings", .embedding(self.embeddings.word_embeddings, paddingIdx: c.padTokenID)),
            ("position_embeddings", .embedding(self.embeddings.position_embeddings)),
            ("token_type_embeddings", .embedding(self.embeddings.token_type_embeddings)),
            ("LayerNorm", .layerNorm(self.embeddings.LayerNorm, eps: c.layerNormEps)),
            ("dropout", .dropout(c.hiddenDropoutProb)),
        ])
        func output(_ className: String, _ dense: Linear, _ norm: LayerNorm) -> ModuleTree {
            ModuleTree(className, "", [("dense", .linear(dense)), ("LayerNorm", .layerNorm(norm, eps: c.layerNormEps)),
                                       ("dropout", .dropout(c.hiddenDropoutProb))])
        }
        let layers = layer.map { l in
            ModuleTree("BertLayer", "", [
                ("attention", ModuleTree("BertAttention", "", [
                    ("self", ModuleTree("BertSdpaSelfAttention", "", [
                        ("query", .linear(l.query)), ("key", .linear(l.key)), ("value", .linear(l.value)),
                        ("dropout", .dropout(c.attentionProbsDropoutProb)),
                    ])),
                    ("output", output("BertSelfOutput", l.attentionOutput, l.attentionLayerNorm)),
                ])),
                ("intermediate", ModuleTree("BertIntermediate", "", [
                    ("dense", .linear(l.intermediate)), ("intermediate_act_fn", .activation(c.hiddenAct)),
                ])),
                ("output", output("BertOutput", l.output, l.outputLayerNorm)),
            ])
        }
        var children: [(String, ModuleTree)] = [
            ("embeddings", embeddings),
            ("encoder", ModuleTree("BertEncoder", "", [("layer", .list(layers))])),
        ]
        if let pooler {
            children.append(("pooler", ModuleTree("BertPooler", "", [("dense", .linear(pooler)), ("activation", ModuleTree("Tanh"))])))
        }
        return ModuleTree("BertModel", "", children)
    }
}

extension BertForSequenceClassification {
    public var moduleTree: ModuleTree {
        ModuleTree("BertForSequenceClassification", "", [
            ("bert", bert.moduleTree),
            ("dropout", .dropout(bert.config.classifierDropout ?? bert.config.hiddenDropoutProb)),
            ("classifier", .linear(classifier)),
        ])
    }
}
