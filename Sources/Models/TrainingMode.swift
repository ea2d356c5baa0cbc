import Synchronization

/// Which of a model's modules are in training mode: torch's `module.training`, kept by module path
/// (`distilbert.transformer.layer.0.attention`, "" for the model). `train(mode)` and `eval()` set it for a module and
/// every module under it, as torch's recursive `train` does, and each `Dropout` of the model is told whether it
/// (and the module it belongs to) now drops. Shared by the model's copies and its views (`model.bert`). A model
/// loaded with `from_pretrained` starts in eval mode, one built from a config in training mode, as in torch.
public final class TrainingMode: Sendable {
    /// The modes set, by path; a module without an entry has its nearest ancestor's ("" is always set).
    private let modes: Mutex<[String: Bool]>
    /// Every dropout layer of the model, with its path.
    private let dropouts: [(path: String, mode: DropoutMode)]

    public init(_ root: any Module, training: Bool) {
        modes = Mutex(["": training])
        var dropouts = [(path: String, mode: DropoutMode)]()
        root.forEachModule { path, module in
            if let dropout = module as? Dropout { dropouts.append((path, dropout.mode)) }
        }
        self.dropouts = dropouts
        refresh()
    }

    /// The same modes over `root`, a rebuilt copy of the model (`quantize_dynamic`).
    public convenience init(copying other: TrainingMode, for root: any Module) {
        self.init(root, training: other.isTraining(at: ""))
        let set = other.modes.withLock { $0 }
        modes.withLock { $0 = set }
        refresh()
    }

    /// `module.training` of the module at `path`.
    public func isTraining(at path: String) -> Bool {
        modes.withLock { modes in
            var path = path
            while modes[path] == nil { path = Self.parent(of: path) }
            return modes[path]!
        }
    }

    /// `module.train(training)` of the module at `path`: it and every module under it.
    public func setTraining(_ training: Bool, at path: String) {
        modes.withLock { modes in
            modes = modes.filter { !Self.contains(path, $0.key) }
            modes[path] = training
        }
        refresh()
    }

    private func refresh() {
        for (path, mode) in dropouts {
            mode.set(dropping: isTraining(at: path), inTrainingModule: isTraining(at: Self.parent(of: path)))
        }
    }

    /// The path of the module that holds the one at `path` ("" for a child of the model, and for the model).
    private static func parent(of path: String) -> String {
        path.lastIndex(of: ".").map { String(path[..<$0]) } ?? ""
    }

    /// Whether `path` is `ancestor` or lies under it.
    private static func contains(_ ancestor: String, _ path: String) -> Bool {
        ancestor.isEmpty || path == ancestor || path.hasPrefix(ancestor + ".")
    }
}

/// A `Dropout` layer's own state, set by its model's `TrainingMode`: whether it drops (its `training`), and whether
/// the module holding it is in training mode (an attention module passes its dropout probability to a fused
/// attention only then, as `dropout_p=self.dropout_prob if self.training else 0.0` does).
public final class DropoutMode: Sendable {
    private let flags = Mutex((dropping: false, inTrainingModule: false))

    init() {}

    var isDropping: Bool { flags.withLock { $0.dropping } }
    var isInTrainingModule: Bool { flags.withLock { $0.inTrainingModule } }

    func set(dropping: Bool, inTrainingModule: Bool) { flags.withLock { $0 = (dropping, inTrainingModule) } }
}
