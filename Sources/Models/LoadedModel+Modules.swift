/// A model's submodules as transformers hands them out: `model.bert` (a model of the base class),
/// `get_input_embeddings()`, `get_output_embeddings()`, `get_submodule("...")`.
extension LoadedModel {
    /// The base model class over `module` (`model.distilbert` of a `DistilBertForSequenceClassification`), with this
    /// model's config and checkpoint, so that it is called as `DistilBertModel` is; nil when the architecture has
    /// no base class.
    public func baseModel(_ module: any TransformerModel) -> LoadedModel? {
        architecture.modelClass(for: .base).map {
            LoadedModel(modelClass: $0, architecture: architecture, config: config, checkpoint: checkpoint, model: module,
                        generationConfig: generationConfig, mode: mode)
        }
    }

    /// `get_input_embeddings()`: the word embeddings, the first `Embedding` in registration order in each
    /// architecture sbpl has (`embeddings.word_embeddings`, GPT-2's `wte`, BART's `shared`).
    public var inputEmbeddings: (path: String, module: any Module)? { model.firstModule { $0 is Embedding } }

    /// What transformers warns (once) when `output_attentions=True` makes its SDPA attention fall back to the eager
    /// path; nil when the model's attention is not SDPA.
    public var eagerAttentionWarning: String? {
        (model.firstModule { $0 is any SdpaAttentionModule }?.module as? any SdpaAttentionModule)?.eagerFallbackWarning
    }

    /// `get_output_embeddings()`: a language model's projection onto the vocabulary; nil for the other classes.
    public var outputEmbeddings: (path: String, module: any Module)? {
        modelClass.outputEmbeddings.flatMap { path in model.submodule(path).map { (path, $0) } }
    }
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
                // an index as torch's ModuleList reads a name: digits only ("01" and "+1" name no module)
                guard let name = names.popFirst(), let index = Int(name), String(index) == name,
                      list.indices.contains(index) else { return nil }
                current = list[index]
            case .registeredNone?, nil: return nil
            }
        }
        return current
    }

    /// `named_modules()`: `body` called with this module ("" as its path) and every module under it, parents first,
    /// each with its dotted path (list items by index).
    public func forEachModule(path: String = "", _ body: (String, any Module) -> Void) {
        body(path, self)
        for (name, child) in children {
            let childPath = path.isEmpty ? name : path + "." + name
            switch child {
            case .module(let module): module.forEachModule(path: childPath, body)
            case .list(let list): for (i, module) in list.enumerated() { module.forEachModule(path: "\(childPath).\(i)", body) }
            case .registeredNone: continue
            }
        }
    }

    /// The first module in registration order (depth first, this one included) that satisfies `matches`, with its path.
    func firstModule(where matches: (any Module) -> Bool) -> (path: String, module: any Module)? {
        var found: (path: String, module: any Module)?
        forEachModule { path, module in if found == nil && matches(module) { found = (path, module) } }
        return found
    }
}
