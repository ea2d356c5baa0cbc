/// A name of the typing module (`typing.List`, `typing.Optional`) and what subscripting it makes.
struct TypingName: Sendable {
    enum Kind: Sendable {
        /// A generic class: `List[int]` stands for `list`, with this many arguments (any number when nil).
        case alias(origin: String, qualifiedOrigin: String, arity: Int?)
        /// `Callable[[int, str], bool]`.
        case callable
        case union, optional, any, literal
        /// `ClassVar[int]`, `Final[int]`: one argument.
        case qualifier
    }

    let name: String
    let kind: Kind

    /// The names sbpl's typing module has, declared once.
    static let all: [TypingName] = [
        TypingName(name: "List", kind: .alias(origin: "list", qualifiedOrigin: "list", arity: 1)),
        TypingName(name: "Dict", kind: .alias(origin: "dict", qualifiedOrigin: "dict", arity: 2)),
        TypingName(name: "Set", kind: .alias(origin: "set", qualifiedOrigin: "set", arity: 1)),
        TypingName(name: "FrozenSet", kind: .alias(origin: "frozenset", qualifiedOrigin: "frozenset", arity: 1)),
        TypingName(name: "Tuple", kind: .alias(origin: "tuple", qualifiedOrigin: "tuple", arity: nil)),
        TypingName(name: "Type", kind: .alias(origin: "type", qualifiedOrigin: "type", arity: 1)),
        TypingName(name: "Iterable", kind: .alias(origin: "Iterable", qualifiedOrigin: "collections.abc.Iterable", arity: 1)),
        TypingName(name: "Iterator", kind: .alias(origin: "Iterator", qualifiedOrigin: "collections.abc.Iterator", arity: 1)),
        TypingName(name: "Sequence", kind: .alias(origin: "Sequence", qualifiedOrigin: "collections.abc.Sequence", arity: 1)),
        TypingName(name: "Mapping", kind: .alias(origin: "Mapping", qualifiedOrigin: "collections.abc.Mapping", arity: 2)),
        TypingName(name: "Generator", kind: .alias(origin: "Generator", qualifiedOrigin: "collections.abc.Generator", arity: 3)),
        TypingName(name: "Callable", kind: .callable),
        TypingName(name: "Union", kind: .union), TypingName(name: "Optional", kind: .optional),
        TypingName(name: "Any", kind: .any), TypingName(name: "Literal", kind: .literal),
        TypingName(name: "ClassVar", kind: .qualifier), TypingName(name: "Final", kind: .qualifier),
    ]

    /// The class it stands for (`list` for `List`), what `__origin__` and isinstance() use.
    var origin: TypeObject? {
        guard case .alias(let origin, let qualified, _) = kind else { return nil }
        return TypeObject.constructible.first { $0.name == origin } ?? TypeObject(origin, qualified: qualified)
    }

    /// `type(typing.List)` and `type(typing.List[int])` in CPython 3.11.
    func typeName(subscripted: Bool) -> String {
        switch (kind, subscripted) {
        case (.any, _): "typing._AnyMeta"
        case (.union, true), (.optional, true): "typing._UnionGenericAlias"
        case (.callable, true): "typing._CallableGenericAlias"
        case (.callable, false): "typing._CallableType"
        case (.literal, true): "typing._LiteralGenericAlias"
        case (.alias, false): "typing._SpecialGenericAlias"
        case (_, true): "typing._GenericAlias"
        default: "typing._SpecialForm"
        }
    }
}

/// A type hint as a value: a builtin class subscripted (`list[int]`, types.GenericAlias), a union of classes
/// (`int | None`, types.UnionType), and the typing module's names, bare (`typing.List`, `typing.Any`) or subscripted
/// (`typing.Optional[int]`). They print, compare, hash and answer isinstance() as CPython's do; like Python, sbpl
/// never checks a value against its annotation.
final class TypeHint: CallableObject, NativeOperand {
    enum Form {
        /// `list[int]` (PEP 585).
        case generic(origin: TypeObject)
        /// `int | str` (PEP 604).
        case union
        /// One of the typing module's names (`List`, `Optional`), bare or subscripted.
        case typing(TypingName)
    }

    /// The builtin classes that subscripting makes a generic alias of (`__class_getitem__`).
    static let genericOrigins: Set<String> = ["list", "dict", "tuple", "set", "frozenset"]

    let form: Form
    /// The arguments in brackets; nil for a bare typing name.
    let args: [Value]?

    init(_ form: Form, _ args: [Value]?) {
        self.form = form
        self.args = args
    }

