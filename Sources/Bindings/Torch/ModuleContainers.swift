import Language

/// `nn.Sequential`, `nn.ModuleList` and `nn.ModuleDict`, as a program builds its own modules: `nn.Module`s
/// (`ModuleBase`) whose children are named by position ("0", "1", ...; a Sequential made from an `OrderedDict` keeps
/// its names), or by key.
enum ModuleContainers {
    static let moduleListName = "torch.nn.modules.container.ModuleList"

    /// The class `torch.nn.Sequential`.
    static var sequentialType: Value { .object(TypeObject(subclassable: sequential) { isInstance($0, of: sequential) }) }
    /// The class `torch.nn.ModuleList`.
    static var moduleListType: Value {
        .object(TypeObject(subclassable: moduleList) { value in
            if case .object(_ as ModuleListObject) = value { return true }   // a model's own lists (`encoder.layer`)
            return isInstance(value, of: moduleList)
        })
    }

    /// The class `torch.nn.ModuleDict`.
    static var moduleDictType: Value { .object(TypeObject(subclassable: moduleDict) { isInstance($0, of: moduleDict) }) }

    private static func isInstance(_ value: Value, of base: NativeBaseClass) -> Bool {
        if case .object(let instance as InstanceObject) = value { return instance.derives(fromNative: base.qualifiedName) }
        return false
    }

    /// `Sequential(*modules)` or `Sequential(OrderedDict)`; calling it runs each module on the previous one's output.
    private static let sequential = NativeBaseClass("Sequential", qualified: "torch.nn.modules.container.Sequential", bases: [ModuleBase.base],
                                                    methods: [
        ("__init__", { sequential, arguments, _ in
            try ModuleBase.initialize(sequential)
            if arguments.positional.count == 1, case .dict(let named) = arguments.positional[0] {
                for (name, module) in named.items { try add(module, as: try name.asString("module name"), to: sequential) }
            } else {
                for module in arguments.positional { try add(module, to: sequential) }
            }
            return .none
        }),
        ("forward", { sequential, arguments, interpreter in
            var x = try arguments.bind("forward", ["input"], required: 1)[0]!
            for (_, module) in try ModuleBase.children(of: sequential) { x = try interpreter.call(module, Arguments([x])) }
            return x
        }),
        ("append", { sequential, arguments, _ in
            try add(try arguments.bind("append", ["module"], required: 1)[0]!, to: sequential)
            return .object(sequential)
        }),
        ("__getitem__", { sequential, arguments, interpreter in
            let children = try ModuleBase.children(of: sequential)
            let key = try arguments.bind("__getitem__", ["idx"], required: 1)[0]!
            guard let positions = try Subscripts.slicePositions(key, count: children.count) else { return try child(children, key).value }
            let named = try PyDict(positions.map { (.str(children[$0].name), children[$0].value) })
            return try interpreter.call(sequentialType, Arguments([.dict(named)]))
        }),
        ("__len__", { sequential, _, _ in .int(try ModuleBase.children(of: sequential).count) }),
        ("__iter__", { sequential, _, _ in .object(try Iteration.iterator(.list(PyList(try ModuleBase.children(of: sequential).map(\.value))))) }),
    ])

    /// `ModuleList(modules=None)`: a list of modules, indexed, sliced, appended to and iterated as a list.
    private static let moduleList = NativeBaseClass("ModuleList", qualified: moduleListName, bases: [ModuleBase.base], methods: [
        ("__init__", { list, arguments, _ in
            try ModuleBase.initialize(list)
            if let modules = try arguments.bind("ModuleList", ["modules"])[0].given {
                for module in try Iteration.materialize(modules) { try add(module, to: list) }
            }
            return .none
        }),
        ("append", { list, arguments, _ in
            try add(try arguments.bind("append", ["module"], required: 1)[0]!, to: list)
            return .object(list)
        }),
        ("extend", { list, arguments, _ in
            for module in try Iteration.materialize(try arguments.bind("extend", ["modules"], required: 1)[0]!) { try add(module, to: list) }
            return .object(list)
        }),
        ("__getitem__", { list, arguments, interpreter in
            let children = try ModuleBase.children(of: list)
            let key = try arguments.bind("__getitem__", ["idx"], required: 1)[0]!
            guard let positions = try Subscripts.slicePositions(key, count: children.count) else { return try child(children, key).value }
            return try interpreter.call(moduleListType, Arguments([.list(PyList(positions.map { children[$0].value }))]))
        }),
        ("__len__", { list, _, _ in .int(try ModuleBase.children(of: list).count) }),
        ("__iter__", { list, _, _ in .object(try Iteration.iterator(.list(PyList(try ModuleBase.children(of: list).map(\.value))))) }),
    ])

