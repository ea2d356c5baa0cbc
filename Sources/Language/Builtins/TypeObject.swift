import BigInt
import Foundation
import TensorCore

/// A class as a value: `int`, `str`, ... (callable constructors) and what `type(x)` returns.
public final class TypeObject: CallableObject {
    let name: String
    let qualifiedName: String
    private let construct: ((Arguments, Interpreter) throws -> Value)?
    /// The class a program's class derives from when it names this one as a base (`class Net(nn.Module)`).
    let nativeBase: NativeBaseClass?
    /// Which values are instances of it besides the program's subclasses' (torch's own modules are `nn.Module`s).
    let instanceCheck: ((Value) -> Bool)?

    public init(_ name: String, qualified: String? = nil, construct: ((Arguments) throws -> Value)? = nil) {
        self.name = name
        self.qualifiedName = qualified ?? name
        self.construct = construct.map { construct in { arguments, _ in try construct(arguments) } }
        (nativeBase, instanceCheck) = (nil, nil)
    }

    /// A native class the program's classes can derive from; `matches` tells which native values are its instances.
    /// Calling it makes a bare instance (`nn.Module()`).
    public init(subclassable base: NativeBaseClass, matches: @escaping (Value) -> Bool) {
        (name, qualifiedName, nativeBase, instanceCheck) = (base.name, base.qualifiedName, base, matches)
        construct = { arguments, interpreter in try interpreter.nativeClass(base).call(arguments, interpreter) ?? .none }
    }

    /// A class whose instances keep the interpreter, to call back into the program (a `DataLoader`'s `collate_fn`).
    public init(_ name: String, qualified: String, constructCalling construct: @escaping (Arguments, Interpreter) throws -> Value) {
        self.name = name
        self.qualifiedName = qualified
        self.construct = construct
        (nativeBase, instanceCheck) = (nil, nil)
    }

    public var typeName: String { "type" }
    public var repr: String { "<class '\(qualifiedName)'>" }
    public var attributeNames: [String] { ["__name__"] + methodNames }

    /// `__name__`, or a method of the type taken unbound (`str.upper`, `list.append`), its receiver the first
    /// argument: `map(str.strip, lines)`.
    public func attribute(_ attribute: String, _ interpreter: Interpreter) throws -> Value? {
        if attribute == "__name__" { return .str(name) }
        if let function = Self.typeFunctions[name]?[attribute] { return .object(function) }
        let typeName = name
        @Sendable func misapplied(_ value: Value) -> PyError {
            PyError.type("descriptor '\(attribute)' for '\(typeName)' objects doesn't apply to a '\(value.typeName)' object")
        }
        switch name {
        case "str": return StringMethods.table.function(attribute) { if case .str(let s) = $0 { return s }; throw misapplied($0) }
        case "list": return ListMethods.table.function(attribute) { if case .list(let l) = $0 { return l }; throw misapplied($0) }
        case "dict": return DictMethods.table.function(attribute) { if case .dict(let d) = $0 { return d }; throw misapplied($0) }
        case "tuple": return TupleMethods.table.function(attribute) { if case .tuple(let t) = $0 { return t }; throw misapplied($0) }
        case "object": return ObjectMethods.unbound(attribute).map { builtin(attribute, $0) }
        default: return nil
        }
    }

    /// The methods each builtin type offers unbound, and its own functions.
    private var methodNames: [String] {
        let methods = ["str": StringMethods.table.names, "list": ListMethods.table.names, "dict": DictMethods.table.names,
                       "tuple": TupleMethods.table.names]
        return (methods[name] ?? []) + (Self.typeFunctions[name]?.keys.sorted() ?? [])
    }

    /// Functions a builtin type offers on itself rather than on a value: `str.maketrans`, `dict.fromkeys`,
    /// `float.fromhex`.
    nonisolated(unsafe) private static let typeFunctions: [String: [String: BuiltinFunction]] = [
        "str": ["maketrans": StringMethods.maketrans],
        "dict": ["fromkeys": BuiltinFunction("fromkeys") { args in
            let a = try Signature("iterable, value=None, /").bind("fromkeys", of: "dict", args)
            let dict = PyDict()
            for key in try Iteration.materialize(a[0]!) { try dict.set(key, a[1] ?? .none) }
            return .dict(dict)
        }],
        "float": ["fromhex": BuiltinFunction("fromhex") { args in
            .float(try FloatHex.parse(try Signature("string, /").bind("fromhex", of: "float", args)[0]!.asString("fromhex() argument")))
        }],
    ]