    /// Whether `hint` is `ClassVar` or `ClassVar[...]`: a class's own variable, which a dataclass does not make a field.
    static func isClassVar(_ hint: Value) -> Bool {
        guard case .object(let hint as TypeHint) = hint, case .typing(let name) = hint.form else { return false }
        return name.name == "ClassVar"
    }

    /// As CPython's errors name it: `types.GenericAlias`, but typing's `_GenericAlias`.
    var typeName: String {
        guard case .typing = form else { return qualifiedTypeName! }
        return qualifiedTypeName!.split(separator: ".").last.map(String.init)!
    }

    var qualifiedTypeName: String? {
        switch form {
        case .generic: "types.GenericAlias"
        case .union: "types.UnionType"
        case .typing(let name): name.typeName(subscripted: args != nil)
        }
    }

    var isCallable: Bool { if case .union = form { false } else { true } }

    var repr: String {
        let items = (args ?? []).map(Self.argumentRepr)
        switch form {
        case .generic(let origin): return origin.name + Self.bracketed(items)
        case .union: return (args ?? []).map { Self.isNoneType($0) ? "None" : Self.argumentRepr($0) }.joined(separator: " | ")
        case .typing(let name):
            guard let args else { return "typing.\(name.name)" }
            if case .union = name.kind, args.count == 2, let none = args.firstIndex(where: Self.isNoneType) {
                return "typing.Optional[\(items[1 - none])]"
            }
            return "typing.\(name.name)" + Self.bracketed(items)
        }
    }

    /// `[int, str]`, and `[()]` for no arguments (`tuple[()]`).
    private static func bracketed(_ items: [String]) -> String { "[\(items.isEmpty ? "()" : items.joined(separator: ", "))]" }

    /// An argument as CPython's `typing._type_repr` writes it: a class by its dotted name (`int`, `torch.Tensor`).
    static func argumentRepr(_ value: Value) -> String {
        switch value {
        case .object(_ as EllipsisObject): return "..."
        case .list(let list): return "[\(list.items.map(argumentRepr).joined(separator: ", "))]"
        default:
            let repr = value.repr
            guard repr.hasPrefix("<class '"), repr.hasSuffix("'>") else { return repr }
            return String(repr.dropFirst(8).dropLast(2))
        }
    }

    /// Whether `value` is a class (or `None`, or a hint) that `|` joins into a union.
    static func isClassLike(_ value: Value) -> Bool {
        switch value {
        case .none, .object(_ as TypeHint): true
        case .object(let o): o.repr.hasPrefix("<class '")
        default: false
        }
    }

    /// `None` in a union or a typing form's arguments stands for its class, NoneType.
    static func noneAsType(_ value: Value) -> Value { isNone(value) ? .object(TypeObject.of(.none)) : value }

    private static func isNone(_ value: Value) -> Bool { if case .none = value { true } else { false } }

    private static func isNoneType(_ value: Value) -> Bool {
        if case .object(let type as TypeObject) = value { return type.name == "NoneType" }
        return false
    }

    /// The key equality and hashing use: the repr, but a union's arguments in any order.
    var key: String {
        switch form {
        case .union: return "|" + Set((args ?? []).map(Self.argumentRepr)).sorted().joined(separator: ",")
        case .typing(let name):
            guard case .union = name.kind, let args else { return repr }
            return "Union" + Set(args.map(Self.argumentRepr)).sorted().joined(separator: ",")
        case .generic: return repr
        }
    }

    func isEqual(to other: Value) -> Bool? {
        guard case .object(let hint as TypeHint) = other else { return false }
        return key == hint.key
    }

    func binary(_ op: BinaryOperator, _ other: Value, reflected: Bool) throws -> Value? {
        guard op == .bitOr else { return nil }
        return try Self.union(reflected ? other : .object(self), reflected ? .object(self) : other)
    }

    /// `left | right` for classes and hints: a types.UnionType, or typing's Union when either side is a typing
    /// form; nil when either side is not a class.
    static func union(_ left: Value, _ right: Value) throws -> Value? {
        // typing's forms join anything; the builtin classes only classes
        let typing = [left, right].contains { $0.isTypingForm }
        if typing { return try TypingModule.union([left, right]) }
        guard isClassLike(left), isClassLike(right), !(isNone(left) && isNone(right)) else { return nil }
        let members = [left, right].flatMap { value -> [Value] in
            if case .object(let hint as TypeHint) = value, case .union = hint.form { return hint.args ?? [] }
            return [noneAsType(value)]
        }
        let distinct = TypingModule.distinct(members)
        return distinct.count == 1 ? distinct[0] : .object(TypeHint(.union, distinct))
    }

