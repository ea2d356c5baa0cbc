import PythonText

/// An instance of a user class: its own attributes (`self.x = ...`), then its class's. Python's special methods
/// (`__repr__`, `__len__`, `__getitem__`, ...) defined by the class are what the builtins and operators call.
public final class InstanceObject: PyObject, AttributeSettable {
    let cls: ClassObject
    /// The attributes set on the instance, in order (`vars(x)`).
    public let attributes = PyDict()
    /// An exception instance's arguments (`e.args`).
    var arguments: [Value]

    init(_ cls: ClassObject, arguments: [Value]) {
        self.cls = cls
        self.arguments = arguments
    }

    public var typeName: String { cls.name }

    /// Whether its class derives from the native class `qualifiedName` (`torch.nn.modules.module.Module`).
    public func derives(fromNative qualifiedName: String) -> Bool { cls.mro.contains { $0.qualifiedName == qualifiedName } }

    /// The attribute set on the instance itself, nil when it has none.
    public func ownAttribute(_ name: String) throws -> Value? { try attributes.get(.str(name)) }

    public var qualifiedTypeName: String? { cls.qualifiedName ?? "__main__.\(cls.name)" }
    public var repr: String { special("__repr__") ?? defaultRepr }
    public var str: String { special("__str__") ?? special("__repr__") ?? exception?.str ?? defaultRepr }
    public var attributeNames: [String] { attributes.keys.compactMap { if case .str(let s) = $0 { s } else { nil } } + cls.attributeNames }
    public var isCallable: Bool { cls.lookup("__call__") != nil }

    private var defaultRepr: String {
        exception.map { cls.name + "(" + $0.arguments.map(\.repr).joined(separator: ", ") + ")" } ?? "<__main__.\(cls.name) object at \(objectAddress(self))>"
    }

    /// The builtin exception it is, for a class deriving from one.
    var exception: ExceptionObject? { cls.exceptionKind.map { ExceptionObject($0, arguments, instance: self) } }

    public func attribute(_ name: String, _ interpreter: Interpreter) throws -> Value? {
        if name == "__class__" { return .object(cls) }
        if name == "__dict__" { return .dict(attributes) }
        if let value = try attributes.get(.str(name)) { return value }
        if let value = cls.lookup(name) { return try ClassMember.bind(value, to: .object(self), of: cls) }
        if name == "args", let exception { return .tuple(exception.arguments) }
        // `__getattr__` is asked only for what the usual lookup did not find
        return try callSpecial("__getattr__", Arguments([.str(name)]))
    }

    /// `x.name = value`: the class's `__setattr__` when it has one, else `object.__setattr__`.
    public func setAttribute(_ name: String, _ value: Value) throws -> Bool {
        if try callSpecial("__setattr__", Arguments([.str(name), value])) != nil { return true }
        return try setOwnAttribute(name, value)
    }

    /// `object.__setattr__(x, name, value)`: a property's setter when the class has the property, else the
    /// instance's own attribute.
    public func setOwnAttribute(_ name: String, _ value: Value) throws -> Bool {
        if case .object(let property as Decorated)? = cls.lookup(name), property.kind == .property {
            guard let setter = property.setter else { throw PyError(.attributeError, "property '\(name)' of '\(cls.name)' object has no setter") }
            _ = try cls.interpreter.call(setter, Arguments([.object(self), value]))
            return true
        }
        try attributes.set(.str(name), value)
        return true
    }

    /// `del x.name`: the class's `__delattr__` when it has one, else `object.__delattr__`.
    public func deleteAttribute(_ name: String) throws -> Bool {
        if try callSpecial("__delattr__", Arguments([.str(name)])) != nil { return true }
        return try deleteOwnAttribute(name)
    }

    /// `object.__delattr__(x, name)`: the instance's own attribute (a property's deleter is not supported).
    public func deleteOwnAttribute(_ name: String) throws -> Bool {
        guard try attributes.remove(.str(name)) else { throw PyError.attribute(cls.name, name) }
        return true
    }

    public func call(_ arguments: Arguments, _ interpreter: Interpreter) throws -> Value? {
        guard let method = try callSpecial("__call__", arguments) else { throw PyError.type("'\(cls.name)' object is not callable") }
        return method
    }

    /// Calls the special method `name` the class defines; nil when it defines none.
    func callSpecial(_ name: String, _ arguments: Arguments = Arguments()) throws -> Value? {
        guard let method = cls.lookup(name) else { return nil }
        return try cls.interpreter.call(try ClassMember.bind(method, to: .object(self), of: cls), arguments)
    }

    /// `bool(x)`: `__bool__` (which must return a bool), else whether `__len__` is not 0, else true.
    func isTruthy() throws -> Bool {
        if let truth = try callSpecial("__bool__") {
            guard case .bool(let b) = truth else { throw PyError.type("__bool__ should return bool, returned \(truth.typeName)") }
            return b
        }
        return try length().map { $0 != 0 } ?? true
    }

    /// `len(x)`: what `__len__` returns, which must be an int >= 0; nil when the class defines none.
    func length() throws -> Int? {
        guard let result = try callSpecial("__len__") else { return nil }
        guard result.exactInteger != nil else { throw PyError.type("'\(result.typeName)' object cannot be interpreted as an integer") }
        let length = try result.asIndex()
        guard length >= 0 else { throw PyError.value("__len__() should return >= 0") }
        return length
    }

    /// `iter(x)`: what `__iter__` returns, which must be an iterator (the program's, with `__next__`, or sbpl's);
    /// without `__iter__`, `__getitem__` of 0, 1, ... until it raises IndexError (Python's old sequence protocol).
    func iterator() throws -> PythonIterator {
        guard let result = try callSpecial("__iter__") else {
            guard cls.lookup("__getitem__") != nil else { throw PyError.type("'\(cls.name)' object is not iterable") }
            var index = 0
            return LazyIterator("iterator") { [self] in
                defer { index += 1 }
                do { return try callSpecial("__getitem__", Arguments([.int(index)])) } catch let error as PyError where [.indexError, .stopIteration].contains(error.kind) {
                    return nil
                }
            }
        }
        switch result {
        case .object(let iterator as PythonIterator): return iterator
        case .object(let instance as InstanceObject) where instance.cls.lookup("__next__") != nil: return InstanceIterator(instance)
        default: throw PyError.type("iter() returned non-iterator of type '\(result.typeName)'")
        }
    }

    /// `__repr__` or `__str__`'s text as `repr` and `str` show it (an error in it shows the default repr).
    private func special(_ name: String) -> String? { (try? text(name)) ?? nil }

    /// What the class's `__str__` / `__repr__` returns, nil when it defines none; what it raises is raised, a
    /// result that is not a str is CPython's TypeError.
    func text(_ name: String) throws -> String? {
        guard let result = try callSpecial(name) else { return nil }
        guard case .str(let text) = result else { throw PyError.type("\(name) returned non-string (type \(result.typeName))") }
        return text
    }
}

/// An iterator the program defines (`__next__`, ending with `StopIteration`).
final class InstanceIterator: PythonIterator {
    private let instance: InstanceObject

    init(_ instance: InstanceObject) { self.instance = instance }

    var typeName: String { instance.typeName }

    func next() throws -> Value? {
        do { return try instance.callSpecial("__next__") } catch let error as PyError where error.kind == .stopIteration { return nil }
    }
}
