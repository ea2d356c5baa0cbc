/// One field of a dataclass (`dataclasses.Field`): its name and annotation, its default or default factory, and
/// whether `__init__`, `__repr__` and the comparisons take it.
final class DataclassField: PyObject {
    /// `dataclasses.MISSING`: no default.
    static let missing = MissingObject()

    private(set) var name = "", type = Value.none
    private(set) var defaultValue: Value?, defaultFactory: Value?
    private(set) var initialized = true, shownInRepr = true, compared = true

    /// `field(*, default=MISSING, default_factory=MISSING, init=True, repr=True, hash=None, compare=True, ...)`.
    init(_ arguments: Arguments) throws {
        guard arguments.positional.isEmpty else {
            throw PyError.type("field() takes 0 positional arguments but \(arguments.positional.count) were given")
        }
        let a = try arguments.bind("field", ["default", "default_factory", "init", "repr", "hash", "compare", "metadata", "kw_only"])
        defaultValue = a[0].flatMap(Self.given)
        defaultFactory = a[1].flatMap(Self.given)
        if defaultValue != nil && defaultFactory != nil { throw PyError.value("cannot specify both default and default_factory") }
        initialized = try a[2]?.isTruthy() ?? true
        shownInRepr = try a[3]?.isTruthy() ?? true
        compared = try a[5]?.isTruthy() ?? true
    }

    /// The field an annotation in a class body declares, `declared` being what the body assigned to the name (a
    /// default, or a `field(...)`); CPython's ValueError for a list, dict or set default, which every instance
    /// would share.
    init(name: String, type: Value, declared: Value?) throws {
        if case .object(let field as DataclassField)? = declared {
            (defaultValue, defaultFactory) = (field.defaultValue, field.defaultFactory)
            (initialized, shownInRepr, compared) = (field.initialized, field.shownInRepr, field.compared)
        } else {
            defaultValue = declared
        }
        (self.name, self.type) = (name, type)
        switch defaultValue {
        case .list?, .dict?, .object(_ as PySet)?:
            throw PyError.value("mutable default \(TypeObject.of(defaultValue!).repr) for field \(name) is not allowed: use default_factory")
        default: break
        }
    }

    /// A value given for a parameter whose default is MISSING.
    private static func given(_ value: Value) -> Value? {
        if case .object(_ as MissingObject) = value { return nil }
        return value
    }

    var hasDefault: Bool { defaultValue != nil || defaultFactory != nil }

    /// The default the class itself holds as an attribute (none for a default factory).
    var plainDefault: Value? { defaultValue }

    /// The value `__init__` gives the field when the call does not: its default, or a fresh one from its factory.
    func makeDefault(_ interpreter: Interpreter) throws -> Value? {
        if let defaultFactory { return try interpreter.call(defaultFactory, Arguments()) }
        return defaultValue
    }

    var typeName: String { "Field" }
    var repr: String {
        "Field(name=\(Value.quoted(name)),type=\(type.repr),default=\((defaultValue ?? .object(Self.missing)).repr),"
            + "default_factory=\((defaultFactory ?? .object(Self.missing)).repr),init=\(initialized ? "True" : "False"),"
            + "repr=\(shownInRepr ? "True" : "False"),hash=None,compare=\(compared ? "True" : "False"),"
            + "metadata=mappingproxy({}),kw_only=False,_field_type=_FIELD)"
    }
    var attributeNames: [String] { ["compare", "default", "default_factory", "init", "name", "repr", "type"] }

    func attribute(_ name: String, _ interpreter: Interpreter) throws -> Value? {
        switch name {
        case "name": .str(self.name)
        case "type": type
        case "default": defaultValue ?? .object(Self.missing)
        case "default_factory": defaultFactory ?? .object(Self.missing)
        case "init": .bool(initialized)
        case "repr": .bool(shownInRepr)
        case "compare": .bool(compared)
        default: nil
        }
    }
}

/// `dataclasses.MISSING`.
final class MissingObject: PyObject, Sendable {
    var typeName: String { "_MISSING_TYPE" }
    var repr: String { "<dataclasses._MISSING_TYPE object at \(objectAddress(self))>" }
}

