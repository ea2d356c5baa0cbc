extension Architecture {
    /// GPT-2 (`transformers.models.gpt2`).
    static let gpt2 = Architecture(
        modelType: "gpt2", package: "gpt2", configClass: "GPT2Config",
        configDefaults: #"""
            {"activation_function": "gelu_new", "attn_pdrop": 0.1, "bos_token_id": 50256, "embd_pdrop": 0.1,
             "eos_token_id": 50256, "initializer_range": 0.02, "layer_norm_epsilon": 1e-05, "model_type": "gpt2",
             "n_embd": 768, "n_head": 12, "n_inner": null, "n_layer": 12, "n_positions": 1024,
             "reorder_and_upcast_attn": false, "resid_pdrop": 0.1, "scale_attn_by_inverse_layer_idx": false,
             "scale_attn_weights": true, "summary_activation": null, "summary_first_dropout": 0.1,
             "summary_proj_to_labels": true, "summary_type": "cls_index", "summary_use_proj": true, "use_cache": true,
             "vocab_size": 50257}
            """#,
        attributeMap: ["hidden_size": "n_embd", "max_position_embeddings": "n_positions", "num_attention_heads": "n_head",
                       "num_hidden_layers": "n_layer"],
        modelClasses: [
            ModelClass("GPT2Model", .base) { try GPT2Model($0, GPT2Config($1), prefix: "transformer.") },
            ModelClass("GPT2LMHeadModel", .causalLM, outputEmbeddings: "lm_head") { try GPT2LMHeadModel($0, GPT2Config($1)) },
        ],
        takesTokenTypes: false,
        initialization: .normalWithInitializerRange)
}

extension GPT2Model: TransformerModel {}
extension GPT2LMHeadModel: TransformerModel {}