    /// `ModuleDict(modules=None)`: modules by name (a dict, or pairs), read, set, tested and iterated as a dict.
    private static let moduleDict = NativeBaseClass("ModuleDict", qualified: "torch.nn.modules.container.ModuleDict", bases: [ModuleBase.base], methods: [
        ("__init__", { dict, arguments, _ in
            try ModuleBase.initialize(dict)
            if let modules = try arguments.bind("ModuleDict", ["modules"])[0].given { try update(dict, with: modules) }
            return .none
        }),
        ("update", { dict, arguments, _ in
            try update(dict, with: try arguments.bind("update", ["modules"], required: 1)[0]!)
            return .none
        }),
        ("__getitem__", { dict, arguments, _ in
            let key = try arguments.bind("__getitem__", ["key"], required: 1)[0]!
            guard let found = try ModuleBase.children(of: dict).first(where: { $0.name == (try? key.asString("key")) }) else { throw PyError.key(key) }
            return found.value
        }),
        ("__setitem__", { dict, arguments, _ in
            let a = try arguments.bind("__setitem__", ["key", "module"], required: 2)
            try add(a[1]!, as: try a[0]!.asString("key"), to: dict)
            return .none
        }),
        ("__contains__", { dict, arguments, _ in
            let key = try arguments.bind("__contains__", ["key"], required: 1)[0]!
            return .bool(try ModuleBase.children(of: dict).contains { $0.name == (try? key.asString("key")) })
        }),
        ("__len__", { dict, _, _ in .int(try ModuleBase.children(of: dict).count) }),
        ("__iter__", { dict, _, _ in .object(try Iteration.iterator(.list(PyList(try ModuleBase.children(of: dict).map { .str($0.name) })))) }),
        ("keys", { dict, _, _ in .list(PyList(try ModuleBase.children(of: dict).map { .str($0.name) })) }),
        ("values", { dict, _, _ in .list(PyList(try ModuleBase.children(of: dict).map(\.value))) }),
        ("items", { dict, _, _ in .list(PyList(try ModuleBase.children(of: dict).map { .tuple([.str($0.name), $0.value]) })) }),
    ])

    /// `ModuleDict.update(modules)`: a dict's or pairs' modules added under their names, in order.
    private static func update(_ dict: InstanceObject, with modules: Value) throws {
        let pairs: [(Value, Value)]
        if case .dict(let given) = modules { pairs = given.items } else {
            pairs = try Iteration.materialize(modules).map { pair in
                let parts = try Iteration.materialize(pair)
                guard parts.count == 2 else { throw PyError.value("ModuleDict update sequence element has length \(parts.count); 2 is required") }
                return (parts[0], parts[1])
            }
        }
        for (name, module) in pairs { try add(module, as: try name.asString("module name"), to: dict) }
    }

    /// `add_module(name, module)`, by default under the next position's name; torch's TypeError for what is not a
    /// module.
    private static func add(_ module: Value, as name: String? = nil, to container: InstanceObject) throws {
        guard ModuleBase.isModule(module) else { throw PyError.type("\(module.typeName) is not a Module subclass") }
        _ = try container.setOwnAttribute(name ?? String(try ModuleBase.children(of: container).count), module)
    }

    /// `container[i]`, negative from the end, with torch's `index 5 is out of range`.
    private static func child(_ children: [(name: String, value: Value)], _ key: Value) throws -> (name: String, value: Value) {
        let index = try key.asIndex()
        guard (-children.count..<children.count).contains(index) else { throw PyError.index("index \(index) is out of range") }
        return children[index < 0 ? index + children.count : index]
    }
}
