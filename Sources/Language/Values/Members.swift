/// A method's Python signature, declared once as Python writes it (`"sep=None, maxsplit=-1"`): it binds the call's
/// arguments (with Python's errors for missing, surplus and unknown ones) and it is what `help()` shows.
/// `*name` takes any positional arguments (the body reads them from `Call.arguments`).
public struct Signature: Sendable, CustomStringConvertible {
    public let description: String
    /// The parameters' names, in order.
    let parameters: [String]
    /// How many leading parameters have no default.
    let required: Int
    /// Whether the signature is `*name` (the body binds its arguments itself).
    let isVariadic: Bool

    init(_ text: String) {
        description = text
        let items = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        isVariadic = items.first?.hasPrefix("*") ?? false
        parameters = isVariadic ? [] : items.map { String($0.prefix { $0 != "=" }) }
        required = isVariadic ? 0 : items.prefix { !$0.contains("=") }.count
    }

    /// The call's arguments, one slot per parameter.
    func bind(_ function: String, _ arguments: Arguments) throws -> [Value?] {
        isVariadic ? [] : try arguments.bind(function, parameters, required: required)
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
                try body(receiver, Call(slots: try signature.bind(name, arguments), arguments: arguments, interpreter: interpreter))
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
