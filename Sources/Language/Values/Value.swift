import BigInt
import TensorCore

/// A value in the sbpl store: Python's plain values, torch's tensors, and the native objects behind the chapter.
public enum Value {
    case none
    case bool(Bool)
    case int(Int)
    /// An int beyond 64 bits (never one that fits in `int`: see `Value.integer`).
    case bigInt(BigInt)
    case float(Double)
    case str(String)
    case list(PyList)
    case tuple([Value])
    case dict(PyDict)
    case tensor(Tensor)
    /// `torch.Size`.
    case size([Int])
    case dtype(DType)
    /// Anything else with attributes and maybe a call: functions, modules, tokenizers, models, pipelines, ...
    case object(PyObject)

    /// Python's `type(x).__name__`.
    public var typeName: String {
        switch self {
        case .none: return "NoneType"
        case .bool: return "bool"
        case .int, .bigInt: return "int"
        case .float: return "float"
        case .str: return "str"
        case .list: return "list"
        case .tuple: return "tuple"
        case .dict(let d): return d.flavor.typeName
        case .tensor(let t): return t.isParameter ? "Parameter" : "Tensor"
        case .size: return "Size"
        case .dtype: return "dtype"
        case .object(let o): return o.typeName
        }
    }

    /// Python truthiness.
    public func isTruthy() throws -> Bool {
        switch self {
        case .none: return false
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .bigInt: return true
        case .float(let f): return f != 0
        case .str(let s): return !s.isEmpty
        case .list(let l): return !l.items.isEmpty
        case .tuple(let t): return !t.isEmpty
        case .dict(let d): return !d.keys.isEmpty
        case .size(let s): return !s.isEmpty
        case .tensor(let t):
            guard t.count == 1 else {
                throw PyError.value("Boolean value of Tensor with more than one value is ambiguous")
            }
            return try t.item().doubleValue != 0
        case .object(let array as NDArrayObject): return try array.truthValue()
        case .object(let sized as SizedObject): return sized.length != 0
        case .object(let instance as InstanceObject): return try instance.isTruthy()
        case .object(let scalar as RealScalarObject): return scalar.doubleValue != 0
        case .dtype, .object: return true
        }
    }
}

/// A Python list: a mutable, shared sequence.
public final class PyList {
    public var items: [Value]
    public init(_ items: [Value]) { self.items = items }

    /// Frees nested lists iteratively: a list holding the last reference to another takes its items first, so
    /// dropping a million-deep list does not recurse a million times.
    deinit {
        var pending = items
        items = []
        while let value = pending.popLast() {
            guard case .list(var child) = consume value, isKnownUniquelyReferenced(&child) else { continue }
            pending += child.items
            child.items = []
        }
    }
}

/// A native object the language can use: attributes, and optionally a call.
public protocol PyObject: AnyObject {
    /// `type(x).__name__`.
    var typeName: String { get }
    /// `repr(x)`.
    var repr: String { get }
    /// `str(x)`, what `print(x)` shows; `repr` unless the object prints otherwise.
    var str: String { get }
    /// The class's full dotted name for `type(x)` (`transformers.modeling_outputs.SequenceClassifierOutput`); nil
    /// when it is just `typeName`.
    var qualifiedTypeName: String? { get }
    /// What `help(x)` says; nil for the generic description from its attribute names.
    var help: String? { get }
    /// The attribute `name`, or nil when there is none.
    func attribute(_ name: String, _ interpreter: Interpreter) throws -> Value?
    /// Names of the attributes (for completion and `dir`).
    var attributeNames: [String] { get }
    /// `x(...)`; nil when the object is not callable.
    func call(_ arguments: Arguments, _ interpreter: Interpreter) throws -> Value?
    /// `callable(x)`: whether it can be called (`CallableObject`s can).
    var isCallable: Bool { get }
    /// Whether it can be a dict key or set member, by its identity (what CPython's `object.__hash__` gives); false
    /// for the mutable containers and the types that define `__eq__` without `__hash__`.
    var isHashable: Bool { get }
}

