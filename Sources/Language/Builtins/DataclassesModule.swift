/// `dataclasses`: `@dataclass` (with `init`, `repr`, `eq`, `order`, `frozen`) gives a class the `__init__`,
/// `__repr__` and comparisons its annotated fields call for, as CPython generates them; `field()`, `fields()`,
/// `asdict()`, `astuple()`, `replace()`, `is_dataclass()`.
enum DataclassesModule {
    static func make() -> PythonModule {
        PythonModule("dataclasses", [
            "dataclass": .object(BuiltinFunction("dataclass", calling: { args, interpreter in
                let options = try DataclassOptions(Arguments([], keywords: args.keywords))
                if let cls = args.positional.first { return try decorate(cls, options, interpreter) }
                return .object(BuiltinFunction("wrap", calling: { args, interpreter in
                    try decorate(try args.bind("wrap", ["cls"], required: 1)[0]!, options, interpreter)
                }))
            })),
            "field": builtin("field") { args in .object(try DataclassField(args)) },
            "fields": builtin("fields") { args in
                .tuple(try fields(of: try args.bind("fields", ["class_or_instance"], required: 1)[0]!).map { .object($0) })
            },
            "asdict": builtin("asdict") { args in try converted(try args.bind("asdict", ["obj"], required: 1)[0]!, toDict: true) },
            "astuple": builtin("astuple") { args in try converted(try args.bind("astuple", ["obj"], required: 1)[0]!, toDict: false) },
            "replace": .object(BuiltinFunction("replace", calling: { args, interpreter in
                guard args.positional.count == 1, case .object(let instance as InstanceObject) = args.positional[0] else {
                    throw PyError.type("replace() should be called on dataclass instances")
                }
                let current = try fields(of: args.positional[0]).filter(\.initialized).map { field in
                    (name: field.name, value: try instance.attributes.get(.str(field.name)) ?? .none)
                }
                let given = args.keywords.map(\.name)
                return try interpreter.call(.object(instance.cls), Arguments([], keywords: current.filter { !given.contains($0.name) } + args.keywords))
            })),
            "is_dataclass": builtin("is_dataclass") { args in
                .bool((try? fields(of: try args.bind("is_dataclass", ["obj"], required: 1)[0]!)) != nil)
            },
            "MISSING": .object(DataclassField.missing),
        ], planned: ["make_dataclass", "InitVar", "KW_ONLY", "FrozenInstanceError"])
    }

    /// The fields of a dataclass or of one of its instances, in order.
    static func fields(of value: Value) throws -> [DataclassField] {
        let cls: ClassObject? = switch value {
        case .object(let instance as InstanceObject): instance.cls
        case .object(let cls as ClassObject): cls
        default: nil
        }
        guard let cls, case .object(let fields as DataclassFields)? = cls.lookup("__dataclass_fields__") else {
            throw PyError.type("must be called with a dataclass type or instance")
        }
        return fields.fields
    }

    /// `asdict(obj)` / `astuple(obj)`: the fields' values, dataclasses, lists, tuples and dicts in them converted too.
    private static func converted(_ value: Value, toDict: Bool) throws -> Value {
        guard case .object(_ as InstanceObject) = value, (try? fields(of: value)) != nil else {
            throw PyError.type("\(toDict ? "asdict" : "astuple")() should be called on dataclass instances")
        }
        func convert(_ value: Value) throws -> Value {
            switch value {
            case .object(let instance as InstanceObject) where (try? fields(of: value)) != nil:
                let items = try fields(of: value).map { (Value.str($0.name), try convert(try instance.attributes.get(.str($0.name)) ?? .none)) }
                return toDict ? .dict(try PyDict(items)) : .tuple(items.map(\.1))
            case .list(let list): return .list(PyList(try list.items.map(convert)))
            case .tuple(let items): return .tuple(try items.map(convert))
            case .dict(let dict): return .dict(try PyDict(try dict.items.map { (try convert($0.0), try convert($0.1)) }))
            default: return value
            }
        }
        return try convert(value)
    }

    /// `@dataclass` on `value`: its fields (its bases' first), and the methods they call for that it does not
    /// define itself.
    private static func decorate(_ value: Value, _ options: DataclassOptions, _ interpreter: Interpreter) throws -> Value {
        guard case .object(let cls as ClassObject) = value else { throw PyError.type("dataclass() should be called on a class") }
        // the bases' fields by name (each base's already holds its own bases'), then the class's own annotations
        var fields = [DataclassField]()
        func add(_ field: DataclassField) {
            if let i = fields.firstIndex(where: { $0.name == field.name }) { fields[i] = field } else { fields.append(field) }
        }
        for base in cls.mro.dropFirst().reversed() {
            if case .object(let inherited as DataclassFields)? = base.namespace["__dataclass_fields__"] { inherited.fields.forEach(add) }
        }
        if case .dict(let annotations)? = cls.namespace["__annotations__"] {
            for (key, hint) in annotations.items {
                // a ClassVar is the class's own variable, not a field
                guard case .str(let name) = key, !TypeHint.isClassVar(hint) else { continue }
                let field = try DataclassField(name: name, type: hint, declared: cls.namespace[name])
                add(field)
                if let plain = field.plainDefault { _ = try cls.setAttribute(name, plain) } else { _ = try? cls.deleteAttribute(name) }
            }
        }
        let initialized = fields.filter(\.initialized)
        if let late = initialized.drop(while: { !$0.hasDefault }).first(where: { !$0.hasDefault }) {
            throw PyError.type("non-default argument '\(late.name)' follows default argument")
        }
        _ = try cls.setAttribute("__dataclass_fields__", .object(DataclassFields(fields: fields, frozen: options.frozen)))
        for (name, method) in DataclassMethods.generated(for: cls.name, fields, options) where cls.namespace[name] == nil {
            _ = try cls.setAttribute(name, .object(method))
        }
        return value
    }
}

/// `@dataclass(...)`'s switches.
struct DataclassOptions {
    var initializer = true, representation = true, equality = true, order = false, frozen = false

    init(_ arguments: Arguments) throws {
        let a = try arguments.bind("dataclass", ["init", "repr", "eq", "order", "unsafe_hash", "frozen", "match_args",
                                                 "kw_only", "slots"])
        initializer = try a[0]?.isTruthy() ?? true
        representation = try a[1]?.isTruthy() ?? true
        equality = try a[2]?.isTruthy() ?? true
        order = try a[3]?.isTruthy() ?? false
        frozen = try a[5]?.isTruthy() ?? false
        if order && !equality { throw PyError.value("eq must be true if order is true") }
        for (i, name) in [(4, "unsafe_hash"), (7, "kw_only"), (8, "slots")] where try a[i]?.isTruthy() == true {
            throw PyError.notImplemented("dataclass(\(name)=True)")
        }
    }
}

/// A dataclass's fields, kept in its namespace as `__dataclass_fields__`.
final class DataclassFields: PyObject {
    let fields: [DataclassField]
    /// Whether its instances refuse assignments (`frozen=True`).
    let frozen: Bool

    init(fields: [DataclassField], frozen: Bool) {
        (self.fields, self.frozen) = (fields, frozen)
    }

    var typeName: String { "dict" }
    var repr: String { "{" + fields.map { "'\($0.name)': \($0.repr)" }.joined(separator: ", ") + "}" }
}
