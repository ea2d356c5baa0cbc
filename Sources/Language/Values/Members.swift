/// A method's Python signature, declared once as CPython's `help()` writes it (`"sep=None, maxsplit=-1"`,
/// `"old, new, count=-1, /"`, `"sub[, start[, end]]"`): it binds the call's arguments, with the errors CPython gives
/// for missing, surplus and unknown ones, and it is what `help()` shows. `*name` takes any positional arguments (the
/// body reads them from `Call.arguments`).
public struct Signature: Sendable, CustomStringConvertible {
    /// How the builtin takes its arguments in CPython, which decides how a wrong call is worded.
    enum Convention: Sendable {
        /// Keywords allowed: worded as a Python function's (`split() takes 2 positional arguments but 3 were given`).
        case keywords
        /// Positional only (`, /`; Argument Clinic's): `replace expected at least 2 arguments, got 1`; with no
        /// parameter (METH_NOARGS) `str.upper() takes no arguments (1 given)`, with one required and nothing else
        /// (METH_O) `list.count() takes exactly one argument (0 given)`.
        case positionalOnly
        /// Optional groups (`[, start]`; PyArg_ParseTuple's): `count() takes at least 1 argument (0 given)`.
        case groups
    }

    public let description: String
    /// The parameters' names, in order.
    let parameters: [String]
    /// How many leading parameters have no default.
    let required: Int
    /// Whether the signature is `*name` (the body binds its arguments itself).
    let isVariadic: Bool
    let convention: Convention

    init(_ text: String) {
        description = text
        convention = text.contains("[") ? .groups : text.hasSuffix("/") ? .positionalOnly : .keywords
        let items = Self.items(text)
        isVariadic = items.first?.hasPrefix("*") ?? false
        parameters = isVariadic ? [] : items.map { String($0.prefix { $0 != "=" }) }
        // before the first optional group, or up to the first default
        let mandatory = Self.items(convention == .groups ? String(text.prefix { $0 != "[" }) : text)
        required = isVariadic ? 0 : mandatory.prefix { !$0.contains("=") }.count
    }

    /// The parameters of `text`, with their defaults, without the brackets and the `/`.
    private static func items(_ text: String) -> [String] {
        text.split(whereSeparator: { ",[]".contains($0) }).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && $0 != "/" }
    }

    /// The call's arguments, one slot per parameter, for the method `function` of the type `typeName`.
    func bind(_ function: String, of typeName: String, _ arguments: Arguments) throws -> [Value?] {
        if isVariadic { return [] }
        if convention != .keywords {
            try checkPositional(function, of: typeName, arguments)
        }
        return try arguments.bind(function, parameters, required: required)
    }

    /// CPython's errors for a positional-only builtin called with keywords or the wrong number of arguments.
    private func checkPositional(_ function: String, of typeName: String, _ arguments: Arguments) throws {
        let given = arguments.positional.count, most = parameters.count, qualified = "\(typeName).\(function)()"
        guard arguments.keywords.isEmpty else { throw PyError.type("\(qualified) takes no keyword arguments") }
        guard given < required || given > most else { return }
        let bound = given < required ? required : most, plural = bound == 1 ? "" : "s"
        switch convention {
        case .positionalOnly where most == 0:
            throw PyError.type("\(qualified) takes no arguments (\(given) given)")
        case .positionalOnly where most == 1 && required == 1:
            throw PyError.type("\(qualified) takes exactly one argument (\(given) given)")
        case .positionalOnly:
            let how = required == most ? "" : given < required ? "at least " : "at most "
            throw PyError.type("\(function) expected \(how)\(bound) argument\(plural), got \(given)")
        default:
            let how = required == most ? "exactly" : given < required ? "at least" : "at most"
            throw PyError.type("\(function)() takes \(how) \(bound) argument\(plural) (\(given) given)")
        }
    }
}

/// A method being called: its receiver's bound arguments, the raw arguments and the interpreter.
public struct Call {
    /// One slot per parameter of the signature, nil where the argument was not given.
    let slots: [Value?]
    public let arguments: Arguments
    public let interpreter: Interpreter

    /// The argument of the `i`-th parameter, if given.
    public subscript(i: Int) -> Value? { slots[i] }
}

/// One method or attribute of a type: its name, what `help()` says of it and how it is computed.
public struct Member<Receiver>: Sendable {
    enum Body: Sendable {
        /// `x.name`: a value (a property, or a field).
        case attribute(@Sendable (Receiver) throws -> Value)
        /// `x.name(...)`: a bound method with this signature.
        case method(Signature, @Sendable (Receiver, Call) throws -> Value)
    }

    let name: String
    let doc: String
    let body: Body

