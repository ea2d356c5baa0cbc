import Synchronization
import TensorCore

/// Which of a model's modules are in training mode: torch's `module.training`, kept by module path
/// (`distilbert.transformer.layer.0.attention`, "" for the model). `train(mode)` and `eval()` set it for a module and
/// every module under it, as torch's recursive `train` does, and each module whose forward reads its own flag (a
/// `TrainingAware` one: a `Dropout`, an attention) is told its new mode. Shared by the model's copies and its views
/// (`model.bert`). A model loaded with `from_pretrained` starts in eval mode, one built from a config in training
/// mode, as in torch.
public final class TrainingMode: Sendable {
    /// The modes set, by path; a module without an entry has its nearest ancestor's ("" is always set).
    private let modes: Mutex<[String: Bool]>
    /// The model's modules whose forward reads their flag, with their paths.
    private let aware: [(path: String, mode: ModuleMode)]

    public convenience init(_ root: any Module, training: Bool) { self.init(root, modes: ["": training]) }

    /// The modes of `other`, a model's, for `root`, the same model rebuilt (in another dtype).
    convenience init(_ root: any Module, copying other: TrainingMode) {
        self.init(root, modes: other.modes.withLock { $0 })
    }

    private init(_ root: any Module, modes: [String: Bool]) {
        self.modes = Mutex(modes)
        var aware = [(path: String, mode: ModuleMode)]()
        root.forEachModule { path, module in
            if let module = module as? any TrainingAware { aware.append((path, module.mode)) }
        }
        self.aware = aware
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
        for (path, mode) in aware { mode.isTraining = isTraining(at: path) }
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

/// A module whose forward reads its own `training` flag, as torch's `self.training`: a `Dropout`, an attention that
/// hands its dropout probability to a fused kernel (`dropout_p=self.dropout_prob if self.training else 0.0`).
protocol TrainingAware: Module {
    /// Its flag, which its model's `TrainingMode` sets.
    var mode: ModuleMode { get }
}

extension TrainingAware {
    /// `p if self.training else 0.0`.
    func whileTraining(_ p: Double) -> Double { mode.isTraining ? p : 0 }

    /// `F.dropout(projection(x), p, self.training) + residual`, as a block's branch joins its residual; with nothing
    /// to drop the residual is added in the projection's own pass.
    func dropping(_ p: Double, _ projection: some Projection, _ x: Tensor, adding residual: Tensor) throws -> Tensor {
        let p = whileTraining(p)
        guard p > 0 else { return try projection(x, adding: residual) }
        return try projection(x).dropout(p: p).combined(.add, residual)
    }
}

/// One module's `training` flag (off until its model's `TrainingMode` sets it).
public final class ModuleMode: Sendable {
    private let flag = Mutex(false)

    init() {}

    var isTraining: Bool {
        get { flag.withLock { $0 } }
        set { flag.withLock { $0 = newValue } }
    }
}
