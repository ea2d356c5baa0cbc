import Language
import Models
import TensorCore

/// A torch module in the value store: a model (`ModelObject`) or one of its submodules (`ModuleObject`). Its
/// children and its own parameters are attributes (`model.classifier`, `model.classifier.weight`), and it has
/// `nn.Module`'s methods, declared once here for both.
protocol ModuleValue: TrainableObject, SendableMetatype {
    var module: any Module { get }
    /// The model it belongs to, which `model.bert` is given as a model of the base class; nil for a module made on
    /// its own (`torch.nn.Linear(4, 2)`).
    var owner: LoadedModel? { get }
    /// Its dotted path in the owner's modules ("" for the model itself, and for a module made on its own).
    var path: String { get }
    /// `to(dtype)`, `half()`, `bfloat16()`, `float()`: its parameters converted to `dtype`, in place.
    func convert(to dtype: DType, _ interpreter: Interpreter) throws
}

/// What has torch's modes: a module (`ModuleValue`) and a `ModuleList`. A layer made on its own starts in training
/// mode, as in torch; a model's modules have theirs in the model's `TrainingMode`.
protocol TrainableObject: PyObject, SendableMetatype {
    /// `m.training`.
    var training: Bool { get }
    /// `m.train(mode)` / `m.eval()`: this module and every module under it.
    func setTraining(_ mode: Bool)
}

extension TrainableObject {
    /// `training`, `eval()` and `train(mode=True)`, which returns the module and takes only a bool, as torch.
    static var modeMembers: [Member<Self>] {
        [
            .attribute("training", "whether the module is in training mode (its dropout layers drop)") { .bool($0.training) },
            .method("eval", "", "the module itself, in eval mode") { m, _ in
                m.setTraining(false)
                return .object(m)
            },
            .method("train", "mode=True", "the module itself, in training mode: its dropout layers drop, as torch draws them") { m, call in
                guard case .bool(let mode) = call[0] ?? .bool(true) else { throw PyError.value("training mode is expected to be boolean") }
                m.setTraining(mode)
                return .object(m)
            },
        ]
    }
}

extension ModuleValue {
    /// `m.name`: a child module (a `ModuleList` for a list of them) or one of the module's own parameters.
    func child(_ name: String) -> Value? {
        if let child = module.children.first(where: { $0.name == name })?.child {
            return Self.value(of: child, in: owner, at: descendant(name))
        }
        if module.absentParameters.contains(name) { return Value.none }
        return module.parameters.first { $0.name == name }.map { .tensor($0.tensor) }
    }

    /// The children's and own parameters' names, for `dir()` and completion.
    var childNames: [String] { module.children.map(\.name) + module.parameters.map(\.name) + module.absentParameters }

    /// The path of the module at `relative` (dotted) under this one ("" for itself).
    func descendant(_ relative: String) -> String {
        path.isEmpty || relative.isEmpty ? path + relative : path + "." + relative
    }

    /// A child at `path` as a value: the base model as a model object (`model.distilbert(**inputs)` runs
    /// `DistilBertModel`), a list as a `ModuleList`, any other module as a `ModuleObject`.
    static func value(of child: ModuleChild, in owner: LoadedModel?, at path: String) -> Value {
        switch child {
        case .module(let base as any TransformerModel):
            if let model = owner?.baseModel(base) { return .object(ModelObject(model, path: path)) }
            return .object(ModuleObject(base, owner: owner, path: path))
        case .module(let module): return .object(ModuleObject(module, owner: owner, path: path))
        case .list(let list):
            return .object(ModuleListObject(list.enumerated().map { ("\(path).\($0.offset)", $0.element) }, owner: owner, path: path))
        case .registeredNone: return .none
        }
    }

    /// `nn.Module`'s methods and attributes.
    static var moduleMembers: [Member<Self>] {
        modeMembers + [
            .method("parameters", "", "a generator of its parameter tensors, in registration order (tied ones once, no buffers)") { m, _ in
                Iteration.generator("Module.parameters", m.module.moduleTree.namedParameters.map { .tensor($0.tensor) })
            },
            .method("named_parameters", "", "a generator of (dotted name, tensor) for each parameter (tied ones once, no buffers)") { m, _ in
                Iteration.generator("Module.named_parameters", m.module.moduleTree.namedParameters.map { .tuple([.str($0.name), .tensor($0.tensor)]) })
            },
            .method("zero_grad", "set_to_none=True", "every parameter's .grad cleared (None), or set to zeros") { m, call in
                try Optimizer.zeroGradients(of: m.module.moduleTree.namedParameters.map(\.tensor), setToNone: try call[0]?.isTruthy() ?? true)
                return .none
            },
            .method("state_dict", "", "an OrderedDict of every parameter by its checkpoint name") { m, _ in
                try ModuleWalk.stateDict(m.module.moduleTree.stateDict)
            },
            .method("get_submodule", "target", "the module at a dotted path of child names, e.g. 'encoder.layer.0'") { m, call in
                let target = try call[0]!.asString("target")
                guard let found = m.module.submodule(target) else {
                    throw PyError(.attributeError, "\(m.typeName) has no attribute `\(target.split(separator: ".").first ?? "")`")
                }
                return value(of: .module(found), in: m.owner, at: m.descendant(target))
            },
            .method("to", "*args", "the module itself, its parameters converted to a dtype given (torch.float32, float16, bfloat16); on the CPU") { m, call in
                if let dtype = try ModelPrecision.requested(in: call.arguments) { try m.convert(to: dtype, call.interpreter) }
                return .object(m)
            },
            .method("half", "", "the module itself, its parameters converted to float16") { m, call in
                try m.convert(to: .float16, call.interpreter)
                return .object(m)
            },
            .method("bfloat16", "", "the module itself, its parameters converted to bfloat16") { m, call in
                try m.convert(to: .bfloat16, call.interpreter)
                return .object(m)
            },
            .method("float", "", "the module itself, its parameters converted to float32") { m, call in
                try m.convert(to: .float32, call.interpreter)
                return .object(m)
            },
            .method("cpu", "", "the module itself (sbpl runs on the CPU)") { m, _ in .object(m) },
        ] + ModuleWalk.walkMembers(tree: { $0.module.moduleTree }, typeName: { $0.typeName })
    }
}

