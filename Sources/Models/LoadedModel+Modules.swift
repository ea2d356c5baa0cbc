/// A model's submodules as transformers hands them out: `model.bert` (a model of the base class),
/// `get_input_embeddings()`, `get_output_embeddings()`, `get_submodule("...")`.
extension LoadedModel {
    /// The base model class over `module` (`model.distilbert` of a `DistilBertForSequenceClassification`), with this
    /// model's config and checkpoint, so that it is called as `DistilBertModel` is; nil when the architecture has
    /// no base class.
    public func baseModel(_ module: any TransformerModel) -> LoadedModel? {
        architecture.modelClass(for: .base).map {
            LoadedModel(modelClass: $0, architecture: architecture, config: config, checkpoint: checkpoint, model: module,
                        generationConfig: generationConfig)
        }
    }

    /// `get_input_embeddings()`: the word embeddings, the first `Embedding` in registration order in each
    /// architecture sbpl has (`embeddings.word_embeddings`, GPT-2's `wte`, BART's `shared`).
    public var inputEmbeddings: (any Module)? { model.firstModule { $0 is Embedding } }

    /// What transformers warns (once) when `output_attentions=True` makes its SDPA attention fall back to the eager
    /// path; nil when the model's attention is not SDPA.
    public var eagerAttentionWarning: String? {
        (model.firstModule { $0 is any SdpaAttentionModule } as? any SdpaAttentionModule)?.eagerFallbackWarning
    }

    /// `get_output_embeddings()`: a language model's projection onto the vocabulary; nil for the other classes.
    public var outputEmbeddings: (any Module)? { modelClass.outputEmbeddings.flatMap(model.submodule) }
}

extension Module {
    /// `get_submodule("bert.encoder.layer.0")`: the module at a dotted path of child names (list items by index).
    public func submodule(_ path: String) -> (any Module)? {
        var current: any Module = self
        var names = path.split(separator: ".").map(String.init)[...]
        while let name = names.popFirst() {
            switch current.children.first(where: { $0.name == name })?.child {
            case .module(let module): current = module
            case .list(let list):
                guard let index = names.popFirst().flatMap({ Int($0) }), list.indices.contains(index) else { return nil }
                current = list[index]
            case .registeredNone?, nil: return nil
            }
        }
        return current
    }

    /// The first module in registration order (depth first, this one included) that satisfies `matches`.
    func firstModule(where matches: (any Module) -> Bool) -> (any Module)? {
        if matches(self) { return self }
        for (_, child) in children {
            switch child {
            case .module(let module): if let found = module.firstModule(where: matches) { return found }
            case .list(let list): for module in list { if let found = module.firstModule(where: matches) { return found } }
            case .registeredNone: continue
            }
        }
        return nil
    }
}