    public func call(_ arguments: Arguments, _ interpreter: Interpreter) throws -> Value? {
        guard let construct else { throw PyError.type("cannot create '\(qualifiedName)' instances") }
        return try construct(arguments, interpreter)
    }

    /// `type(value)`.
    static func of(_ value: Value) -> TypeObject {
        // an object's own class first: numpy's bool is `numpy.bool`, not Python's bool
        if case .object(let o) = value, let name = o.qualifiedTypeName { return TypeObject(value.typeName, qualified: name) }
        if let builtin = (constructible + CollectionsModule.types + [Deque.type]).first(where: { $0.name == value.typeName }) { return builtin }
        let qualified: [String: String] = ["Tensor": "torch.Tensor", "Parameter": "torch.nn.parameter.Parameter",
                                           "Size": "torch.Size", "dtype": "torch.dtype"]
        return TypeObject(value.typeName, qualified: qualified[value.typeName])
    }

    /// The builtin types that construct values.
    nonisolated(unsafe) static let constructible: [TypeObject] = [
        TypeObject("set") { args in .object(try PySet.made(from: try args.bind("set", ["iterable"])[0], frozen: false)) },
        TypeObject("frozenset") { args in .object(try PySet.made(from: try args.bind("frozenset", ["iterable"])[0], frozen: true)) },
        TypeObject("int") { args in
            let a = try args.bind("int", ["x", "base"])
            var x = a[0] ?? .int(0)
            if a[1] != nil, x.typeName != "str" { throw PyError.type("int() can't convert non-string with explicit base") }
            if case .object(let scalar as RealScalarObject) = x { x = scalar.item }  // np.float32, np.int64: their Python number
            if let instance = x.instance, let result = try instance.callSpecial("__int__") ?? instance.callSpecial("__index__") {
                return result
            }
            switch x {
            case .int(let i): return .int(i)
            case .bigInt(let i): return .bigInt(i)
            case .bool(let b): return .int(b ? 1 : 0)
            case .float(let f): return try IntArithmetic.truncating(f)
            case .str(let s): return .integer(try IntFromString.parse(s, base: try a[1]?.asInt("base") ?? 10))
            case .tensor(let t) where t.count == 1:
                let v = try t.item()
                if case .int(let i) = v { return .int(Int(i)) }
                return try IntArithmetic.truncating(v.doubleValue)
            case let v: throw PyError.type("int() argument must be a string, a bytes-like object or a real number, not '\(v.typeName)'")
            }
        },
        TypeObject("float") { args in
            let x = try args.bind("float", ["x"])[0] ?? .float(0)
            if let result = try x.instance?.callSpecial("__float__") { return result }
            switch x {
            case .str(let s):
                let t = s.trimmingWhitespace().lowercased()
                let special: [String: Double] = ["nan": .nan, "inf": .infinity, "-inf": -.infinity, "infinity": .infinity]
                // Python reads decimal literals only (Swift's Double also reads hexadecimal ones)
                let decimal = !t.contains("x") && !t.contains("p")
                guard let f = special[t] ?? (decimal ? Double(t) : nil) else { throw PyError.value("could not convert string to float: \(Value.quoted(s))") }
                return .float(f)
            case let v: return .float(try v.asDouble("float() argument", expected: "a string or a real number"))
            }
        },
        TypeObject("str") { args in .str(try args.bind("str", ["object"])[0]?.checkedStr() ?? "") },
        TypeObject("bool") { args in .bool(try args.bind("bool", ["x"])[0]?.isTruthy() ?? false) },
        TypeObject("list") { args in .list(PyList(try args.bind("list", ["iterable"])[0].map(Iteration.materialize) ?? [])) },
        TypeObject("tuple") { args in .tuple(try args.bind("tuple", ["iterable"])[0].map(Iteration.materialize) ?? []) },
        TypeObject("dict") { args in
            let d = PyDict()
            if let source = try Arguments(args.positional).bind("dict", ["mapping"])[0] {
                for (k, v) in try DictMethods.keyValuePairs(source) { try d.set(k, v) }
            }
            for (k, v) in args.keywords { try d.set(.str(k), v) }
            return .dict(d)
        },
        TypeObject("slice", construct: SliceObject.made),
        TypeObject("NoneType"), TypeObject("function"), TypeObject("range"),
    ]
}
