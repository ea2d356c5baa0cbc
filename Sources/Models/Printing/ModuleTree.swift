import TensorCore

/// A model as `print(model)` shows it, in torch's `nn.Module.__repr__` format: each module's class name, its own
/// settings (`extra_repr`) and its named children in the order transformers registers them. A `ModuleList` shows
/// each run of identical children once: `(0-5): 6 x TransformerBlock(...)`.
public struct ModuleTree: CustomStringConvertible, Sendable {
    let className: String
    let settings: String
    let children: [(name: String, module: ModuleTree)]

    init(_ className: String, _ settings: String = "", _ children: [(String, ModuleTree)] = []) {
        self.className = className
        self.settings = settings
        self.children = children.map { (name: $0.0, module: $0.1) }
    }

    /// `nn.ModuleList(items)`: children named by index, runs of identical ones shown once.
    static func list(_ items: [ModuleTree]) -> ModuleTree {
        var runs = [(start: Int, end: Int, text: String)]()
        for (i, text) in items.map(\.description).enumerated() {
            if let last = runs.last, last.text == text { runs[runs.count - 1].end = i } else { runs.append((i, i, text)) }
        }
        return ModuleTree("ModuleList", "", runs.map { run in
            run.start == run.end ? ("\(run.start)", items[run.start])
                : ("\(run.start)-\(run.end)", ModuleTree(repeated: run.end - run.start + 1, items[run.start]))
        })
    }

    /// `n x Module(...)`, as a ModuleList shows a run of identical children.
    private init(repeated count: Int, _ module: ModuleTree) {
        self.init("\(count) x \(module.className)", module.settings, module.children.map { ($0.name, $0.module) })
    }

    static func linear(_ inFeatures: Int, _ outFeatures: Int) -> ModuleTree {
        ModuleTree("Linear", "in_features=\(inFeatures), out_features=\(outFeatures), bias=True")
    }

    static func embedding(_ count: Int, _ dim: Int, paddingIdx: Int? = nil) -> ModuleTree {
        ModuleTree("Embedding", "\(count), \(dim)" + (paddingIdx.map { ", padding_idx=\($0)" } ?? ""))
    }

    static func layerNorm(_ dim: Int, eps: Double) -> ModuleTree {
        ModuleTree("LayerNorm", "(\(dim),), eps=\(pythonRepr(eps)), elementwise_affine=True, bias=True")
    }

    static func dropout(_ p: Double) -> ModuleTree { ModuleTree("Dropout", "p=\(pythonRepr(p)), inplace=False") }

    static func activation(_ activation: Activation) -> ModuleTree {
        ModuleTree(activation == .gelu ? "GELUActivation" : "ReLU")
    }

    public var description: String {
        let childLines = children.map { "(\($0.name)): " + $0.module.description.replacingNewlines(with: "\n  ") }
        if childLines.isEmpty { return "\(className)(\(settings))" }
        let lines = (settings.isEmpty ? [] : [settings]) + childLines
        return "\(className)(\n  " + lines.joined(separator: "\n  ") + "\n)"
    }
}

private extension String {
    func replacingNewlines(with replacement: String) -> String {
        split(separator: "\n", omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