/// An object that can be called (`x(...)`): functions, classes, models, tokenizers, pipelines, modules.
public protocol CallableObject: PyObject {}

extension CallableObject {
    public var isCallable: Bool { true }
}

/// An object with attributes that assignment can change (`tokenizer.padding_side = "left"`).
public protocol AttributeSettable: PyObject {
    /// Sets `name`; false when it is not an attribute that can be set.
    func setAttribute(_ name: String, _ value: Value) throws -> Bool
    /// Deletes `name` (`del x.name`, `delattr`); false when it is not an attribute that can be deleted.
    func deleteAttribute(_ name: String) throws -> Bool
}

extension AttributeSettable {
    public func deleteAttribute(_ name: String) throws -> Bool { false }
}

extension PyObject {
    public func attribute(_ name: String, _ interpreter: Interpreter) throws -> Value? { nil }
    public var attributeNames: [String] { [] }
    public func call(_ arguments: Arguments, _ interpreter: Interpreter) throws -> Value? { nil }
    public var isCallable: Bool { false }
    public var repr: String { "<\(typeName) object>" }
    public var str: String { repr }
    public var qualifiedTypeName: String? { nil }
    public var help: String? { nil }
    public var isHashable: Bool { true }
}

/// A numpy scalar (`np.float32`, `np.bool`): comparisons, `float()` and `round()` read it as a Python number, format
/// specs and `torch.tensor` as its `item`; arithmetic with an `np.float32` stays in float32, as in numpy 2.
public protocol RealScalarObject: PyObject {
    var doubleValue: Double { get }
    /// Its numpy type, as a tensor's dtype (`np.float64(1.5)` is float64).
    var dtype: DType { get }
    /// `x.item()`: the Python float or bool it holds.
    var item: Value { get }
}

/// The arguments of a call: positional values, then keywords in order.
public struct Arguments {
    public var positional: [Value]
    public var keywords: [(name: String, value: Value)]

    public init(_ positional: [Value] = [], keywords: [(name: String, value: Value)] = []) {
        self.positional = positional
        self.keywords = keywords
    }

    /// Binds arguments to `parameters` like a Python signature (`required` of them have no default), with
    /// Python's errors for missing, surplus and unknown arguments. The result has one slot per parameter.
    public func bind(_ function: String, _ parameters: [String], required: Int = 0) throws -> [Value?] {
        guard positional.count <= parameters.count else {
            let takes = parameters.count == 1 ? "1 positional argument" : "\(parameters.count) positional arguments"
            throw PyError.type("\(function)() takes \(takes) but \(positional.count) were given")
        }
        var slots = [Value?](repeating: nil, count: parameters.count)
        for (i, v) in positional.enumerated() { slots[i] = v }
        for (name, value) in keywords {
            guard let i = parameters.firstIndex(of: name) else {
                throw PyError.type("\(function)() got an unexpected keyword argument '\(name)'")
            }
            guard slots[i] == nil else { throw PyError.type("\(function)() got multiple values for argument '\(name)'") }
            slots[i] = value
        }
        let missing = (0..<required).filter { slots[$0] == nil }.map { "'\(parameters[$0])'" }
        guard missing.isEmpty else {
            let list = missing.count == 1 ? missing[0] : missing.dropLast().joined(separator: ", ") + " and " + missing.last!
            throw PyError.type("\(function)() missing \(missing.count) required positional argument\(missing.count == 1 ? "" : "s"): \(list)")
        }
        return slots
    }

    /// Throws unless the call has no arguments.
    public func expectNone(_ function: String) throws { _ = try bind(function, []) }
}

extension Optional<Value> {
    /// The argument if it was given and is not None.
    public var given: Value? {
        guard case let value? = self, value.typeName != "NoneType" else { return nil }
        return value
    }
}
