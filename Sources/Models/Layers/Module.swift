import TensorCore

/// A torch `nn.Module`: a layer or a block of them. Its children are its stored properties that are modules (or
/// arrays of modules, a `ModuleList`), named as the checkpoint names them and declared in the order transformers
/// registers them; `moduleTree` reads them by reflection, so `print(model)`, `state_dict()` and `save_pretrained`
/// follow the one declaration (the property) that loading fills.
public protocol Module: Sendable {
    /// The class torch prints, e.g. `TransformerBlock`; by default the Swift type's name.
    var className: String { get }
    /// torch's `extra_repr`, e.g. `in_features=768, out_features=768, bias=True`.
    var settings: String { get }
    /// The module's own parameters (not its children's), in order.
    var parameters: [(name: String, tensor: Tensor)] { get }
}

extension Module {
    public var className: String { "\(Self.self)" }
    public var settings: String { "" }
    public var parameters: [(name: String, tensor: Tensor)] { [] }

    /// The module, its parameters and its children as torch sees them.
    public var moduleTree: ModuleTree {
        let children = Mirror(reflecting: self).children.compactMap { child -> (String, ModuleTree)? in
            guard let name = child.label else { return nil }
            if let module = child.value as? any Module { return (name, module.moduleTree) }
            if let list = child.value as? [any Module] { return (name, .list(list.map(\.moduleTree))) }
            return nil
        }
        return ModuleTree(className, settings, parameters: parameters, children)
    }
}
