import PythonText

/// `class` statements, decorators and `super()`.
extension Interpreter {
    /// Runs a class body in a scope of its own and makes the class from the names it bound. Its bases are classes
    /// of the program or builtin exceptions (`object` adds nothing); sbpl's native types cannot be subclassed yet. With
    /// `typing.NamedTuple` as a base, the body's annotations make a named tuple class (`NamedTupleType`) instead.
    func defineClass(_ name: String, _ baseExpressions: [Expr], _ body: [Stmt], _ env: Environment) throws -> any PyObject {
        var bases = [ClassObject](), exceptionKind: ExceptionKind?, namedTuple = false
        for expression in baseExpressions {
            switch try evaluate(expression, env) {
            case .object(_ as TypedNamedTuple): namedTuple = true
            case .object(let base as ClassObject):
                bases.append(base)
                exceptionKind = exceptionKind ?? base.exceptionKind
            case .object(let base as ExceptionType): exceptionKind = exceptionKind ?? base.kind
            case .object(let base as TypeObject) where base.name == "object": continue
            case .object(let base as TypeObject) where base.nativeBase != nil: bases.append(nativeClass(base.nativeBase!))
            case let base: throw PyError.notImplemented("subclassing \(base.repr)").at(expression.location)
            }
        }
        let scope = Environment(parent: env)
        scope.isClassBody = true
        _ = try execute(body, scope)
        let namespace = Dictionary(uniqueKeysWithValues: scope.values.map { ($0.key, $0.value) })
        if namedTuple { return try NamedTupleType(name: name, body: namespace) }
        let cls = ClassObject(name, bases: bases, exceptionKind: exceptionKind, namespace: namespace, self)
        for value in scope.values.values { (value.definedFunction as? UserFunction)?.definingClass = cls }
        // the bases' `__init_subclass__` (implicitly a classmethod) is told of the new class
        if let hook = cls.mro.dropFirst().lazy.compactMap({ $0.namespace["__init_subclass__"] }).first {
            let function = if case .object(let decorated as Decorated) = hook { decorated.function } else { hook }
            _ = try call(function, Arguments([.object(cls)]))
        }
        return cls
    }

    /// Defines a decorated `def` or `class`, then rebinds its name to the decorators applied to it.
    func executeDecorated(_ decorators: [Expr], _ definition: Stmt, _ env: Environment) throws {
        let functions = try decorators.map { try evaluate($0, env) }
        _ = try execute(definition, env)
        guard case .function(let name, _, _, _) = definition.kind else {
            guard case .classDefinition(let name, _, _) = definition.kind else { return }
            return try apply(functions, to: name, env)
        }
        try apply(functions, to: name, env)
    }

    private func apply(_ decorators: [Value], to name: String, _ env: Environment) throws {
        guard var value = env.values[name] else { return }
        for decorator in decorators.reversed() { value = try call(decorator, Arguments([value])) }
        env.define(name, value)
    }

}

extension Value {
    /// The function a class binds: a `def`, or one under `staticmethod` / `classmethod` / `property`.
    var definedFunction: PyObject? {
        guard case .object(let object) = self else { return nil }
        return (object as? Decorated)?.function.definedFunction ?? object
    }
}

/// `super()`: attributes of the classes after `cls` in the receiver's class order, bound to the receiver.
final class SuperObject: PyObject {
    private let cls: ClassObject
    private let receiver: Value

    init(_ cls: ClassObject, _ receiver: Value) {
        self.cls = cls
        self.receiver = receiver
    }

    var typeName: String { "super" }
    var repr: String { "<super: <class '\(cls.name)'>, <\(receiver.typeName) object>>" }

    func attribute(_ name: String, _ interpreter: Interpreter) throws -> Value? {
        // the receiver's class binds what is found (a classmethod gets it, not the class that defines the method)
        let receiverClass: ClassObject
        switch receiver {
        case .object(let instance as InstanceObject): receiverClass = instance.cls
        case .object(let type as ClassObject): receiverClass = type
        default: return nil
        }
        let after = receiverClass.mro.drop { $0 !== cls }.dropFirst()
        if let value = after.lazy.compactMap({ $0.namespace[name] }).first {
            if name == "__new__" { return value }   // a static method: `super().__new__(cls)` passes the class itself
            return try ClassMember.bind(value, to: receiver, of: receiverClass)
        }
        if name == "__new__" { return builtin("__new__", ClassObject.bareInstance) }
        if name == "__init_subclass__" { return builtin("__init_subclass__") { _ in .none } }   // object's, which does nothing
        if let method = ObjectMethods.bound(name, to: receiver) { return method }
        guard name == "__init__" else { return nil }
        // object.__init__, or BaseException.__init__ keeping the arguments
        return builtin("__init__") { [receiver] arguments in
            if case .object(let instance as InstanceObject) = receiver, instance.cls.exceptionKind != nil {
                instance.arguments = arguments.positional
            } else {
                try arguments.expectNone("object.__init__")
            }
            return .none
        }
    }
}