    func attribute(_ name: String, _ interpreter: Interpreter) throws -> Value? {
        switch name {
        case "__origin__": origin
        case "__args__": arguments
        default: nil
        }
    }

    /// `__origin__`: the class a generic stands for (`list` for `list[int]` and `typing.List`), `typing.Union` for a
    /// typing union.
    var origin: Value? {
        switch form {
        case .generic(let origin): return .object(origin)
        case .union: return nil
        case .typing(let name):
            if case .union = name.kind, args != nil { return .object(TypeHint(.typing(name), nil)) }
            return name.origin.map { .object($0) }
        }
    }

    /// `__args__`: the arguments in brackets, a Callable's parameters spread out.
    var arguments: Value? {
        args.map { args in .tuple(args.flatMap { if case .list(let l) = $0 { l.items } else { [$0] } }) }
    }

    var attributeNames: [String] { ["__args__", "__origin__"] }

    func call(_ arguments: Arguments, _ interpreter: Interpreter) throws -> Value? {
        switch form {
        case .generic(let origin): return try origin.call(arguments, interpreter)
        case .union: throw PyError.type("'types.UnionType' object is not callable")
        case .typing(let name):
            switch name.kind {
            case .alias(let origin, _, _): throw PyError.type("Type \(name.name) cannot be instantiated; use \(origin)() instead")
            case .any: throw PyError.type("Any cannot be instantiated")
            case .optional where args != nil: throw PyError.type("Cannot instantiate typing.Union")
            default: throw PyError.type("Cannot instantiate typing.\(name.name)")
            }
        }
    }

    /// isinstance() against an abstract class of collections.abc (`typing.Iterable`), as the builtin types answer it.
    private static func isInstance(_ value: Value, abstract origin: String) -> Bool {
        switch (origin, value) {
        case ("Iterable", .object(_ as IteratorMaker)): true   // answered without starting an iteration (a DataLoader's draws)
        case ("Iterable", _): (try? Iteration.iterator(value)) != nil
        case ("Iterator", .object(_ as PythonIterator)), ("Generator", .object(_ as GeneratorObject)): true
        case ("Sequence", .list), ("Sequence", .tuple), ("Sequence", .str), ("Sequence", .size), ("Sequence", .object(_ as RangeObject)): true
        case ("Mapping", .dict), ("Mapping", .object(_ as MappingObject)): true
        default: false
        }
    }

    /// `hint[arguments]`: only a bare typing name takes them.
    func subscripted(_ arguments: [Value]) throws -> Value {
        guard case .typing(let name) = form, args == nil else { throw PyError.type("\(repr) is not a generic class") }
        return try TypingModule.subscripted(name, arguments)
    }

    /// isinstance(value, self): a union or a bare generic class answers it; parameterized generics cannot.
    func isInstance(_ value: Value, _ matches: (Value, Value) throws -> Bool) throws -> Bool {
        switch form {
        case .generic: throw PyError.type("isinstance() argument 2 cannot be a parameterized generic")
        case .union: return try (args ?? []).contains { try matches(value, $0) }
        case .typing(let name):
            switch name.kind {
            case .union where args != nil: return try args!.contains { try matches(value, $0) }
            case .alias(let origin, let qualified, _) where args == nil:
                guard origin == qualified else { return Self.isInstance(value, abstract: origin) }
                return try matches(value, .object(name.origin!))
            case .callable where args == nil: if case .object(let o) = value { return o.isCallable } else { return false }
            default:
                if args != nil { throw PyError.type("Subscripted generics cannot be used with class and instance checks") }
                throw PyError.type("typing.\(name.name) cannot be used with isinstance()")
            }
        }
    }
}

/// `typing.TypeVar("T")`: a placeholder in generic hints, printed `~T`.
final class TypeVariable: NativeOperand {
    let repr: String

    init(_ repr: String) { self.repr = repr }

    var typeName: String { "TypeVar" }
    var qualifiedTypeName: String? { "typing.TypeVar" }

    func binary(_ op: BinaryOperator, _ other: Value, reflected: Bool) throws -> Value? {
        guard op == .bitOr else { return nil }
        return try TypingModule.union(reflected ? [other, .object(self)] : [.object(self), other])
    }

    func isEqual(to other: Value) -> Bool? { if case .object(let o) = other { o === self } else { false } }
}

extension Value {
    /// A typing module form or type variable, which `|` joins with anything into typing's Union.
    var isTypingForm: Bool {
        switch self {
        case .object(_ as TypeVariable): true
        case .object(let hint as TypeHint): if case .typing = hint.form { true } else { false }
        default: false
        }
    }
}

