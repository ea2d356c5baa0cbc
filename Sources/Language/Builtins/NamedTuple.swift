/// A named tuple: torch's `torch.return_types.max(values=..., indices=...)` (printed a field a line, as torch
/// prints them) or a Python `collections.namedtuple` such as transformers' `CharSpan(start=1, end=4)`. It is a tuple
/// to comparisons, hashing, indexing and the tuple methods.
public final class NamedTuple: IterableObject, AttributeSettable {
    public let typeName: String
    let fields: [(name: String, value: Value)]
    /// Whether it prints as torch's return types do, one field a line.
    private let fieldPerLine: Bool
    /// The class that made it, for a program's `namedtuple`.
    let type: NamedTupleType?

    public convenience init(_ typeName: String, _ fields: [(String, Value)], fieldPerLine: Bool = true) {
        self.init(typeName, fields, fieldPerLine: fieldPerLine, type: nil)
    }

    init(_ typeName: String, _ fields: [(String, Value)], fieldPerLine: Bool, type: NamedTupleType?) {
        self.typeName = typeName
        self.fields = fields.map { (name: $0.0, value: $0.1) }
        self.fieldPerLine = fieldPerLine
        self.type = type
    }

    public var items: [Value] { fields.map(\.value) }
    public var repr: String {
        let separator = fieldPerLine ? ",\n" : ", "
        return typeName + (fieldPerLine ? "(\n" : "(") + fields.map { "\($0.name)=\($0.value.repr)" }.joined(separator: separator) + ")"
    }
    public var attributeNames: [String] { fields.map(\.name) + ["_asdict", "_fields", "_replace"] + TupleMethods.table.names }

    public func attribute(_ name: String, _ interpreter: Interpreter) throws -> Value? {
        if let field = fields.first(where: { $0.name == name }) { return field.value }
        switch name {
        case "_fields": return .tuple(fields.map { .str($0.name) })
        case "_asdict": return builtin("_asdict") { [self] args in
            try args.expectNone("_asdict")
            return .dict(try PyDict(fields.map { (.str($0.name), $0.value) }))
        }
        case "_replace": return builtin("_replace") { [self] args in
            guard args.positional.isEmpty else { throw PyError.type("\(typeName)._replace() takes 1 positional argument but \(args.positional.count + 1) were given") }
            let unknown = args.keywords.map(\.name).filter { name in !fields.contains { $0.name == name } }
            guard unknown.isEmpty else { throw PyError.value("Got unexpected field names: \(Value.list(PyList(unknown.map(Value.str))).repr)") }
            return .object(NamedTuple(typeName, fields.map { field in (field.name, args.keywords.last { $0.name == field.name }?.value ?? field.value) },
                                      fieldPerLine: fieldPerLine, type: type))
        }
        default:
            // a method of a `class C(NamedTuple):` body, bound to this tuple
            if let member = type?.namespace[name] {
                guard case .object(let function as UserFunction) = member else { return member }
                return .object(BoundMethod(function: .object(function), receiver: .object(self), name: "\(typeName).\(function.name)"))
            }
            return try TupleMethods.table.value(of: name, for: items, interpreter)
        }
    }

    /// Its fields are read-only, as a namedtuple's properties; it has no other attributes to set.
    public func setAttribute(_ name: String, _ value: Value) throws -> Bool {
        guard !fields.contains(where: { $0.name == name }) else { throw PyError(.attributeError, "can't set attribute") }
        return false
    }
}

/// A class `collections.namedtuple(typename, field_names, *, rename=False, defaults=None, module=None)` makes: calling
/// it makes a `NamedTuple` (a tuple wherever a tuple goes, its items also reached by name), and it has the
/// namedtuple class's `_fields`, `_field_defaults` and `_make`.
final class NamedTupleType: CallableObject {
    let name: String
    let fields: [String]
    /// The defaults of the last fields.
    let defaults: [Value]
    /// What a `class C(NamedTuple):` body defines besides its fields (methods, constants).
    private(set) var namespace: [String: Value] = [:]

    /// `class name(typing.NamedTuple):`: the fields the body annotates, their defaults, and the rest of what the body
    /// defines; CPython's TypeErrors for a field without a default after one with, and for a ClassVar.
    init(name: String, body: [String: Value]) throws {
        self.name = name
        var fields = [String](), defaults = [Value]()
        if case .dict(let annotations)? = body["__annotations__"] {
            for case (.str(let field), let hint) in annotations.items {
                if TypeHint.isClassVar(hint) { throw PyError.type("\(hint.repr) is not valid as type argument") }
                if let value = body[field] {
                    defaults.append(value)
                } else if !defaults.isEmpty {
                    let named = fields.suffix(defaults.count).joined(separator: ", ")
                    throw PyError.type("Non-default namedtuple field \(field) cannot follow default field\(defaults.count > 1 ? "s" : "") \(named)")
                }
                fields.append(field)
            }
        }
        (self.fields, self.defaults) = (fields, defaults)
        namespace = body.filter { !fields.contains($0.key) && $0.key != "__annotations__" }
        try validate(renamed: false)
    }

