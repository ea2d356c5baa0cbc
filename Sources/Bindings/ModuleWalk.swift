import Language
import Models

/// torch's walks over a module tree, for every kind of module value: a model or one of its modules, a `ModuleList`,
/// a parameter-free layer, a program's `nn.Module`. Each child is the value `model.name` gives.
enum ModuleWalk {
    /// `named_children()`: the direct children, in registration order.
    static func children(of value: Value) throws -> [(name: String, value: Value)] {
        switch value {
        case .object(let module as any ModuleValue):
            return module.module.children.compactMap { name, child in
                if case .registeredNone = child { return nil }
                return (name, ModuleObject.value(of: child, in: module.owner, at: module.descendant(name)))
            }
        case .object(let list as ModuleListObject): return list.items.enumerated().map { ("\($0.offset)", $0.element) }
        case .object(let instance as InstanceObject) where ModuleBase.isModule(value): return try ModuleBase.children(of: instance, unique: true)
        default: return []
        }
    }

    /// `named_modules()`: the module itself (named `prefix`), then every module under it, parents first.
    static func modules(of value: Value, prefix: String = "") throws -> [(name: String, value: Value)] {
        try [(prefix, value)] + children(of: value).flatMap { name, child in
            try modules(of: child, prefix: prefix.isEmpty ? name : prefix + "." + name)
        }
    }

    /// `children()`, `named_children()`, `modules()` and `named_modules()` as generators, for a module class's members.
    static func generator(_ method: String, of value: Value, _ arguments: Arguments) throws -> Value {
        switch method {
        case "children": return Iteration.generator("Module.children", try children(of: value).map(\.value))
        case "named_children": return Iteration.generator("Module.named_children", try children(of: value).map { .tuple([.str($0.name), $0.value]) })
        case "modules": return Iteration.generator("Module.modules", try modules(of: value).map(\.value))
        default:
            let prefix = try arguments.bind("named_modules", ["memo", "prefix", "remove_duplicate"])[1]?.asString("prefix") ?? ""
            return Iteration.generator("Module.named_modules", try modules(of: value, prefix: prefix).map { .tuple([.str($0.name), $0.value]) })
        }
    }
}