    /// A property: `tensor.shape`.
    public static func attribute(_ name: String, _ doc: String, _ body: @escaping @Sendable (Receiver) throws -> Value) -> Member {
        Member(name: name, doc: doc, body: .attribute(body))
    }

    /// A method with its Python signature: `.method("split", "sep=None, maxsplit=-1", "...") { s, call in ... }`.
    public static func method(_ name: String, _ signature: String, _ doc: String,
                       _ body: @escaping @Sendable (Receiver, Call) throws -> Value) -> Member {
        Member(name: name, doc: doc, body: .method(Signature(signature), body))
    }

    /// This member with `check` run on the receiver before it is computed (a method's call too).
    func checking(_ check: @escaping @Sendable (Receiver, Call?) throws -> Void) -> Member {
        switch body {
        case .attribute(let get): return .attribute(name, doc) { try check($0, nil); return try get($0) }
        case .method(let signature, let run):
            return Member(name: name, doc: doc, body: .method(signature) { receiver, call in try check(receiver, call); return try run(receiver, call) })
        }
    }

    /// What `help()` shows: `split(sep=None, maxsplit=-1): ...`.
    var help: String {
        switch body {
        case .attribute: return "\(name): \(doc)"
        case .method(let signature, _): return "\(name)(\(signature)): \(doc)"
        }
    }
}

/// A type's methods and attributes, declared once: attribute lookup, `dir()`, `help()` and tab completion all read
/// it, so they cannot drift apart.
public struct MemberTable<Receiver>: Sendable {
    /// The type's Python name, for error messages (`'str' object has no attribute ...`).
    let typeName: String
    private let members: [Member<Receiver>]
    private let index: [String: Int]

    public init(_ typeName: String, _ members: [Member<Receiver>]) {
        self.typeName = typeName
        self.members = members
        index = Dictionary(members.enumerated().map { ($0.element.name, $0.offset) }, uniquingKeysWith: { first, _ in first })
    }

    /// Every member's name, in declaration order.
    public var names: [String] { members.map(\.name) }

    /// Every member as `help()` lists it.
    public var help: [String] { members.map(\.help) }

    /// `receiver.name`: an attribute's value or a bound method; nil when the type has no such member.
    public func value(of name: String, for receiver: Receiver, _ interpreter: Interpreter) throws -> Value? {
        guard let i = index[name] else { return nil }
        switch members[i].body {
        case .attribute(let body): return try body(receiver)
        case .method(let signature, let body):
            return .object(BuiltinFunction(name) { arguments in
                try body(receiver, Call(slots: try signature.bind(name, of: typeName, arguments), arguments: arguments, interpreter: interpreter))
            })
        }
    }
}

extension MemberTable {
    /// The method `name` as a module function taking its receiver first, as `torch.sum(x, dim=1)` is `x.sum(dim=1)`:
    /// the first positional argument (or `input=`) becomes the receiver through `receiver`.
    public func function(_ name: String, receiver: @escaping @Sendable (Value) throws -> Receiver) -> Value? {
        guard let i = index[name], case .method = members[i].body else { return nil }
        return .object(ReceiverFirstFunction(name) { arguments, interpreter in
            var rest = arguments
            let input: Value
            if !rest.positional.isEmpty {
                input = rest.positional.removeFirst()
            } else if let k = rest.keywords.firstIndex(where: { $0.name == "input" }) {
                input = rest.keywords.remove(at: k).value
            } else {
                throw PyError.type("\(name)() missing 1 required positional argument: 'input'")
            }
            guard case .object(let method)? = try value(of: name, for: try receiver(input), interpreter) else { return .none }
            return try method.call(rest, interpreter) ?? .none
        })
    }
}

/// A module function made from a method (`MemberTable.function`).
final class ReceiverFirstFunction: CallableObject {
    let name: String
    let body: (Arguments, Interpreter) throws -> Value

    init(_ name: String, _ body: @escaping (Arguments, Interpreter) throws -> Value) {
        self.name = name
        self.body = body
    }

    var typeName: String { "builtin_function_or_method" }
    var repr: String { "<built-in method \(name) of type object>" }
    func call(_ arguments: Arguments, _ interpreter: Interpreter) throws -> Value? { try body(arguments, interpreter) }
}

/// A native object whose methods and attributes are all in its type's `MemberTable`: lookup and the names that
/// `dir()` and completion list come from that one table.
public protocol MemberTableObject: PyObject {
    static var members: MemberTable<Self> { get }
}

extension MemberTableObject {
    public func attribute(_ name: String, _ interpreter: Interpreter) throws -> Value? {
        try Self.members.value(of: name, for: self, interpreter)
    }

    public var attributeNames: [String] { Self.members.names }

    /// `help(x)`: the type and each member with its signature.
    public var help: String? { "\(typeName). Members:\n  " + Self.members.help.joined(separator: "\n  ") }
}
