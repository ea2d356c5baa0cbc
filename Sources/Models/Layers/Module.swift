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
    /// The names among `parameters` that torch registers as buffers (`final_logits_bias`): in the state dict, not
    /// among `parameters()`.
    var buffers: Set<String> { get }
    /// Parameters the module's class declares that this one does not have (`bias` of `Linear(bias=False)`): torch
    /// reads them as None.
    var absentParameters: [String] { get }
    /// Children (nil optionals among the stored properties) that torch registers as None, a submodule set to None
    /// after it was registered: `print(model)` shows `(shared): None` in their place, and the attribute reads None.
    var noneChildren: Set<String> { get }
}

/// A child of a module: a module, an `nn.ModuleList` of them, or a submodule registered as None.
public enum ModuleChild: Sendable {
    case module(any Module)
    case list([any Module])
    case registeredNone
}

/// A module that torch calls on one tensor (`model.classifier(x)`): Linear, LayerNorm, Embedding, Dropout, the
/// activations.
public protocol TensorModule: Module {
    /// `module(x)`, as its `forward` computes it.
    func forward(_ x: Tensor) throws -> Tensor
}

extension Module {
    public var className: String { "\(Self.self)" }
    public var settings: String { "" }
    public var parameters: [(name: String, tensor: Tensor)] { [] }
    public var buffers: Set<String> { [] }
    public var absentParameters: [String] { [] }
    public var noneChildren: Set<String> { [] }

    /// The module's children by name, in declaration order (its stored properties that are modules).
    public var children: [(name: String, child: ModuleChild)] {
        Mirror(reflecting: self).children.compactMap { child in
            guard let name = child.label else { return nil }
            if noneChildren.contains(name) { return (name, .registeredNone) }
            if let module = child.value as? any Module { return (name, .module(module)) }
            if let list = child.value as? [any Module] { return (name, .list(list)) }
            return nil
        }
    }

    /// The module, its parameters and its children as torch sees them.
    public var moduleTree: ModuleTree {
        ModuleTree(className, settings, parameters: parameters, buffers: buffers, children.map { ($0.name, $0.child.moduleTree) })
    }
}

extension ModuleChild {
    /// The child as torch sees it (a list as a `ModuleList`).
    public var moduleTree: ModuleTree {
        switch self {
        case .module(let module): module.moduleTree
        case .list(let list): .list(list.map(\.moduleTree))
        case .registeredNone: .none
        }
    }
}