/// The methods `@dataclass` writes for a class, from its fields.
enum DataclassMethods {
    /// `__init__`, `__repr__`, `__eq__`, the order comparisons and a frozen class's `__setattr__` / `__delattr__`,
    /// as `options` asks.
    /// `className` is the decorated class's (the `__init__` errors name it, as CPython's generated function's
    /// qualified name does); the methods hold no reference to the class, which holds them.
    static func generated(for className: String, _ fields: [DataclassField], _ options: DataclassOptions) -> [(String, BuiltinFunction)] {
        var methods = [(String, BuiltinFunction)]()
        func method(_ name: String, _ body: @escaping (InstanceObject, Arguments, Interpreter) throws -> Value) {
            let function = BuiltinFunction(name, calling: { args, interpreter in
                guard case .object(let instance as InstanceObject)? = args.positional.first else {
                    throw PyError.type("\(className).\(name)() needs an instance")
                }
                return try body(instance, Arguments(Array(args.positional.dropFirst()), keywords: args.keywords), interpreter)
            })
            function.isMethod = true
            methods.append((name, function))
        }
        if options.initializer { method("__init__") { try initialize($0, className, fields, $1, $2) } }
        if options.representation {
            method("__repr__") { instance, _, _ in
                let shown = try fields.filter(\.shownInRepr).map { "\($0.name)=\(try value(instance, $0).checkedRepr())" }
                return .str("\(instance.cls.name)(\(shown.joined(separator: ", ")))")
            }
        }
        let comparisons: [(String, ComparisonOperator)] = (options.equality ? [("__eq__", .equal)] : [])
            + (options.order ? [("__lt__", .less), ("__le__", .lessOrEqual), ("__gt__", .greater), ("__ge__", .greaterOrEqual)] : [])
        for (name, op) in comparisons {
            method(name) { instance, args, _ in
                let other = try args.bind(name, ["other"], required: 1)[0]!
                guard case .object(let peer as InstanceObject) = other, peer.cls === instance.cls else { return .object(NotImplementedObject.shared) }
                let compared = fields.filter(\.compared)
                return try Operators.richCompare(op, .tuple(try compared.map { try value(instance, $0) }),
                                                 .tuple(try compared.map { try value(peer, $0) }))
            }
        }
        if options.equality && options.frozen {  // equal instances hash alike; an unfrozen one is unhashable
            method("__hash__") { instance, _, _ in .int(try PythonHash.of(.tuple(try fields.filter(\.compared).map { try value(instance, $0) }))) }
        }
        if options.frozen {
            method("__setattr__") { _, args, _ in throw try frozen("assign to", try args.bind("__setattr__", ["name", "value"], required: 2)[0]!) }
            method("__delattr__") { _, args, _ in throw try frozen("delete", try args.bind("__delattr__", ["name"], required: 1)[0]!) }
        }
        return methods
    }

    /// The generated `__init__`: the fields `init` takes bound as a function's parameters, then the others' defaults,
    /// then `__post_init__` when the class has one.
    private static func initialize(_ instance: InstanceObject, _ className: String, _ fields: [DataclassField],
                                   _ args: Arguments, _ interpreter: Interpreter) throws -> Value {
        let parameters = fields.filter(\.initialized)
        guard args.positional.count <= parameters.count else {
            throw PyError.type("\(className).__init__() takes \(parameters.count + 1) positional arguments but \(args.positional.count + 1) were given")
        }
        let slots = try args.bind("\(className).__init__", parameters.map(\.name), required: parameters.prefix { !$0.hasDefault }.count)
        for (field, slot) in zip(parameters, slots) {
            try instance.attributes.set(.str(field.name), try slot ?? field.makeDefault(interpreter) ?? .none)
        }
        for field in fields where !field.initialized {
            if let made = try field.makeDefault(interpreter) { try instance.attributes.set(.str(field.name), made) }
        }
        _ = try instance.callSpecial("__post_init__")
        return .none
    }

    /// A field's value on an instance.
    private static func value(_ instance: InstanceObject, _ field: DataclassField) throws -> Value {
        guard let value = try instance.attributes.get(.str(field.name)) else { throw PyError.attribute(instance.cls.name, field.name) }
        return value
    }

    /// What assigning to (or deleting) an attribute of a frozen dataclass's instance raises.
    private static func frozen(_ what: String, _ name: Value) throws -> PyError {
        PyError(.frozenInstanceError, "cannot \(what) field \(Value.quoted(try name.asString("attribute name")))")
    }
}
