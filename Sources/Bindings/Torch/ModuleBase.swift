import Language
import Models
import TensorCore

/// `torch.nn.Module` as a program's base class: `class Net(nn.Module)` calls `super().__init__()`, assigns its
/// layers and `nn.Parameter`s as attributes and defines `forward`, which calling the instance runs. `nn.Module`'s
/// methods see what the instance holds in the order it was assigned, as torch registers it: its own parameters,
/// then each child's (a torch layer, a model, or another such module). It prints as torch prints a module.
enum ModuleBase {
    static let qualifiedName = "torch.nn.modules.module.Module"

    /// The class `torch.nn.Module`, whose instances are also torch's own modules.
    static var type: Value { .object(TypeObject(subclassable: base) { isModule($0) }) }

    /// Whether `value` is a module: a torch layer, a model or one of its modules, or a program's `nn.Module`.
    static func isModule(_ value: Value) -> Bool {
        guard case .object(let object) = value else { return false }
        return object is TrainableObject || object is FunctionModuleObject || (object as? InstanceObject)?.derives(fromNative: qualifiedName) == true
    }

    static let base = NativeBaseClass("Module", qualified: qualifiedName, methods: [
        ("__init__", { module, arguments, _ in
            if let keyword = arguments.keywords.first {
                throw PyError.type("\(module.typeName).__init__() got an unexpected keyword argument '\(keyword.name)'")
            }
            guard arguments.positional.isEmpty else {
                throw PyError.type("\(module.typeName).__init__() takes 1 positional argument but \(arguments.positional.count + 1) were given")
            }
            try initialize(module)
            return .none
        }),
        ("__setattr__", { module, arguments, _ in
            let a = try arguments.bind("__setattr__", ["name", "value"], required: 2)
            try register(try a[0]!.asString("attribute name"), a[1]!, in: module)
            return .none
        }),
        ("__call__", { module, arguments, interpreter in
            guard let forward = try module.attribute("forward", interpreter) else { return .none }
            return try interpreter.call(forward, arguments)
        }),
        ("forward", { module, _, _ in
            throw PyError(.notImplementedError, "Module [\(module.typeName)] is missing the required \"forward\" function")
        }),
        ("extra_repr", { _, _, _ in .str("") }),
        ("__repr__", { module, _, interpreter in .str(try tree(of: module, interpreter).description) }),
        ("parameters", { module, arguments, interpreter in
            let recurse = try arguments.bind("parameters", ["recurse"])[0]?.isTruthy() ?? true
            return Iteration.generator("Module.parameters", try parameters(of: module, recurse: recurse, interpreter).map { .tensor($0.tensor) })
        }),
        ("named_parameters", { module, arguments, interpreter in
            let a = try arguments.bind("named_parameters", ["prefix", "recurse", "remove_duplicate"])
            let prefix = try a[0]?.asString("prefix") ?? ""
            let named = try parameters(of: module, recurse: try a[1]?.isTruthy() ?? true, interpreter)
            return Iteration.generator("Module.named_parameters", named.map { .tuple([.str(prefix.isEmpty ? $0.name : prefix + "." + $0.name), .tensor($0.tensor)]) })
        }),
        ("state_dict", { module, arguments, interpreter in
            let prefix = try arguments.bind("state_dict", ["destination", "prefix", "keep_vars"])[1]?.asString("prefix") ?? ""
            return try ModuleWalk.stateDict(try tree(of: module, interpreter).stateDict, prefix: prefix)
        }),
        ("load_state_dict", { module, arguments, interpreter in
            try StateDictLoading.load(into: try tree(of: module, interpreter).stateDict, of: module.typeName, arguments)
        }),
        ("children", { module, arguments, _ in try ModuleWalk.generator("children", of: .object(module), arguments) }),
        ("named_children", { module, arguments, _ in try ModuleWalk.generator("named_children", of: .object(module), arguments) }),
        ("modules", { module, arguments, _ in try ModuleWalk.generator("modules", of: .object(module), arguments) }),
        ("named_modules", { module, arguments, _ in try ModuleWalk.generator("named_modules", of: .object(module), arguments) }),
        ("zero_grad", { module, arguments, interpreter in
            let setToNone = try arguments.bind("zero_grad", ["set_to_none"])[0]?.isTruthy() ?? true
            try Optimizer.zeroGradients(of: try tree(of: module, interpreter).namedParameters.map(\.tensor), setToNone: setToNone)
            return .none
        }),
        ("train", { module, arguments, _ in
            guard case .bool(let mode) = try arguments.bind("train", ["mode"])[0] ?? .bool(true) else {
                throw PyError.value("training mode is expected to be boolean")
            }
            try setTraining(module, mode)
            return .object(module)
        }),
        ("eval", { module, arguments, _ in
            _ = try arguments.bind("eval", [])
            try setTraining(module, false)
            return .object(module)
        }),
        ("to", { module, arguments, interpreter in
            if let dtype = try ModelPrecision.requested(in: arguments) { ModelPrecision.keepFloat32(dtype, interpreter) }
            return .object(module)
        }),
        ("cpu", { module, _, _ in .object(module) }),
        ("float", { module, _, _ in .object(module) }),
    ])