    /// `typing.NamedTuple("P", [("x", int), ("y", int)])`.
    static func functional(_ arguments: Arguments) throws -> NamedTupleType {
        let a = try arguments.bind("NamedTuple", ["typename", "fields"], required: 1)
        let pairs = try a[1].given.map(Iteration.materialize) ?? []
        let names = try pairs.map { pair in
            let items = try Iteration.materialize(pair)
            guard items.count == 2 else { throw PyError.type("NamedTuple('Name', [(f0, t0), (f1, t1), ...]); each t must be a type") }
            return items[0]
        }
        return try NamedTupleType(Arguments([a[0]!, .list(PyList(names))]))
    }

    /// The class `namedtuple(...)` makes, its names checked as CPython checks them.
    init(_ arguments: Arguments) throws {
        let a = try arguments.bind("namedtuple", ["typename", "field_names", "rename", "defaults", "module"], required: 2)
        name = try a[0]!.asString("typename")
        let listed: [Value]
        if case .str(let text) = a[1]! {
            listed = text.replacingOccurrences(of: ",", with: " ").split(whereSeparator: \.isWhitespace).map { .str(String($0)) }
        } else {
            listed = try Iteration.materialize(a[1]!)
        }
        let names = try listed.map { try $0.asString("field name") }
        let rename = try a[2]?.isTruthy() ?? false
        fields = names.enumerated().map { i, field in
            let invalid = !PythonCharacters.isIdentifier(field) || Parser.keywords.contains(field) || field.hasPrefix("_")
                || names[..<i].contains(field)
            return rename && invalid ? "_\(i)" : field
        }
        defaults = try a[3].given.map(Iteration.materialize) ?? []
        try validate(renamed: rename)
    }

    /// CPython's ValueErrors and TypeError for the names and the defaults (`_0`, `_1`, ... only as `rename` made them).
    private func validate(renamed: Bool) throws {
        for identifier in [name] + fields {
            guard PythonCharacters.isIdentifier(identifier) else {
                throw PyError.value("Type names and field names must be valid identifiers: \(Value.quoted(identifier))")
            }
            guard !Parser.keywords.contains(identifier) else {
                throw PyError.value("Type names and field names cannot be a keyword: \(Value.quoted(identifier))")
            }
        }
        for (i, field) in fields.enumerated() {
            if field.hasPrefix("_"), !renamed || field != "_\(i)" { throw PyError.value("Field names cannot start with an underscore: \(Value.quoted(field))") }
            if fields[..<i].contains(field) { throw PyError.value("Encountered duplicate field name: \(Value.quoted(field))") }
        }
        guard defaults.count <= fields.count else { throw PyError.type("Got more default values than field names") }
    }

    var typeName: String { "type" }
    var repr: String { "<class '__main__.\(name)'>" }
    var attributeNames: [String] { ["_field_defaults", "_fields", "_make"] }

    func attribute(_ attribute: String, _ interpreter: Interpreter) throws -> Value? {
        switch attribute {
        case "__name__": .str(name)
        case "_fields": .tuple(fields.map(Value.str))
        case "_field_defaults": .dict(try PyDict(zip(fields.suffix(defaults.count).map(Value.str), defaults).map { ($0, $1) }))
        case "_make": builtin("_make") { [self] args in
            .object(try make(Iteration.materialize(try args.bind("_make", ["iterable"], required: 1)[0]!)))
        }
        default: namespace[attribute]
        }
    }

    /// `P(1, y=2)`: the fields bound as a function's parameters are, the defaults filling the last ones.
    func call(_ arguments: Arguments, _ interpreter: Interpreter) throws -> Value? {
        guard arguments.positional.count <= fields.count else {
            throw PyError.type("\(name).__new__() takes \(fields.count + 1) positional arguments but \(arguments.positional.count + 1) were given")
        }
        let slots = try arguments.bind("\(name).__new__", fields, required: fields.count - defaults.count)
        let firstDefault = fields.count - defaults.count
        return .object(try make(slots.enumerated().map { i, value in value ?? defaults[i - firstDefault] }))
    }

    /// An instance of `items`, as many as there are fields.
    func make(_ items: [Value]) throws -> NamedTuple {
        guard items.count == fields.count else { throw PyError.type("Expected \(fields.count) arguments, got \(items.count)") }
        return NamedTuple(name, Array(zip(fields, items)), fieldPerLine: false, type: self)
    }
}