/// A submodule of a model (`model.classifier`, `model.bert.encoder.layer[0]`): printed as `print(model)` prints
/// it; a layer torch calls on one tensor (Linear, LayerNorm, Embedding, Dropout, an activation) is callable.
final class ModuleObject: ModuleValue, MemberTableObject, CallableObject {
    let module: any Module
    let owner: LoadedModel?
    let path: String

    /// The mode of a layer made on its own (a model's modules have theirs in the model's `TrainingMode`).
    private var ownTraining = true

    init(_ module: any Module, owner: LoadedModel?, path: String = "") {
        (self.module, self.owner, self.path) = (module, owner, path)
    }

    /// A layer made on its own keeps float32; one of a model's modules is converted with the whole model.
    func convert(to dtype: DType, _ interpreter: Interpreter) throws {
        guard let owner else { return ModelPrecision.keepFloat32(dtype, interpreter) }
        try ModelPrecision.checkWhole(owner, path: path, to: dtype)
    }

    var training: Bool { owner?.mode.isTraining(at: path) ?? ownTraining }

    func setTraining(_ mode: Bool) {
        guard let owner else { return ownTraining = mode }
        setMode(of: owner, training: mode)
    }

    var typeName: String { module.className }
    /// `type(m)`: torch's class for torch's layers, transformers' for its own, else the model's modeling file.
    var qualifiedTypeName: String? {
        if let file = Self.torchFiles[typeName] { return "torch.nn.modules.\(file).\(typeName)" }
        if let file = Self.transformersFiles[typeName] { return "transformers.\(file).\(typeName)" }
        return owner.map { "transformers.models.\($0.architecture.package).modeling_\($0.architecture.package).\(typeName)" }
    }

    /// The file under `torch.nn.modules` of each torch layer class sbpl models have.
    private static let torchFiles = ["Linear": "linear", "LayerNorm": "normalization", "Embedding": "sparse", "Dropout": "dropout",
                                     "Tanh": "activation", "ReLU": "activation", "CrossEntropyLoss": "loss", "ModuleList": "container"]
    /// transformers' own layer classes that are not model-specific, with their module.
    private static let transformersFiles = ["GELUActivation": "activations", "NewGELUActivation": "activations", "Conv1D": "pytorch_utils"]
    var repr: String { module.moduleTree.description }

    static let members = MemberTable<ModuleObject>("Module", moduleMembers)

    func attribute(_ name: String, _ interpreter: Interpreter) throws -> Value? {
        try Self.members.value(of: name, for: self, interpreter) ?? child(name)
    }

    var attributeNames: [String] { childNames + Self.members.names }

    /// `module(x)` for a layer on one tensor; the blocks that only a model's forward pass runs are not callable yet.
    func call(_ arguments: Arguments, _ interpreter: Interpreter) throws -> Value? {
        guard let layer = module as? any TensorModule else {
            throw PyError(.notImplementedError, "sbpl does not support calling \(typeName) modules yet")
        }
        guard arguments.positional.count == 1, arguments.keywords.isEmpty, case .tensor(let x) = arguments.positional[0] else {
            throw PyError.type("\(typeName).forward() takes one tensor")
        }
        try Float64Support.reject(typeName, arguments)
        if training, let dropout = module as? Dropout { return .tensor(try x.dropout(p: dropout.p)) }
        return .tensor(try layer.forward(x))
    }
}

/// `nn.ModuleList` (`model.bert.encoder.layer`): its modules by index (negative from the end) or slice (a
/// `ModuleList` again), `len`, iteration, and torch's modes.
final class ModuleListObject: IterableObject, TensorIndexable, MemberTableObject, TrainableObject {
    /// The modules, each with its path in the owner's modules.
    let entries: [(path: String, module: any Module)]
    let owner: LoadedModel?
    /// Its own path in the owner's modules; nil for a slice (a new ModuleList, with a mode of its own).
    let path: String?
    let items: [Value]
    /// The mode of a slice.
    private var ownTraining = true