/// `object.__setattr__` and `object.__delattr__`, which a class's own `__setattr__` / `__delattr__` call (through
/// `super()` or `object.`) to set or delete the attribute after all.
enum ObjectMethods {
    /// `super().name`, bound to `receiver`; nil for other names.
    static func bound(_ name: String, to receiver: Value) -> Value? {
        unbound(name).map { function in builtin(name) { args in try function(Arguments([receiver] + args.positional, keywords: args.keywords)) } }
    }

    /// `object.name`, taking the instance first; nil for other names.
    static func unbound(_ name: String) -> ((Arguments) throws -> Value)? {
        switch name {
        case "__setattr__":
            return { args in
                let a = try args.bind("__setattr__", ["self", "name", "value"], required: 3)
                _ = try instance(a[0]!).setOwnAttribute(try Builtins.attributeName(a[1]!), a[2]!)
                return .none
            }
        case "__new__": return ClassObject.bareInstance
        case "__delattr__":
            return { args in
                let a = try args.bind("__delattr__", ["self", "name"], required: 2)
                _ = try instance(a[0]!).deleteOwnAttribute(try Builtins.attributeName(a[1]!))
                return .none
            }
        default: return nil
        }
    }

    private static func instance(_ value: Value) throws -> InstanceObject {
        guard case .object(let instance as InstanceObject) = value else {
            throw PyError.type("can't apply this __setattr__ to \(value.typeName) object")
        }
        return instance
    }
}

/// The builtins of classes and scopes: `super`, `isinstance`'s partner `issubclass`, the method decorators,
/// `object`, `NotImplemented`, `globals`, `locals`.
enum ClassBuiltins {
    static func install(into env: Environment) {
        env.define("super", .object(SuperBuiltin()))
        for kind in NamespaceBuiltin.Kind.allCases { env.define(kind.rawValue, .object(NamespaceBuiltin(kind))) }
        env.define("object", .object(TypeObject("object")))
        env.define("NotImplemented", .object(NotImplementedObject.shared))
        for kind in Decorated.Kind.allCases {
            env.define(kind.rawValue, builtin(kind.rawValue) { .object(Decorated(kind, try $0.bind(kind.rawValue, ["function"], required: 1)[0]!)) })
        }
        env.define("issubclass", builtin("issubclass") { arguments in
            let a = try arguments.bind("issubclass", ["cls", "class_or_tuple"], required: 2)
            let classes = if case .tuple(let items) = a[1]! { items } else { [a[1]!] }
            return .bool(try classes.contains { try isSubclass(a[0]!, $0) })
        })
    }

    /// `issubclass(a, b)` for the program's classes and the builtin exceptions.
    static func isSubclass(_ a: Value, _ b: Value) throws -> Bool {
        switch (a, b) {
        case (.object(let a as ClassObject), .object(let b as ClassObject)): return a.isSubclass(of: b)
        case (.object(let a as ClassObject), .object(let b as ExceptionType)): return a.exceptionKind?.isSubclass(of: b.kind) ?? false
        case (.object(let a as ExceptionType), .object(let b as ExceptionType)): return a.kind.isSubclass(of: b.kind)
        case (.object(let a as ClassObject), .object(let b as TypeObject)) where b.nativeBase != nil:
            return a.mro.contains { $0.qualifiedName == b.qualifiedName }
        case (.object(let a as TypeObject), .object(let b as TypeObject)):
            return a.qualifiedName == b.qualifiedName || b.name == "object" || a.nativeBase?.derives(from: b.qualifiedName) == true
        case (.object(_ as ClassObject), .object(let b as TypeObject)), (.object(_ as ExceptionType), .object(let b as TypeObject)):
            return b.name == "object"
        case (.object(_ as ExceptionType), .object(_ as ClassObject)): return false
        default: throw PyError.type("issubclass() arg 1 must be a class")
        }
    }

    /// Whether `value` is an instance of `cls` (a program's class, or a builtin exception for its instances).
    static func isInstance(_ value: Value, _ cls: Value) -> Bool? {
        guard case .object(let instance as InstanceObject) = value else {
            guard case .object(_ as ClassObject) = cls else { return nil }
            return false
        }
        switch cls {
        case .object(let c as ClassObject): return instance.cls.isSubclass(of: c)
        case .object(let t as ExceptionType): return instance.cls.exceptionKind?.isSubclass(of: t.kind) ?? false
        case .object(let t as TypeObject) where t.name == "object": return true
        case .object(let t as TypeObject) where t.nativeBase != nil: return instance.cls.mro.contains { $0.qualifiedName == t.qualifiedName }
        default: return nil
        }
    }
}

/// The `super` builtin: `super()` in a method (the class it was defined in and its first argument, read from the
/// call's scope), `super(C, self)`.
final class SuperBuiltin: ScopeReading {
    var typeName: String { "type" }
    var repr: String { "<class 'super'>" }

    func call(_ arguments: Arguments, from env: Environment?, _ interpreter: Interpreter) throws -> Value {
        let a = try arguments.bind("super", ["type", "object_or_type"])
        if case .object(let cls as ClassObject)? = a[0], let receiver = a[1] { return .object(SuperObject(cls, receiver)) }
        guard a[0] == nil, let (cls, receiver) = env?.enclosingMethod() else { throw PyError(.runtimeError, "super(): no arguments") }
        return .object(SuperObject(cls, receiver))
    }
}
