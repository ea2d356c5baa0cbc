import PythonText

/// A class a `class` statement made: its namespace, its bases, and a call that makes an instance and runs its
/// `__init__`. A class deriving from a builtin exception (`class MyError(Exception)`) makes instances that `raise`
/// and `except` treat as exceptions of that kind.
final class ClassObject: CallableObject, AttributeSettable {
    let name: String
    let bases: [ClassObject]
    /// The builtin exception class it derives from, if any.
    let exceptionKind: ExceptionKind?
    /// The names the class body bound.
    private(set) var namespace: [String: Value]
    /// Itself, then its bases' classes in CPython's order for single inheritance and simple diamonds (each class
    /// once, before the classes it derives from).
    private(set) var mro: [ClassObject] = []
    /// The interpreter that runs its methods when the builtins and operators call them.
    let interpreter: Interpreter
    /// A native base's name with its module (`torch.nn.modules.module.Module`); nil for the program's classes.
    let qualifiedName: String?

    init(_ name: String, bases: [ClassObject], exceptionKind: ExceptionKind?, namespace: [String: Value], _ interpreter: Interpreter,
         qualifiedName: String? = nil) {
        self.name = name
        self.qualifiedName = qualifiedName
        self.bases = bases
        self.exceptionKind = exceptionKind
        self.namespace = namespace
        self.interpreter = interpreter
        mro = [self] + Self.merge(bases.map(\.mro))
    }

    /// The bases' orders merged as C3 does: the first head no other order holds in its tail, repeatedly.
    private static func merge(_ orders: [[ClassObject]]) -> [ClassObject] {
        var orders = orders.filter { !$0.isEmpty }, merged = [ClassObject]()
        while let head = orders.lazy.map(\.[0]).first(where: { head in !orders.contains { $0.dropFirst().contains { $0 === head } } }) {
            merged.append(head)
            orders = orders.map { $0.filter { $0 !== head } }.filter { !$0.isEmpty }
        }
        return merged
    }

    var typeName: String { "type" }
    var repr: String { "<class '\(qualifiedName ?? "__main__." + name)'>" }
    var attributeNames: [String] { Array(Set(mro.flatMap(\.namespace.keys))) }

    /// The value `name` has in this class or the first base that binds it.
    func lookup(_ name: String) -> Value? {
        mro.lazy.compactMap { $0.namespace[name] }.first
    }

    /// How its instances hash, as CPython decides: by the `__hash__` of the first class in the order that binds one
    /// (None: unhashable), unhashable when a class binds `__eq__` before any `__hash__`, else by identity.
    var hashing: Hashing {
        for cls in mro {
            if let method = cls.namespace["__hash__"] {
                if case .none = method { return .unhashable }
                return .method
            }
            if cls.namespace["__eq__"] != nil { return .unhashable }
        }
        return .identity
    }

    /// See `hashing`.
    enum Hashing { case identity, method, unhashable }

    /// Whether it is `other` or derives from it.
    func isSubclass(of other: ClassObject) -> Bool { mro.contains { $0 === other } }

    func attribute(_ name: String, _ interpreter: Interpreter) throws -> Value? {
        switch name {
        case "__name__": return .str(self.name)
        case "__bases__": return .tuple(bases.map { .object($0) })
        case "__mro__": return .tuple(mro.map { .object($0) } + [.object(TypeObject("object"))])
        case "__new__" where lookup("__new__") == nil: return builtin("__new__", ClassObject.bareInstance)   // object.__new__
        default: return try lookup(name).map { try ClassMember.bind($0, to: nil, of: self) }
        }
    }

    func setAttribute(_ name: String, _ value: Value) throws -> Bool {
        namespace[name] = value
        return true
    }

    /// `del C.name`: an attribute the class itself defines.
    func deleteAttribute(_ name: String) throws -> Bool {
        guard namespace.removeValue(forKey: name) != nil else {
            throw PyError(.attributeError, "type object '\(self.name)' has no attribute '\(name)'")
        }
        return true
    }

    /// `C(...)`: a new instance, made by the class's `__new__` when it has one (which may return anything: an
    /// instance of the class is then initialised, anything else returned as it is), initialised by `__init__`
    /// (which must return None).
    func call(_ arguments: Arguments, _ interpreter: Interpreter) throws -> Value? {
        if let constructor = lookup("__new__") {
            let function = if case .object(let decorated as Decorated) = constructor { decorated.function } else { constructor }   // implicitly static
            let made = try interpreter.call(function, Arguments([.object(self)] + arguments.positional, keywords: arguments.keywords))
            guard case .object(let instance as InstanceObject) = made, instance.cls.isSubclass(of: self) else { return made }
            return try initialized(instance, arguments, interpreter)
        }
        return try initialized(InstanceObject(self, arguments: exceptionKind == nil ? [] : arguments.positional), arguments, interpreter)
    }