    /// What `Module.__init__` sets: the instance is in training mode.
    static func initialize(_ module: InstanceObject) throws { _ = try module.setOwnAttribute("training", .bool(true)) }

    /// The instance's children, the modules among its attributes, in the order they were registered (a module held
    /// under two names under both: `ModuleWalk.children` lists it once).
    static func children(of module: InstanceObject) throws -> [(name: String, value: Value)] {
        module.attributes.items.compactMap { key, value in
            guard case .str(let name) = key, isModule(value) else { return nil }
            return (name, value)
        }
    }

    /// What an attribute is to torch's `Module.__setattr__`.
    private enum Registration { case module, parameter, plain }

    private static func registration(_ value: Value) -> Registration {
        if case .tensor(let t) = value, t.isParameter { return .parameter }
        return isModule(value) ? .module : .plain
    }

    /// `module.name = value` as torch's `__setattr__`: modules and parameters only after `Module.__init__()`, a
    /// parameter or child replaced only by its kind (or None), and a name registered anew (a plain attribute that
    /// becomes a module) taking its place after those registered before it.
    private static func register(_ name: String, _ value: Value, in module: InstanceObject) throws {
        let kind = registration(value), existing = try module.ownAttribute(name)
        if try module.ownAttribute("training") == nil, kind != .plain {
            throw PyError(.attributeError, "cannot assign \(kind == .module ? "module" : "parameters") before Module.__init__() call")
        }
        if let existing, registration(existing) != kind {
            let was = registration(existing), isNone = if case .none = value { true } else { false }
            if was != .plain && !isNone {
                let given = if case .tensor(let t) = value { t.dtype.legacyTypeName } else { value.typeName }
                throw PyError.type(was == .parameter
                    ? "cannot assign '\(given)' as parameter '\(name)' (torch.nn.Parameter or None expected)"
                    : "cannot assign '\(given)' as child module '\(name)' (torch.nn.Module or None expected)")
            }
            if was == .plain { _ = try module.deleteOwnAttribute(name) }   // registered now: after the names before it
        }
        _ = try module.setOwnAttribute(name, value)
    }

    /// The instance's parameters with their dotted names (each tensor once), or only its own (`recurse=False`).
    private static func parameters(of module: InstanceObject, recurse: Bool, _ interpreter: Interpreter) throws -> [(name: String, tensor: Tensor)] {
        let tree = try tree(of: module, interpreter)
        return recurse ? tree.namedParameters : tree.ownParameters
    }

    /// `train(mode)`: the instance's `training` and every child's.
    private static func setTraining(_ module: InstanceObject, _ mode: Bool) throws {
        _ = try module.setOwnAttribute("training", .bool(mode))
        for (_, child) in try children(of: module) {
            switch child {
            case .object(let trainable as TrainableObject): trainable.setTraining(mode)
            case .object(let function as FunctionModuleObject): function.setTraining(mode)
            case .object(let instance as InstanceObject): try setTraining(instance, mode)
            default: continue
            }
        }
    }

    /// What the instance holds as torch sees it: its parameters and children, its `extra_repr()`.
    static func tree(of module: InstanceObject, _ interpreter: Interpreter) throws -> ModuleTree {
        var parameters = [(String, Tensor)](), children = [(String, ModuleTree)]()
        for case (.str(let name), let value) in module.attributes.items {
            if case .tensor(let tensor) = value, tensor.isParameter { parameters.append((name, tensor)) }
            if let child = try subtree(of: value, interpreter) { children.append((name, child)) }
        }
        if module.derives(fromNative: ModuleContainers.moduleListName) { return ModuleTree.list(children.map(\.1), className: module.typeName) }
        let settings = try module.attribute("extra_repr", interpreter).map { try interpreter.call($0, Arguments()) }
        guard case .str(let text)? = settings else { throw PyError.type("extra_repr() must return a str") }
        return ModuleTree(module.typeName, text, parameters: parameters, children)
    }

    private static func subtree(of value: Value, _ interpreter: Interpreter) throws -> ModuleTree? {
        switch value {
        case .object(let module as any ModuleValue): return module.module.moduleTree
        case .object(let list as ModuleListObject): return ModuleChild.list(list.modules).moduleTree
        case .object(let function as FunctionModuleObject): return function.tree
        case .object(let instance as InstanceObject) where isModule(value): return try tree(of: instance, interpreter)
        default: return nil
        }
    }
}
