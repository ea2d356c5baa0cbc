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
            let name = try a[0]!.asString("attribute name")
            if try module.ownAttribute("training") == nil {
                if isModule(a[1]!) { throw PyError(.attributeError, "cannot assign module before Module.__init__() call") }
                if case .tensor(let t) = a[1]!, t.isParameter { throw PyError(.attributeError, "cannot assign parameters before Module.__init__() call") }
            }
            _ = try module.setOwnAttribute(name, a[1]!)
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
        ("parameters", { module, _, interpreter in
            Iteration.generator("Module.parameters", try tree(of: module, interpreter).namedParameters.map { .tensor($0.tensor) })
        }),
        ("named_parameters", { module, _, interpreter in
            Iteration.generator("Module.named_parameters", try tree(of: module, interpreter).namedParameters.map { .tuple([.str($0.name), .tensor($0.tensor)]) })
        }),
        ("state_dict", { module, _, interpreter in
            .dict(try PyDict(try tree(of: module, interpreter).stateDict.map { (.str($0.name), .tensor($0.tensor.detached())) }))
        }),
        ("children", { module, _, _ in Iteration.generator("Module.children", try children(of: module).map(\.value)) }),
        ("named_children", { module, _, _ in
            Iteration.generator("Module.named_children", try children(of: module).map { .tuple([.str($0.name), $0.value]) })
        }),
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
            try ModelPrecision.keepFloat32(askedIn: arguments, interpreter)
            return .object(module)
        }),
        ("cpu", { module, _, _ in .object(module) }),
        ("float", { module, _, _ in .object(module) }),
    ])

    /// What `Module.__init__` sets: the instance is in training mode.
    static func initialize(_ module: InstanceObject) throws { _ = try module.setOwnAttribute("training", .bool(true)) }

    /// The instance's children, the modules among its attributes, in the order they were assigned.
    static func children(of module: InstanceObject) throws -> [(name: String, value: Value)] {
        module.attributes.items.compactMap { key, value in
            guard case .str(let name) = key, isModule(value) else { return nil }
            return (name, value)
        }
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
        if module.derives(fromNative: ModuleContainers.moduleListName) { return ModuleTree.list(children.map(\.1)) }
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