    /// `object.__new__(cls)`: a bare instance.
    static func bareInstance(_ arguments: Arguments) throws -> Value {
        guard case .object(let cls as ClassObject)? = arguments.positional.first else {
            throw PyError.type("object.__new__(X): X is not a type object (\(arguments.positional.first?.typeName ?? "nothing"))")
        }
        return .object(InstanceObject(cls, arguments: cls.exceptionKind == nil ? [] : Array(arguments.positional.dropFirst())))
    }

    /// `instance.__init__(*arguments)`, the class's or `object`'s (which takes no arguments).
    private func initialized(_ instance: InstanceObject, _ arguments: Arguments, _ interpreter: Interpreter) throws -> Value {
        guard let initializer = lookup("__init__") else {
            if exceptionKind == nil, lookup("__new__") == nil, !arguments.positional.isEmpty || !arguments.keywords.isEmpty {
                throw PyError.type("\(name)() takes no arguments")
            }
            return .object(instance)
        }
        let result = try interpreter.call(try ClassMember.bind(initializer, to: .object(instance), of: self), arguments)
        guard case .none = result else { throw PyError.type("__init__() should return None, not '\(result.typeName)'") }
        return .object(instance)
    }
}

/// How a value found in a class becomes the attribute: a function bound to the instance (a method), a
/// `classmethod` bound to the class, a `staticmethod` as it is, a `property` computed.
enum ClassMember {
    static func bind(_ value: Value, to instance: Value?, of cls: ClassObject) throws -> Value {
        switch value {
        case .object(let function) where function is UserFunction || (function as? BuiltinFunction)?.isMethod == true:
            guard let instance else { return value }
            let name = (function as? UserFunction)?.name ?? (function as? BuiltinFunction)?.name ?? "method"
            return .object(BoundMethod(function: value, receiver: instance, name: "\(cls.name).\(name)"))
        case .object(let decorated as Decorated):
            switch decorated.kind {
            case .staticMethod: return decorated.function
            case .classMethod:
                let name = (decorated.function.definedFunction as? UserFunction)?.name ?? "method"
                return .object(BoundMethod(function: decorated.function, receiver: .object(cls), name: "\(cls.name).\(name)"))
            case .property:
                guard let instance else { return value }
                return try cls.interpreter.call(decorated.function, Arguments([instance]))
            }
        default: return value
        }
    }
}

/// A method taken from an instance: calling it passes the receiver first.
final class BoundMethod: CallableObject {
    let function: Value
    let receiver: Value
    let name: String

    init(function: Value, receiver: Value, name: String) {
        self.function = function
        self.receiver = receiver
        self.name = name
    }

    var typeName: String { "method" }
    var repr: String { "<bound method \(name) of \(receiver.repr)>" }

    /// `m.__self__`, `m.__func__`; the function's own attributes (`m.__name__`).
    func attribute(_ name: String, _ interpreter: Interpreter) throws -> Value? {
        switch name {
        case "__self__": return receiver
        case "__func__": return function
        default: return try interpreter.attribute(function, name)
        }
    }

    func call(_ arguments: Arguments, _ interpreter: Interpreter) throws -> Value? {
        try interpreter.call(function, Arguments([receiver] + arguments.positional, keywords: arguments.keywords))
    }
}

/// `staticmethod(f)`, `classmethod(f)`, `property(f)`: a function a class binds in its own way. A property's
/// `setter` makes the property again with the function that assigning to it calls.
final class Decorated: CallableObject {
    enum Kind: String, CaseIterable { case staticMethod = "staticmethod", classMethod = "classmethod", property }
    let kind: Kind
    let function: Value
    /// A property's setter (`@x.setter`), called with the instance and the value assigned.
    let setter: Value?

    init(_ kind: Kind, _ function: Value, setter: Value? = nil) {
        self.kind = kind
        self.function = function
        self.setter = setter
    }

    var typeName: String { kind.rawValue }
    var repr: String { "<\(kind.rawValue) object at \(objectAddress(self))>" }
    var attributeNames: [String] { kind == .property ? ["setter"] : [] }

    func attribute(_ name: String, _ interpreter: Interpreter) throws -> Value? {
        guard kind == .property, name == "setter" else { return nil }
        return builtin("setter") { [function] in .object(Decorated(.property, function, setter: try $0.bind("setter", ["function"], required: 1)[0]!)) }
    }

    func call(_ arguments: Arguments, _ interpreter: Interpreter) throws -> Value? { try interpreter.call(function, arguments) }
}