    init(_ entries: [(path: String, module: any Module)], owner: LoadedModel?, path: String?) {
        (self.entries, self.owner, self.path) = (entries, owner, path)
        items = entries.map { ModuleObject.value(of: .module($0.module), in: owner, at: $0.path) }
    }

    static let members = MemberTable<ModuleListObject>("ModuleList", modeMembers
        + ModuleWalk.members(tree: { ModuleChild.list($0.modules).moduleTree }, typeName: { _ in "ModuleList" }))

    var training: Bool {
        guard let owner, let path else { return ownTraining }
        return owner.mode.isTraining(at: path)
    }

    func setTraining(_ mode: Bool) {
        ownTraining = mode
        guard let owner else { return }
        for entryPath in path.map({ [$0] }) ?? entries.map(\.path) { owner.mode.setTraining(mode, at: entryPath) }
    }

    var modules: [any Module] { entries.map(\.module) }

    var typeName: String { "ModuleList" }
    var qualifiedTypeName: String? { "torch.nn.modules.container.ModuleList" }
    var repr: String { ModuleChild.list(modules).moduleTree.description }

    /// `layers[i]` and `layers[start:stop:step]`, with torch's `index 5 is out of range`.
    func item(at indices: [TensorIndex]) throws -> Value {
        switch indices.first {
        case .at(let index) where indices.count == 1:
            guard (-items.count..<items.count).contains(index) else { throw PyError.index("index \(index) is out of range") }
            return items[index < 0 ? index + items.count : index]
        case .slice(let start, let stop, let step) where indices.count == 1:
            let s = try resolveSlice(start: start, stop: stop, step: step, length: modules.count)
            return .object(ModuleListObject((0..<s.count).map { entries[s.start + $0 * s.step] }, owner: owner, path: nil))
        default:
            throw PyError.type("ModuleList indices must be integers or slices")
        }
    }
}

extension ModuleValue {
    /// `train(training)` / `eval()` on this module of `model`: its mode and its modules'.
    func setMode(of model: LoadedModel, training: Bool) { model.mode.setTraining(training, at: path) }
}

/// The dtypes a module can be converted to (`to(dtype)`, `from_pretrained(torch_dtype=...)`), checked as torch
/// checks them.
enum ModelPrecision {
    /// What a module whose parameters sbpl does not convert does when asked for `dtype`: a module of the
    /// program's own, a layer made on its own, keep float32, and say so once rather than silently.
    static func keepFloat32(_ dtype: DType, _ interpreter: Interpreter) {
        if dtype != .float32 {
            interpreter.warnOnce("sbpl converts the parameters of a transformers model to \(dtype.torchName), not those of a module made on its own: it stays in float32")
        }
    }

    /// `dtype` if a module can be converted to it; torch's error for the dtypes it refuses for modules.
    static func checked(_ dtype: DType) throws -> DType {
        switch dtype {
        case .float32, .float16, .bfloat16: return dtype
        case .float64: throw PyError.notImplemented("float64 models (sbpl runs models in float32, float16 or bfloat16)")
        case .int64, .int32, .bool:
            throw PyError.type("nn.Module.to only accepts floating point or complex dtypes, but got desired dtype=\(dtype.torchName)")
        }
    }

    /// Converting the module at `path` of `model` to `dtype`: sbpl converts whole models, so a module of one (a
    /// path other than "") can only be asked for the type it is in.
    static func checkWhole(_ model: LoadedModel, path: String, to dtype: DType) throws {
        guard path.isEmpty || dtype == model.dtype else {
            throw PyError.notImplemented("converting one module of a model (\(path)) to \(dtype.torchName) (convert the whole model: model.to(\(dtype.torchName)))")
        }
    }

    /// `module.to(...)`: the dtype among its arguments (a device such as "cpu" is not one), if any.
    static func requested(in arguments: Arguments) throws -> DType? {
        var found: DType?
        for case .dtype(let dtype) in arguments.positional + arguments.keywords.map(\.value) { found = try checked(dtype) }
        return found
    }

    /// `from_pretrained(..., torch_dtype=...)`: a dtype, its name (or torch's alias, `"half"`), or "auto" (the config's
    /// `torch_dtype`, float32 when it has none, so nil `config` before it is read); nil when not given.
    static func requested(_ torchDType: Value?, config: ModelConfig?) throws -> DType? {
        let name: String
        switch torchDType {
        case nil, .none?: return nil
        case .dtype(let dtype)?: return try checked(dtype)
        case .str("auto")?:
            guard let config else { return nil }
            name = config.field("torch_dtype")?.string ?? "float32"
        case .str(let given)?: name = given
        case let other?: throw PyError.type("torch_dtype must be a torch.dtype, a dtype's name or \"auto\", not \(other.typeName)")
        }
        guard let dtype = DType(torchAttribute: name) else {
            throw PyError.value("`torch_dtype` can be one of: `torch.dtype`, `\"auto\"` or a string of a valid `torch.dtype`, but received \(name)")
        }
        return try checked(dtype)
    }
}
