/// The module trees transformers 4.46 builds for each architecture (with its default SDPA attention), for
/// `print(model)`. Names are the checkpoint's; dropouts are listed although eval mode makes them the identity.
extension DistilBertModel {
    public var moduleTree: ModuleTree {
        let c = config
        let embeddings = ModuleTree("Embeddings", "", [
            ("word_embeddings", .embedding(c.vocabSize, c.dim, paddingIdx: c.padTokenID)),
            ("position_embeddings", .embedding(c.maxPositionEmbeddings, c.dim)),
            ("LayerNorm", .layerNorm(c.dim, eps: c.layerNormEps)),
            ("dropout", .dropout(c.dropout)),
        ])
        let block = ModuleTree("TransformerBlock", "", [
            ("attention", ModuleTree("DistilBertSdpaAttention", "", [
                ("dropout", .dropout(c.attentionDropout)),
                ("q_lin", .linear(c.dim, c.dim)), ("k_lin", .linear(c.dim, c.dim)),
                ("v_lin", .linear(c.dim, c.dim)), ("out_lin", .linear(c.dim, c.dim)),
            ])),
            ("sa_layer_norm", .layerNorm(c.dim, eps: c.layerNormEps)),
            ("ffn", ModuleTree("FFN", "", [
                ("dropout", .dropout(c.dropout)),
                ("lin1", .linear(c.dim, c.hiddenDim)), ("lin2", .linear(c.hiddenDim, c.dim)),
                ("activation", .activation(c.activation)),
            ])),
            ("output_layer_norm", .layerNorm(c.dim, eps: c.layerNormEps)),
        ])
        return ModuleTree("DistilBertModel", "", [
            ("embeddings", embeddings),
            ("transformer", ModuleTree("Transformer", "", [("layer", .list(Array(repeating: block, count: layer.count)))])),
        ])
    }
}

extension DistilBertForSequenceClassification {
    public var moduleTree: ModuleTree {
        let dim = distilbert.config.dim
        return ModuleTree("DistilBertForSequenceClassification", "", [
            ("distilbert", distilbert.moduleTree),
            ("pre_classifier", .linear(dim, dim)),
            ("classifier", .linear(dim, classifier.weight.shape[0])),
            ("dropout", .dropout(distilbert.config.seqClassifDropout)),
        ])
    }
}

extension BertModel {
    public var moduleTree: ModuleTree {
        let c = config, h = c.hiddenSize
        let embeddings = ModuleTree("BertEmbeddings", "", [
            ("word_embeddings", .embedding(c.vocabSize, h, paddingIdx: c.padTokenID)),
            ("position_embeddings", .embedding(c.maxPositionEmbeddings, h)),
            ("token_type_embeddings", .embedding(c.typeVocabSize, h)),
            ("LayerNorm", .layerNorm(h, eps: c.layerNormEps)),
            ("dropout", .dropout(c.hiddenDropoutProb)),
        ])
        func output(_ className: String, from inputs: Int) -> ModuleTree {
            ModuleTree(className, "", [("dense", .linear(inputs, h)), ("LayerNorm", .layerNorm(h, eps: c.layerNormEps)),
                                       ("dropout", .dropout(c.hiddenDropoutProb))])
        }
        let bertLayer = ModuleTree("BertLayer", "", [
            ("attention", ModuleTree("BertAttention", "", [
                ("self", ModuleTree("BertSdpaSelfAttention", "", [
                    ("query", .linear(h, h)), ("key", .linear(h, h)), ("value", .linear(h, h)),
                    ("dropout", .dropout(c.attentionProbsDropoutProb)),
                ])),
                ("output", output("BertSelfOutput", from: h)),
            ])),
            ("intermediate", ModuleTree("BertIntermediate", "", [
                ("dense", .linear(h, c.intermediateSize)), ("intermediate_act_fn", .activation(c.hiddenAct)),
            ])),
            ("output", output("BertOutput", from: c.intermediateSize)),
        ])
        var children: [(String, ModuleTree)] = [
            ("embeddings", embeddings),
            ("encoder", ModuleTree("BertEncoder", "", [("layer", .list(Array(repeating: bertLayer, count: layer.count)))])),
        ]
        if pooler != nil {
            children.append(("pooler", ModuleTree("BertPooler", "", [("dense", .linear(h, h)), ("activation", ModuleTree("Tanh"))])))
        }
        return ModuleTree("BertModel", "", children)
    }
}

extension BertForSequenceClassification {
    public var moduleTree: ModuleTree {
        ModuleTree("BertForSequenceClassification", "", [
            ("bert", bert.moduleTree),
            ("dropout", .dropout(bert.config.classifierDropout ?? bert.config.hiddenDropoutProb)),
            ("classifier", .linear(bert.config.hiddenSize, classifier.weight.shape[0])),
        ])
    }
}