/// `import typing` / `from typing import List, Optional`: the names type hints use, and `cast`, `get_origin`,
/// `get_args`, `TYPE_CHECKING`.
enum TypingModule {
    static func make() -> PythonModule {
        var members = [String: Value]()
        for name in TypingName.all { members[name.name] = .object(TypeHint(.typing(name), nil)) }
        members["TYPE_CHECKING"] = .bool(false)
        members["cast"] = builtin("cast") { try $0.bind("cast", ["typ", "val"], required: 2)[1]! }
        members["get_origin"] = builtin("get_origin") { args in
            let hint = try args.bind("get_origin", ["tp"], required: 1)[0]!
            guard case .object(let h as TypeHint) = hint, h.args != nil else { return .none }
            return h.origin ?? .none
        }
        members["get_args"] = builtin("get_args") { args in
            let hint = try args.bind("get_args", ["tp"], required: 1)[0]!
            guard case .object(let h as TypeHint) = hint else { return .tuple([]) }
            return h.arguments ?? .tuple([])
        }
        members["TypeVar"] = builtin("TypeVar") { args in
            // TypeVar(name, *constraints, bound=None, covariant=False, contravariant=False)
            guard let name = args.positional.first else { throw PyError.type("TypeVar() missing required argument 'name' (pos 1)") }
            let flag = { (keyword: String) in try args.keywords.first { $0.name == keyword }?.value.isTruthy() ?? false }
            let variance = try flag("covariant") ? "+" : try flag("contravariant") ? "-" : "~"
            return .object(TypeVariable(variance + (try name.asString("name"))))
        }
        members["NamedTuple"] = .object(TypedNamedTuple.shared)
        return PythonModule("typing", members, planned: ["Generic", "Protocol", "TypedDict", "overload",
                                                          "get_type_hints", "Annotated", "NewType", "Self", "AnyStr", "NoReturn"])
    }

    /// `name[arguments]`, with CPython's errors for a wrong count.
    static func subscripted(_ name: TypingName, _ arguments: [Value]) throws -> Value {
        let typed = arguments.map(TypeHint.noneAsType)
        switch name.kind {
        case .any: throw PyError.type("type 'Any' is not subscriptable")
        case .union: return try union(typed)
        case .optional:
            guard typed.count == 1 else { throw PyError.type("typing.Optional requires a single type. Got \(Value.tuple(arguments).repr).") }
            return try union(typed + [.object(TypeObject.of(.none))])
        case .alias(_, _, let arity?) where arguments.count != arity:
            throw PyError.type("Too \(arguments.count > arity ? "many" : "few") arguments for typing.\(name.name); actual \(arguments.count), expected \(arity)")
        case .callable:
            guard arguments.count == 2 else { throw PyError.type("Callable must be used as Callable[[arg, ...], result].") }
            return .object(TypeHint(.typing(name), [arguments[0], typed[1]]))
        case .qualifier where arguments.count != 1:
            throw PyError.type("typing.\(name.name) accepts only single type. Got \(Value.tuple(arguments).repr).")
        case .literal: return .object(TypeHint(.typing(name), arguments))
        default: return .object(TypeHint(.typing(name), typed))
        }
    }

    /// typing's `Union[...]`: nested unions flattened, repeats dropped, a single class itself.
    static func union(_ members: [Value]) throws -> Value {
        guard !members.isEmpty else { throw PyError.type("Cannot take a Union of no types.") }
        let flat = members.flatMap { value -> [Value] in
            guard case .object(let hint as TypeHint) = value, let args = hint.args else { return [TypeHint.noneAsType(value)] }
            switch hint.form {
            case .union: return args
            case .typing(let name): if case .union = name.kind { return args } else { return [value] }
            case .generic: return [value]
            }
        }
        let distinct = distinct(flat)
        let name = TypingName.all.first { $0.name == "Union" }!
        return distinct.count == 1 ? distinct[0] : .object(TypeHint(.typing(name), distinct))
    }

    /// `members` without repeats (compared as their reprs), in order.
    static func distinct(_ members: [Value]) -> [Value] {
        var seen = Set<String>()
        return members.filter { seen.insert(TypeHint.argumentRepr($0)).inserted }
    }
}

/// `typing.NamedTuple`: a base for `class P(NamedTuple):` (the class statement makes a `NamedTupleType` of the
/// body's annotations), or called: `NamedTuple("P", [("x", int), ("y", int)])`.
final class TypedNamedTuple: CallableObject, Sendable {
    static let shared = TypedNamedTuple()

    var typeName: String { "function" }
    var repr: String { "<function NamedTuple at \(objectAddress(self))>" }

    func call(_ arguments: Arguments, _ interpreter: Interpreter) throws -> Value? { .object(try NamedTupleType.functional(arguments)) }
}
