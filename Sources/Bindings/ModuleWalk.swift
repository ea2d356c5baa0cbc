import Language
import Models
import TensorCore

/// torch's walks over a module tree, for every kind of module value: a model or one of its modules, a `ModuleList`,
/// a parameter-free layer, a program's `nn.Module`. Each child is the value `model.name` gives.
enum ModuleWalk {
    /// `module.state_dict(prefix=...)`: an OrderedDict of each tensor, detached, by its dotted name, as torch's.
    static func stateDict(_ entries: [(name: String, tensor: Tensor)], prefix: String = "") throws -> Value {
        .dict(try PyDict(entries.map { (.str(prefix + $0.name), .tensor($0.tensor.detached())) }, flavor: .ordered))
    }

    /// `named_children()`: the direct children, in registration order, each module once.
    static func children(of value: Value) throws -> [(name: String, value: Value)] {
        var seen = Set<AnyHashable>()
        return try directChildren(of: value).filter { identity(of: $0.value).map { seen.insert($0).inserted } ?? true }
    }

    private static func directChildren(of value: Value) throws -> [(name: String, value: Value)] {
        switch value {
        case .object(let module as any ModuleValue):
            return module.module.children.compactMap { name, child in
                if case .registeredNone = child { return nil }
                return (name, ModuleObject.value(of: child, in: module.owner, at: module.descendant(name)))
            }
        case .object(let list as ModuleListObject): return list.items.enumerated().map { ("\($0.offset)", $0.element) }
        case .object(let instance as InstanceObject) where ModuleBase.isModule(value): return try ModuleBase.children(of: instance)
        default: return []
        }
    }

    /// `named_modules()`: the module itself (named `prefix`), then every module under it, parents first; a module
    /// reached twice (a shared layer, tied embeddings) once unless `removeDuplicate` is false, as torch's memo does.
    static func modules(of value: Value, prefix: String = "", removeDuplicate: Bool = true) throws -> [(name: String, value: Value)] {
        var seen = Set<AnyHashable>(), found = [(name: String, value: Value)]()
        func walk(_ value: Value, _ name: String) throws {
            if removeDuplicate, let key = identity(of: value), !seen.insert(key).inserted { return }
            found.append((name, value))
            for (child, module) in try (removeDuplicate ? children(of: value) : directChildren(of: value)) {
                try walk(module, name.isEmpty ? child : name + "." + child)
            }
        }
        try walk(value, prefix)
        return found
    }

    /// What makes two module values the same module: the object; nil for a model's modules, values made on each
    /// access, whose sharing sbpl does not know (BART's embeddings are two modules sharing a weight, T5's one module
    /// under three names: torch walks the first twice and the second once).
    private static func identity(of value: Value) -> AnyHashable? {
        switch value {
        case .object(let module as any ModuleValue) where module.owner != nil: return nil
        case .object(let list as ModuleListObject) where list.owner != nil: return nil
        case .object(let object): return AnyHashable(ObjectIdentifier(object))
        default: return nil
        }
    }

    /// `children()`, `named_children()`, `modules()` and `named_modules()` as generators, for a module class's members.
    static func generator(_ method: String, of value: Value, _ arguments: Arguments) throws -> Value {
        switch method {
        case "children": return Iteration.generator("Module.children", try children(of: value).map(\.value))
        case "named_children": return Iteration.generator("Module.named_children", try children(of: value).map { .tuple([.str($0.name), $0.value]) })
        case "modules": return Iteration.generator("Module.modules", try modules(of: value).map(\.value))
        default:
            let a = try arguments.bind("named_modules", ["memo", "prefix", "remove_duplicate"])
            let found = try modules(of: value, prefix: try a[1]?.asString("prefix") ?? "", removeDuplicate: try a[2]?.isTruthy() ?? true)
            return Iteration.generator("Module.named_modules", found.map { .tuple([.str($0.name), $0.value]) })
        }
    }
}

extension ModuleWalk {
    /// nn.Module's walks (`children`, `named_children`, `modules`, `named_modules`) and `load_state_dict` for a module
    /// value whose tensors `tree` gives.
    static func walkMembers<Object: PyObject & SendableMetatype>(tree: @escaping @Sendable (Object) -> ModuleTree,
                                                                 typeName: @escaping @Sendable (Object) -> String) -> [Member<Object>] {
        let walks: [(name: String, signature: String, doc: String)] = [
            ("children", "", "a generator of its direct child modules"),
            ("named_children", "", "a generator of (name, module) for its direct children"),
            ("modules", "", "a generator of itself and every module under it, parents first"),
            ("named_modules", "memo=None, prefix='', remove_duplicate=True", "a generator of (dotted name, module) for itself and every module under it"),
        ]
        return walks.map { walk in
            Member<Object>.method(walk.name, walk.signature, walk.doc) { m, call in try generator(walk.name, of: .object(m), call.arguments) }
        } + [
            .method("load_state_dict", "state_dict, strict=True, assign=False", "each tensor copied over the one of its name") { m, call in
                try StateDictLoading.load(into: tree(m).stateDict, of: typeName(m), call.arguments)
            },
        ]
    }

    /// The walks, `load_state_dict` and the parameter and state methods, for a module value without its own (a
    /// `ModuleList`, a layer without parameters).
    static func members<Object: PyObject & SendableMetatype>(tree: @escaping @Sendable (Object) -> ModuleTree,
                                                             typeName: @escaping @Sendable (Object) -> String) -> [Member<Object>] {
        walkMembers(tree: tree, typeName: typeName) + [
            .method("parameters", "recurse=True", "a generator of its parameter tensors (its own only with recurse=False)") { m, call in
                let tree = tree(m), recurse = try call[0]?.isTruthy() ?? true
                return Iteration.generator("Module.parameters", (recurse ? tree.namedParameters : tree.ownParameters).map { .tensor($0.tensor) })
            },
            .method("named_parameters", "prefix='', recurse=True, remove_duplicate=True", "a generator of (dotted name, tensor)") { m, call in
                let prefix = try call[0]?.asString("prefix") ?? "", tree = tree(m), recurse = try call[1]?.isTruthy() ?? true
                return Iteration.generator("Module.named_parameters", (recurse ? tree.namedParameters : tree.ownParameters).map {
                    .tuple([.str(prefix.isEmpty ? $0.name : prefix + "." + $0.name), .tensor($0.tensor)])
                })
            },
            .method("state_dict", "destination=None, prefix='', keep_vars=False", "an OrderedDict of every tensor by its dotted name") { m, call in
                let prefix = try call[1]?.asString("prefix") ?? ""
                return try stateDict(tree(m).stateDict, prefix: prefix)
            },
        ]
    }
}
