import TensorCore

/// A model's modules as torch sees them: each module's class name, its own settings (`extra_repr`), its
/// parameters and its named children, in the order transformers registers them. It prints as `print(model)` does
/// (`nn.Module.__repr__`, a `ModuleList` showing each run of identical children once: `(0-5): 6 x BertLayer(...)`)
/// and flattens into the `state_dict` that `save_pretrained` writes.
public struct ModuleTree: CustomStringConvertible, Sendable {
    let className: String
    let settings: String
    let parameters: [(name: String, tensor: Tensor)]
    /// The names among `parameters` that are buffers.
    let buffers: Set<String>
    let children: [(name: String, module: ModuleTree)]
    private var isList = false
    private var isNone = false

    /// A module of class `className`, its `extra_repr` `settings`, its own parameters (`buffers` names those that are
    /// buffers) and children, in registration order.
    public init(_ className: String, _ settings: String = "", parameters: [(String, Tensor)] = [], buffers: Set<String> = [],
                _ children: [(String, ModuleTree)] = []) {
        self.className = className
        self.settings = settings
        self.parameters = parameters.map { (name: $0.0, tensor: $0.1) }
        self.buffers = buffers
        self.children = children.map { (name: $0.0, module: $0.1) }
    }

    /// `nn.ModuleList(items)`: children named by index.
    public static func list(_ items: [ModuleTree], className: String = "ModuleList") -> ModuleTree {
        var list = ModuleTree(className, "", items.enumerated().map { ("\($0.offset)", $0.element) })
        list.isList = true
        return list
    }

    /// A submodule registered as None: prints as `None`, holds nothing.
    static var none: ModuleTree {
        var tree = ModuleTree("None")
        tree.isNone = true
        return tree
    }

    /// `model.state_dict()`: every parameter and buffer under its dotted name, as checkpoints store them.
    public var stateDict: [(name: String, tensor: Tensor)] { entries(buffers: true) }

    /// `model.named_parameters()`: the state dict without buffers, and a tensor several names share (tied weights)
    /// once, under its first name.
    public var namedParameters: [(name: String, tensor: Tensor)] { Self.untied(entries(buffers: false)) }

    /// `named_parameters(recurse=False)`: the module's own parameters, without its children's or its buffers.
    public var ownParameters: [(name: String, tensor: Tensor)] { parameters.filter { !buffers.contains($0.name) } }

    /// What `save_pretrained` writes: the state dict with a tensor several names share (tied weights) once, under
    /// its first name, as transformers leaves the tied copies (`_tied_weights_keys`) out of model.safetensors.
    public var savedStateDict: [(name: String, tensor: Tensor)] { Self.untied(entries(buffers: true)) }

    /// `entries` with each tensor under its first name only.
    private static func untied(_ entries: [(name: String, tensor: Tensor)]) -> [(name: String, tensor: Tensor)] {
        var seen = Set<Tensor.DataIdentity>()
        return entries.filter { seen.insert($0.tensor.dataIdentity).inserted }
    }

    private func entries(buffers includingBuffers: Bool) -> [(name: String, tensor: Tensor)] {
        parameters.filter { includingBuffers || !buffers.contains($0.name) }
            + children.flatMap { child in child.module.entries(buffers: includingBuffers).map { (child.name + "." + $0.name, $0.tensor) } }
    }

    public var description: String {
        if isNone { return "None" }
        let childLines = shownChildren.map { "(\($0.name)): " + $0.text.replacingNewlines(with: "\n  ") }
        if childLines.isEmpty { return "\(className)(\(settings))" }
        let lines = (settings.isEmpty ? [] : [settings]) + childLines
        return "\(className)(\n  " + lines.joined(separator: "\n  ") + "\n)"
    }

    /// The children as printed; a ModuleList shows a run of identical ones as `(start-end): n x Module(...)`.
    private var shownChildren: [(name: String, text: String)] {
        let texts = children.map { (name: $0.name, text: $0.module.description) }
        guard isList else { return texts }
        var runs = [(start: Int, end: Int, text: String)]()
        for (i, child) in texts.enumerated() {
            if let last = runs.last, last.text == child.text { runs[runs.count - 1].end = i } else { runs.append((i, i, child.text)) }
        }
        return runs.map { $0.start == $0.end ? ("\($0.start)", $0.text) : ("\($0.start)-\($0.end)", "\($0.end - $0.start + 1) x \($0.text)") }
    }
}

private extension String {
    func replacingNewlines(with replacement: String) -> String {
        split(separator: "\n", omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
