import TensorCore

/// `copy`: `copy.copy(x)` (a new container holding the same items) and `copy.deepcopy(x)` (new containers all the way
/// down, an object met twice copied once, so shared and cyclic structures keep their shape), with a class's own
/// `__copy__` / `__deepcopy__(memo)` when it has them. Numbers, strings, functions, classes and modules are their own
/// copies, as in CPython.
enum CopyModule {
    static func make() -> PythonModule {
        PythonModule("copy", [
            "copy": builtin("copy") { args in try shallow(try args.bind("copy", ["x"], required: 1)[0]!) },
            "deepcopy": .object(BuiltinFunction("deepcopy", calling: { args, interpreter in
                var copier = DeepCopier(interpreter: interpreter)
                return try copier.copy(try args.bind("deepcopy", ["x", "memo"], required: 1)[0]!)
            })),
        ])
    }

    /// `copy.copy(x)`.
    static func shallow(_ value: Value) throws -> Value {
        switch value {
        case .list(let l): return .list(PyList(l.items))
        case .dict(let d): return .dict(try PyDict(d.items, flavor: d.flavor))
        case .object(let set as PySet) where !set.frozen: return .object(try set.copy())
        case .object(let deque as Deque): return .object(Deque(deque.items, maxLength: deque.maxLength))
        case .object(let array as NDArrayObject): return .object(NDArrayObject(array.tensor.copy()))
        case .object(let instance as InstanceObject):
            if let copied = try instance.callSpecial("__copy__") { return copied }
            let copy = InstanceObject(instance.cls, arguments: instance.arguments)
            for (k, v) in instance.attributes.items { try copy.attributes.set(k, v) }
            return .object(copy)
        default: return try immutable(value, "copy")
        }
    }

    /// What both copies return as it is: the immutable values and the objects Python copies by reference; a
    /// NotImplementedError for sbpl's other native objects (models, tokenizers, ...).
    fileprivate static func immutable(_ value: Value, _ function: String) throws -> Value {
        switch value {
        case .none, .bool, .int, .bigInt, .float, .str, .tuple, .size, .dtype, .tensor: return value
        case .object(let set as PySet) where set.frozen: return value
        case .object(let o) where o is UserFunction || o is BuiltinFunction || o is ClassObject || o is TypeObject
            || o is PythonModule || o is RangeObject || o is RealScalarObject || o is ExceptionType:
            return value
        default: throw PyError.notImplemented("copy.\(function) of a \(value.typeName)")
        }
    }
}

/// `copy.deepcopy`'s walk: `memo` maps each object copied to its copy.
private struct DeepCopier {
    let interpreter: Interpreter
    private var memo: [ObjectIdentifier: Value] = [:]
    private var depth = 0

    init(interpreter: Interpreter) { self.interpreter = interpreter }

    mutating func copy(_ value: Value) throws -> Value {
        if let identity = value.identity, let done = memo[identity] { return done }
        depth += 1
        defer { depth -= 1 }
        // CPython's deepcopy recurses, and stops at its recursion limit
        guard depth < 1000 else { throw PyError(.recursionError, "maximum recursion depth exceeded while calling a Python object") }
        switch value {
        case .list(let l):
            let copy = PyList([])
            memo[ObjectIdentifier(l)] = .list(copy)
            copy.items = try l.items.map { try self.copy($0) }
            return .list(copy)
        case .dict(let d):
            let copy = PyDict(flavor: d.flavor)
            memo[ObjectIdentifier(d)] = .dict(copy)
            for (k, v) in d.items { try copy.set(try self.copy(k), try self.copy(v)) }
            return .dict(copy)
        case .tuple(let items):
            let copied = try items.map { try self.copy($0) }
            return zip(items, copied).allSatisfy { Operators.identical($0, $1) } ? value : .tuple(copied)
        case .tensor(let t): return .tensor(t.copy())
        case .object(let set as PySet) where !set.frozen: return .object(try PySet(try set.items.map { try self.copy($0) }))
        case .object(let deque as Deque): return .object(Deque(try deque.items.map { try self.copy($0) }, maxLength: deque.maxLength))
        case .object(let array as NDArrayObject): return .object(NDArrayObject(array.tensor.copy()))
        case .object(let instance as InstanceObject): return try copy(instance)
        default: return try CopyModule.immutable(value, "deepcopy")
        }
    }

    /// An instance: its class's `__deepcopy__(memo)`, else a new instance of the class with its attributes copied.
    private mutating func copy(_ instance: InstanceObject) throws -> Value {
        if let copied = try instance.callSpecial("__deepcopy__", Arguments([.dict(PyDict())])) { return copied }
        let copy = InstanceObject(instance.cls, arguments: instance.arguments)
        memo[ObjectIdentifier(instance)] = .object(copy)
        for (k, v) in instance.attributes.items { try copy.attributes.set(k, try self.copy(v)) }
        return .object(copy)
    }
}

private extension Value {
    /// The identity of a mutable container or object, which deepcopy copies once.
    var identity: ObjectIdentifier? {
        switch self {
        case .list(let l): ObjectIdentifier(l)
        case .dict(let d): ObjectIdentifier(d)
        case .object(let o): ObjectIdentifier(o)
        default: nil
        }
    }
}
